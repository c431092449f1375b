//! Route components.
mod landing_page;
mod not_found_page;

pub use landing_page::LandingPage;
pub use not_found_page::NotFoundPage;
