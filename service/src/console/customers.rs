//! Customers: the list with search, status filter and pagination, one customer's billing
//! history, and changing the email on file.
use super::{ConsoleError, ConsoleService, audit, settings};
use crate::billing::templates::customer_portal_link;
use crate::console::AdminActor;
use crate::entity::{customer, invoice, payment_attempt, payment_method, plan, subscription};
use domain::{Currency, CustomerId, EmailAddress, Locale, Money, SubscriptionStatus};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use wire::console::invoice_pdf_href;
use wire::console::{
    CustomerDetail, CustomerList, CustomerRow, HistoryRow, PriceChoice, SubscriptionRow,
};
use wire::error::FieldCode;

/// Customers per page.
pub const PAGE_SIZE: u64 = 20;

/// Formats minor units in a stored currency code.
pub fn money(minor: i64, currency: &str) -> String {
    match Currency::parse(currency) {
        Ok(c) => Money::new(minor, c).format(Locale::En),
        Err(_) => format!("{minor} {currency}"),
    }
}

/// A price per period: `€29.00 / month`, `€80.00 / 3 month`.
fn per_period(p: &plan::Model) -> String {
    match p.interval_count {
        1 => format!("{} / {}", money(p.amount_minor, &p.currency), p.interval),
        n => format!(
            "{} / {n} {}",
            money(p.amount_minor, &p.currency),
            p.interval
        ),
    }
}

fn rank(status: &str) -> u8 {
    match SubscriptionStatus::parse(status) {
        Ok(SubscriptionStatus::PastDue) => 0,
        Ok(SubscriptionStatus::Unpaid | SubscriptionStatus::Incomplete) => 1,
        Ok(SubscriptionStatus::Active | SubscriptionStatus::Paused) => 2,
        Ok(SubscriptionStatus::Canceled) => 3,
        Err(_) => 4,
    }
}

/// The actor's organization's customer with this id, or `NotFound` (another
/// organization's included).
pub(super) async fn find(
    db: &impl ConnectionTrait,
    actor: &AdminActor,
    id: &CustomerId,
) -> Result<customer::Model, ConsoleError> {
    customer::Entity::find()
        .filter(customer::Column::OrganizationId.eq(actor.org_id()))
        .filter(customer::Column::PublicId.eq(id.as_str()))
        .one(db)
        .await?
        .ok_or(ConsoleError::NotFound)
}

/// `%`, `_` and `\` escaped for a `LIKE … ESCAPE '\'` pattern.
fn like_escaped(q: &str) -> String {
    q.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Email or name (lower-cased) starting with `q` (lower case), in a form each database
/// answers from an index: a range on SQLite (binary order is UTF-8 byte order), `LIKE 'q%'`
/// on PostgreSQL (its `text_pattern_ops` indexes, whatever the database's collation).
fn starts_with(backend: DbBackend, q: &str) -> Condition {
    let name = || Expr::expr(Func::lower(Expr::col(customer::Column::Name)));
    match backend {
        DbBackend::Sqlite => {
            let end = format!("{q}\u{10FFFF}");
            Condition::any()
                .add(
                    Condition::all()
                        .add(customer::Column::Email.gte(q))
                        .add(customer::Column::Email.lt(end.as_str())),
                )
                .add(
                    Condition::all()
                        .add(name().gte(q))
                        .add(name().lt(end.as_str())),
                )
        }
        _ => {
            let pattern = format!("{}%", like_escaped(q));
            Condition::any()
                .add(
                    Expr::col(customer::Column::Email)
                        .like(LikeExpr::new(pattern.clone()).escape('\\')),
                )
                .add(name().like(LikeExpr::new(pattern).escape('\\')))
        }
    }
}

/// Email or name (lower-cased) containing `q` anywhere.
fn contains(q: &str) -> Condition {
    let pattern = format!("%{}%", like_escaped(q));
    Condition::any()
        .add(
            Expr::expr(Func::lower(Expr::col(customer::Column::Email)))
                .like(LikeExpr::new(pattern.clone()).escape('\\')),
        )
        .add(
            Expr::expr(Func::lower(Expr::col(customer::Column::Name)))
                .like(LikeExpr::new(pattern).escape('\\')),
        )
}

fn day(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

impl ConsoleService {
    /// A page of the organization's customers.
    pub async fn customers(
        &self,
        actor: &AdminActor,
        query: &str,
        status: &str,
        page: u64,
    ) -> Result<CustomerList, ConsoleError> {
        let q = query.trim().to_lowercase();
        let mut find =
            customer::Entity::find().filter(customer::Column::OrganizationId.eq(actor.org_id()));
        if !q.is_empty() {
            // The start of the email or the name first (an index range); when nothing starts
            // so, anywhere in them (a scan of the organization's customers).
            let backend = self.db.get_database_backend();
            let starts = find.clone().filter(starts_with(backend, &q));
            find = if starts.clone().count(&self.db).await? > 0 {
                starts
            } else {
                find.filter(contains(&q))
            };
        }
        if let Ok(s) = SubscriptionStatus::parse(status) {
            find = find.filter(
                customer::Column::Id.in_subquery(
                    Query::select()
                        .column(subscription::Column::CustomerId)
                        .from(subscription::Entity)
                        .and_where(subscription::Column::OrganizationId.eq(actor.org_id()))
                        .and_where(subscription::Column::Status.eq(s.as_str()))
                        .to_owned(),
                ),
            );
        }
        // Searching, the order is by `name || ''`: an expression no index provides, so each
        // database finds the few matches by their index first, then sorts them, instead of
        // walking the whole (organization, name) index in order to filter it.
        let find = if q.is_empty() {
            find.order_by_asc(customer::Column::Name)
        } else {
            find.order_by_asc(Expr::cust(r#""customers"."name" || ''"#))
        };
        let paginator = find
            .order_by_asc(customer::Column::Id)
            .paginate(&self.db, PAGE_SIZE);
        let total = paginator.num_items().await?;
        let pages = std::cmp::max(total.div_ceil(PAGE_SIZE), 1);
        let page = page.clamp(1, pages);
        let customers = paginator.fetch_page(page - 1).await?;
        let subs = subscription::Entity::find()
            .filter(subscription::Column::CustomerId.is_in(customers.iter().map(|c| c.id)))
            .all(&self.db)
            .await?;
        let rows = customers
            .into_iter()
            .map(|c| {
                let status = subs
                    .iter()
                    .filter(|s| s.customer_id == c.id)
                    .min_by_key(|s| rank(&s.status))
                    .and_then(|s| SubscriptionStatus::parse(&s.status).ok());
                CustomerRow {
                    id: c.public_id,
                    name: c.name,
                    email: c.email,
                    status,
                }
            })
            .collect();
        Ok(CustomerList {
            rows,
            page,
            pages,
            total,
        })
    }

    /// One customer with their billing history.
    pub async fn customer(
        &self,
        actor: &AdminActor,
        id: &CustomerId,
    ) -> Result<CustomerDetail, ConsoleError> {
        let c = find(&self.db, actor, id).await?;
        let plans = plan::Entity::find()
            .filter(plan::Column::OrganizationId.eq(actor.org_id()))
            .all(&self.db)
            .await?;
        let now = self.now();
        let subscriptions = subscription::Entity::find()
            .filter(subscription::Column::CustomerId.eq(c.id))
            .order_by_desc(subscription::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|s| {
                let p = plans.iter().find(|p| p.id == s.plan_id);
                let name = p.map(|p| p.name.clone()).unwrap_or_default();
                Some(SubscriptionRow {
                    id: s.public_id,
                    label: match s.quantity {
                        1 => name,
                        n => format!("{name} × {n}"),
                    },
                    status: SubscriptionStatus::parse(&s.status).ok()?,
                    amount: p.map(per_period).unwrap_or_default(),
                    period_end: day(s.current_period_end),
                    trial_end: s.trial_end.filter(|t| *t > now).map(day),
                    cancel_at_period_end: s.cancel_at_period_end,
                    cancel_reason: s
                        .cancel_reason
                        .as_deref()
                        .and_then(|r| domain::CancelReason::parse(r).ok()),
                    cancel_comment: s.cancel_comment,
                })
            })
            .collect();
        let price_choices = plans
            .iter()
            .filter(|p| p.archived_at.is_none())
            .map(|p| PriceChoice {
                id: p.public_id.clone(),
                label: format!("{} — {}", p.name, per_period(p)),
                trial_days: u16::try_from(p.trial_days).unwrap_or(0),
            })
            .collect();
        let invoices: Vec<invoice::Model> = invoice::Entity::find()
            .filter(invoice::Column::CustomerId.eq(c.id))
            .order_by_desc(invoice::Column::Id)
            .all(&self.db)
            .await?;
        let payments = payment_attempt::Entity::find()
            .filter(payment_attempt::Column::InvoiceId.is_in(invoices.iter().map(|i| i.id)))
            .order_by_desc(payment_attempt::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|a| HistoryRow {
                label: invoices
                    .iter()
                    .find(|i| i.id == a.invoice_id)
                    .map(|i| i.number.clone())
                    .unwrap_or_default(),
                status: match &a.decline_code {
                    Some(code) => format!("{} ({code})", a.outcome),
                    None => a.outcome.clone(),
                },
                amount: money(a.amount_minor, &a.currency),
                date: day(a.created_at),
                pdf_url: None,
            })
            .collect();
        let methods = payment_method::Entity::find()
            .filter(payment_method::Column::CustomerId.eq(c.id))
            .filter(payment_method::Column::RemovedAt.is_null())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| HistoryRow {
                label: format!(
                    "{} •••• {}",
                    m.brand.clone().unwrap_or_else(|| "SEPA".into()),
                    m.last4
                ),
                status: if m.is_default {
                    "default".into()
                } else {
                    String::new()
                },
                amount: String::new(),
                date: match (m.exp_month, m.exp_year) {
                    (Some(mo), Some(y)) => format!("{mo:02}/{}", y % 100),
                    _ => String::new(),
                },
                pdf_url: None,
            })
            .collect();
        let invoices = invoices
            .into_iter()
            .map(|i| HistoryRow {
                pdf_url: Some(invoice_pdf_href(&c.public_id, &i.public_id)),
                label: i.number,
                status: i.status,
                amount: money(i.total_minor, &i.currency),
                date: day(i.created_at),
            })
            .collect();
        let portal = settings::load(&self.db, actor.org_id()).await?;
        Ok(CustomerDetail {
            id: c.public_id,
            name: c.name,
            email: c.email,
            locale: Locale::parse(&c.locale).unwrap_or_default(),
            billing_address: c.billing_address,
            tax_id: c.tax_id,
            archived: c.archived_at.is_some(),
            subscriptions,
            price_choices,
            invoices,
            payments,
            methods,
            portal_url: portal
                .portal_key
                .as_deref()
                .map(|k| customer_portal_link(self.config.public_url.as_str(), k)),
        })
    }

    /// Changes the email on file; unique per organization.
    pub async fn update_customer_email(
        &self,
        actor: &AdminActor,
        id: &CustomerId,
        email: &EmailAddress,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let txn = crate::db::begin_write(&self.db).await?;
        let c = find(&txn, actor, id).await?;
        let address = email.as_str().to_lowercase();
        let taken = customer::Entity::find()
            .filter(customer::Column::OrganizationId.eq(actor.org_id()))
            .filter(customer::Column::Email.eq(address.as_str()))
            .filter(customer::Column::Id.ne(c.id))
            .one(&txn)
            .await?
            .is_some();
        if taken {
            return Err(ConsoleError::field("email", FieldCode::EmailTaken));
        }
        let before = c.email.clone();
        let public_id = c.public_id.clone();
        let mut active = c.into_active_model();
        active.email = Set(address.clone());
        let updated = active.update(&txn).await?;
        super::customer_objects::customer_event(
            &txn,
            domain::EventKind::CustomerUpdated,
            &updated,
            now,
        )
        .await?;
        audit::commit(
            txn,
            actor,
            "customer.email",
            format!("{public_id}: {before} → {address}"),
            now,
        )
        .await
    }

    /// Sends the customer a sign-in link to their portal: the same email, limits and
    /// background delivery as a customer's own request.
    pub async fn send_sign_in_link(
        &self,
        actor: &AdminActor,
        portal: &crate::portal::PortalService,
        id: &CustomerId,
    ) -> Result<(), ConsoleError> {
        actor.require_change()?;
        let detail = self.customer(actor, id).await?;
        let key = detail
            .portal_url
            .as_deref()
            .and_then(|u| u.rsplit('/').next())
            .ok_or(ConsoleError::Conflict(
                wire::error::Conflict::PortalDisabled,
            ))?;
        let address = domain::EmailAddress::parse(&detail.email)
            .map_err(|_| ConsoleError::field("email", FieldCode::EmailInvalid))?;
        portal
            .request_link(key, &address, None, None)
            .await
            .map_err(|e| match e {
                crate::portal::PortalError::Disabled => {
                    ConsoleError::Conflict(wire::error::Conflict::PortalDisabled)
                }
                crate::portal::PortalError::UnknownPortal => ConsoleError::NotFound,
                crate::portal::PortalError::RateLimited => ConsoleError::RateLimited,
                other => ConsoleError::Internal(other.to_string()),
            })
    }
}
