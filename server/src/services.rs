//! The backends of the app's ports: each implements a trait from `app` with sea-orm
//! and the billing engine. Server functions call these; they never touch the database.
pub mod console;
pub mod invoice_pdf;
pub mod portal;

pub use console::ConsoleService;
pub use portal::{PortalDirectory, PortalService};
