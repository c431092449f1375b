//! Test support shared by the modules of this binary (the app itself is spawned by
//! `dunwell::testing`, behind the `testing` feature).
pub mod billing_fixture;
pub mod pdf_text;
