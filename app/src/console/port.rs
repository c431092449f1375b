//! What the console's server functions need from the backend. Implemented in `server`.

/// The console's backend.
#[async_trait::async_trait]
pub trait ConsolePort: Send + Sync + 'static {}
