//! Test support shared by the modules of this binary (the app itself is spawned by
//! `dunwell::testing`, behind the `testing` feature).
// Serves several modules; not each uses every helper.
#[allow(dead_code)]
pub mod billing_fixture;
pub mod pdf_text;
