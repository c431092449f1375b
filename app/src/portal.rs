//! The customer portal: the merchant's customers fix their own billing.
pub mod port;
