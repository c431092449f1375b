//! Overview, audit log, and the demo tools (outbox, test clock).
use crate::console::dto::{AuditLogPage, OutboxRow, OverviewView};
use crate::error::{AppError, Arg};
use leptos::prelude::*;

/// The Overview numbers.
#[server(endpoint = "console/overview")]
pub async fn overview() -> Result<OverviewView, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    service()?.overview(&actor).await.map_err(fail)
}

/// A page of the audit log (25 events), newest first.
#[server(endpoint = "console/audit_log")]
pub async fn audit_log(page: Arg<u64>) -> Result<AuditLogPage, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let page = page.parse("page").map_err(fail)?;
    service()?.audit_log(&actor, page).await.map_err(fail)
}

/// The outbox (demo).
#[server(endpoint = "console/outbox")]
pub async fn outbox() -> Result<Vec<OutboxRow>, AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    service()?.outbox(&actor).await.map_err(fail)
}

/// Advances the organization's test clock (demo) and shows the report.
#[server(endpoint = "console/advance_clock")]
pub async fn advance_clock(days: String) -> Result<(), AppError> {
    use super::server::{fail, require_admin, service};
    let actor = require_admin().await.map_err(fail)?;
    let days = domain::ClockDays::parse(&days).ok_or_else(|| {
        fail(AppError::field(
            "days",
            crate::error::FieldCode::DaysInvalid,
        ))
    })?;
    let report = service()?.advance_clock(&actor, days).await.map_err(fail)?;
    super::redirect_done(&format!(
        "/admin/test-clock?report={}",
        crate::forms::encode(&report)
    ));
    Ok(())
}
