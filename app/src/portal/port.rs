//! What the portal's server functions need from the backend. Implemented in `server`.

/// The portal's backend.
#[async_trait::async_trait]
pub trait PortalPort: Send + Sync + 'static {}
