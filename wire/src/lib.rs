//! The typed contract between Dunwell's pages and its server: what server functions send
//! and the one error they fail with. The service layer returns these types, the pages read
//! them; neither holds a copy.
#![forbid(unsafe_code)]

pub mod api;
pub mod console;
pub mod error;
pub mod portal;
