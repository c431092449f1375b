//! Test support shared by the modules of this binary (the app itself is spawned by
//! `dunwell::testing`, behind the `testing` feature).
pub mod api;
pub mod billing_fixture;
pub mod pdf_text;
pub mod shop;

/// A fresh directory under the system's temporary folder, removed when dropped.
pub struct TempDir(std::path::PathBuf);

impl TempDir {
    /// Makes `dunwell-{what}-{random}`.
    pub fn new(what: &str) -> TempDir {
        let suffix: String = dunwell::secret::random_bytes::<6>()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let dir = std::env::temp_dir().join(format!("dunwell-{what}-{suffix}"));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        TempDir(dir)
    }

    /// Its path.
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Turns each named `async fn name(db: &TestDb)` into two tests, `name::sqlite` and
/// `name::postgres`, that run the one body on a fresh database of each kind. The PostgreSQL
/// test needs `TEST_POSTGRES_URL`; without it, it says so and runs nothing, unless
/// `DUNWELL_REQUIRE_POSTGRES=1` (CI), where it fails.
macro_rules! on_each_database {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let db = dunwell::testing::TestDb::sqlite().await;
                    super::$name(&db).await;
                    db.finish().await;
                }

                #[tokio::test]
                async fn postgres() {
                    match dunwell::testing::TestDb::postgres().await {
                        Some(db) => {
                            super::$name(&db).await;
                            db.finish().await;
                        }
                        None => eprintln!("TEST_POSTGRES_URL not set: no PostgreSQL run"),
                    }
                }
            }
        )+
    };
}
