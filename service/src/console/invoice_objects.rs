//! Invoices and payment methods as the merchant API (`/v1/invoices`, `/v1/payment_methods`)
//! sees them: one invoice with its lines, its PDF, and cursor pages of either, always within
//! the actor's organization (another organization's id is `NotFound`).
use super::customers::find as find_customer;
use super::{AdminActor, ConsoleError, ConsoleService};
use crate::entity::{customer, invoice, invoice_line, payment_method, subscription};
use crate::invoice_pdf::{self, InvoicePdf, InvoicePdfError};
use domain::{CustomerId, InvoiceId, InvoiceStatus, PageLimit, PaymentMethodId, SubscriptionId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use wire::api::{CardDetails, Invoice, InvoiceLine, List, ObjectKind, PaymentMethod, SepaDetails};

/// The public ids of the rows `ids` of `E`, by database key.
async fn public_ids<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: E::Column,
    public: E::Column,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>, ConsoleError> {
    Ok(E::find()
        .select_only()
        .column(id)
        .column(public)
        .filter(id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Invoices with their lines and their customer's and subscription's public ids.
pub(crate) async fn invoices(
    db: &impl ConnectionTrait,
    rows: Vec<invoice::Model>,
) -> Result<Vec<Invoice>, ConsoleError> {
    let customers = public_ids::<customer::Entity>(
        db,
        customer::Column::Id,
        customer::Column::PublicId,
        rows.iter().map(|i| i.customer_id).collect(),
    )
    .await?;
    let subscriptions = public_ids::<subscription::Entity>(
        db,
        subscription::Column::Id,
        subscription::Column::PublicId,
        rows.iter().filter_map(|i| i.subscription_id).collect(),
    )
    .await?;
    let mut lines: HashMap<i64, Vec<invoice_line::Model>> = HashMap::new();
    for line in invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.is_in(rows.iter().map(|i| i.id)))
        .order_by_asc(invoice_line::Column::Id)
        .all(db)
        .await?
    {
        lines.entry(line.invoice_id).or_default().push(line);
    }
    invoices_with(rows, &customers, &subscriptions, lines)
}

/// Invoices as the API shows them, given their customers' and subscriptions' public ids by
/// database key and their lines (in order) by invoice.
pub(crate) fn invoices_with(
    rows: Vec<invoice::Model>,
    customers: &HashMap<i64, String>,
    subscriptions: &HashMap<i64, String>,
    mut lines: HashMap<i64, Vec<invoice_line::Model>>,
) -> Result<Vec<Invoice>, ConsoleError> {
    rows.into_iter()
        .map(|i| {
            let bad = |what: &str| ConsoleError::Internal(format!("invoice {}: bad {what}", i.id));
            let id = InvoiceId::parse(&i.public_id).map_err(|_| bad("id"))?;
            Ok(Invoice {
                customer: customers
                    .get(&i.customer_id)
                    .and_then(|c| CustomerId::parse(c).ok())
                    .ok_or_else(|| bad("customer"))?,
                subscription: match i.subscription_id {
                    Some(s) => Some(
                        subscriptions
                            .get(&s)
                            .and_then(|s| SubscriptionId::parse(s).ok())
                            .ok_or_else(|| bad("subscription"))?,
                    ),
                    None => None,
                },
                object: ObjectKind::Invoice,
                number: i.number,
                status: i.status,
                currency: i.currency,
                subtotal: i.subtotal_minor,
                total: i.total_minor,
                amount_paid: i.amount_paid_minor,
                amount_due: (i.total_minor - i.amount_paid_minor).max(0),
                attempt_count: u32::try_from(i.attempt_count).unwrap_or(0),
                next_payment_attempt: i.next_attempt_at.map(|t| t.timestamp()),
                period_start: i.period_start.timestamp(),
                period_end: i.period_end.timestamp(),
                paid_at: i.paid_at.map(|t| t.timestamp()),
                created: i.created_at.timestamp(),
                invoice_pdf: format!("/v1/invoices/{id}/pdf"),
                lines: lines
                    .remove(&i.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|line| InvoiceLine {
                        description: line.description,
                        quantity: u32::try_from(line.quantity).unwrap_or(0),
                        unit_amount: line.unit_amount_minor,
                        amount: line.amount_minor,
                    })
                    .collect(),
                id,
            })
        })
        .collect()
}

/// The wire form of saved payment methods.
pub(crate) fn payment_methods(
    customer: &CustomerId,
    rows: Vec<payment_method::Model>,
) -> Result<Vec<PaymentMethod>, ConsoleError> {
    rows.into_iter()
        .map(|m| {
            let id = PaymentMethodId::parse(&m.public_id)
                .map_err(|_| ConsoleError::Internal(format!("payment method {}: bad id", m.id)))?;
            let month = m.exp_month.and_then(|v| u32::try_from(v).ok());
            let year = m.exp_year.and_then(|v| u32::try_from(v).ok());
            let sepa = m.kind == "sepa_debit";
            Ok(PaymentMethod {
                id,
                object: ObjectKind::PaymentMethod,
                customer: customer.clone(),
                card: (!sepa).then(|| CardDetails {
                    brand: m.brand.clone(),
                    last4: m.last4.clone(),
                    exp_month: month,
                    exp_year: year,
                }),
                sepa_debit: sepa.then(|| SepaDetails {
                    last4: m.last4.clone(),
                }),
                kind: m.kind,
                default: m.is_default,
                created: m.created_at.timestamp(),
            })
        })
        .collect()
}

/// Invoice `id` of the actor's organization (a draft is not one yet).
async fn find(
    db: &impl ConnectionTrait,
    actor: &AdminActor,
    id: &InvoiceId,
) -> Result<invoice::Model, ConsoleError> {
    invoice::Entity::find()
        .filter(invoice::Column::OrganizationId.eq(actor.org_id()))
        .filter(invoice::Column::PublicId.eq(id.as_str()))
        .filter(invoice::Column::Status.ne("draft"))
        .one(db)
        .await?
        .ok_or(ConsoleError::NotFound)
}

impl ConsoleService {
    /// One invoice with its lines.
    pub async fn invoice_object(
        &self,
        actor: &AdminActor,
        id: &InvoiceId,
    ) -> Result<Invoice, ConsoleError> {
        let row = find(&self.db, actor, id).await?;
        invoices(&self.db, vec![row])
            .await?
            .pop()
            .ok_or(ConsoleError::NotFound)
    }

    /// A page of the organization's invoices, newest first, optionally of one customer and
    /// in one status, after `starting_after`.
    pub async fn invoice_objects(
        &self,
        actor: &AdminActor,
        customer: Option<&CustomerId>,
        status: Option<InvoiceStatus>,
        limit: PageLimit,
        starting_after: Option<&InvoiceId>,
    ) -> Result<List<Invoice>, ConsoleError> {
        let mut query = invoice::Entity::find()
            .filter(invoice::Column::OrganizationId.eq(actor.org_id()))
            .filter(invoice::Column::Status.ne("draft"));
        if let Some(customer) = customer {
            let c = find_customer(&self.db, actor, customer).await?;
            query = query.filter(invoice::Column::CustomerId.eq(c.id));
        }
        if let Some(status) = status {
            query = query.filter(invoice::Column::Status.eq(status.as_str()));
        }
        let after = match starting_after {
            Some(id) => Some(find(&self.db, actor, id).await?.id),
            None => None,
        };
        let (rows, has_more) =
            super::paging::page(&self.db, query, invoice::Column::Id, limit, after).await?;
        Ok(List {
            object: ObjectKind::List,
            data: invoices(&self.db, rows).await?,
            has_more,
        })
    }

    /// Invoice `id` as a PDF, by the portal's branded renderer.
    pub async fn invoice_pdf_by_id(
        &self,
        actor: &AdminActor,
        id: &InvoiceId,
    ) -> Result<InvoicePdf, ConsoleError> {
        let row = find(&self.db, actor, id).await?;
        invoice_pdf::render(&self.db, row)
            .await
            .map_err(|e| match e {
                InvoicePdfError::NotFound => ConsoleError::NotFound,
                InvoicePdfError::Render => ConsoleError::Pdf,
                InvoicePdfError::Db(err) => ConsoleError::Db(err),
            })
    }

    /// A page of a customer's saved payment methods (removed ones are not), newest first.
    pub async fn payment_method_objects(
        &self,
        actor: &AdminActor,
        customer: &CustomerId,
        limit: PageLimit,
        starting_after: Option<&PaymentMethodId>,
    ) -> Result<List<PaymentMethod>, ConsoleError> {
        let c = find_customer(&self.db, actor, customer).await?;
        let query = payment_method::Entity::find()
            .filter(payment_method::Column::OrganizationId.eq(actor.org_id()))
            .filter(payment_method::Column::CustomerId.eq(c.id))
            .filter(payment_method::Column::RemovedAt.is_null());
        let after = match starting_after {
            Some(id) => Some(
                query
                    .clone()
                    .filter(payment_method::Column::PublicId.eq(id.as_str()))
                    .one(&self.db)
                    .await?
                    .ok_or(ConsoleError::NotFound)?
                    .id,
            ),
            None => None,
        };
        let (rows, has_more) =
            super::paging::page(&self.db, query, payment_method::Column::Id, limit, after).await?;
        Ok(List {
            object: ObjectKind::List,
            data: payment_methods(customer, rows)?,
            has_more,
        })
    }
}
