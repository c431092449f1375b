//! Route components.
mod admin_page;
mod landing_page;
mod not_found_page;

pub use admin_page::AdminPage;
pub use landing_page::LandingPage;
pub use not_found_page::NotFoundPage;
