//! Portal sessions for a merchant's app (`POST /v1/portal_sessions`): a one-time URL, made
//! for one customer, that signs them into their organization's portal without an email. It
//! is a sign-in link like the emailed one (hashed token, single use) that lives five minutes,
//! may open one action (`flow`), names the app's page to link back to and the portal's
//! language. The portal must be on, and its permissions still apply.
use super::customers::find as find_customer;
use super::settings::load as load_settings;
use super::subscriptions::find as find_subscription;
use super::{AdminActor, ConsoleError, ConsoleService, audit};
use crate::billing::templates::customer_portal_link;
use crate::entity::magic_link;
use crate::secret::Token;
use domain::{AppReturnUrl, CustomerId, EventKind, Locale, PortalFlow, SubscriptionId};
use sea_orm::{ActiveModelTrait, Set};
use wire::api::{ObjectKind, PortalFlowBody, PortalSession, PortalSessionCreate};
use wire::error::{Conflict, FieldCode, FieldErrors};

/// A portal session request whose fields parsed.
#[derive(Debug, Clone)]
pub struct NewPortalSession {
    /// Whose.
    pub customer: CustomerId,
    /// The app's page for "Back to …".
    pub return_url: Option<AppReturnUrl>,
    /// The one action to open.
    pub flow: Option<PortalFlow>,
    /// The portal language to open in.
    pub locale: Option<Locale>,
}

impl TryFrom<&PortalSessionCreate> for NewPortalSession {
    type Error = FieldErrors;

    /// Every field's error at once. An id that cannot be one is a field error here; an id
    /// of the right shape that is not the organization's is a 404 later.
    fn try_from(body: &PortalSessionCreate) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let customer = CustomerId::parse(&body.customer)
            .map_err(|_| errors.push("customer", FieldCode::Invalid))
            .ok();
        let return_url = match body.return_url.as_deref() {
            None => None,
            Some(raw) => AppReturnUrl::parse(raw)
                .map_err(|_| errors.push("return_url", FieldCode::Invalid))
                .ok(),
        };
        let flow = match &body.flow {
            None => None,
            Some(PortalFlowBody::PaymentMethodUpdate) => Some(PortalFlow::PaymentMethodUpdate),
            Some(PortalFlowBody::InvoiceHistory) => Some(PortalFlow::InvoiceHistory),
            Some(PortalFlowBody::SubscriptionCancel { subscription }) => {
                SubscriptionId::parse(subscription)
                    .map_err(|_| errors.push("flow.subscription", FieldCode::Invalid))
                    .ok()
                    .map(PortalFlow::SubscriptionCancel)
            }
        };
        let locale = match body.locale.as_deref() {
            None => None,
            Some(raw) => Locale::parse(raw)
                .map_err(|_| errors.push("locale", FieldCode::LocaleInvalid))
                .ok(),
        };
        match customer {
            Some(customer) if errors.is_empty() => Ok(NewPortalSession {
                customer,
                return_url,
                flow,
                locale,
            }),
            _ => Err(errors),
        }
    }
}

/// The wire form of a flow.
fn flow_body(flow: &PortalFlow) -> PortalFlowBody {
    match flow {
        PortalFlow::PaymentMethodUpdate => PortalFlowBody::PaymentMethodUpdate,
        PortalFlow::InvoiceHistory => PortalFlowBody::InvoiceHistory,
        PortalFlow::SubscriptionCancel(sub) => PortalFlowBody::SubscriptionCancel {
            subscription: sub.as_str().to_owned(),
        },
    }
}

impl ConsoleService {
    /// Makes a portal session: checks the customer (404 for another organization's), that
    /// the portal is on (409 `portal_disabled`), that its permissions allow the flow (409
    /// `flow_disabled`) and that a cancel flow's subscription is the customer's (404), then
    /// stores the link's hash with an audit row in one transaction. The URL holds the only
    /// copy of the token.
    pub async fn create_portal_session(
        &self,
        actor: &AdminActor,
        new: NewPortalSession,
    ) -> Result<PortalSession, ConsoleError> {
        actor.require_change()?;
        let now = self.now();
        let customer = find_customer(&self.db, actor, &new.customer).await?;
        let settings = load_settings(&self.db, actor.org_id()).await?;
        let key = settings
            .portal_key
            .clone()
            .filter(|_| settings.enabled)
            .ok_or(ConsoleError::Conflict(Conflict::PortalDisabled))?;
        if let Some(flow) = &new.flow {
            if let PortalFlow::SubscriptionCancel(sub) = flow {
                let sub = find_subscription(&self.db, actor, sub).await?;
                if sub.customer_id != customer.id {
                    return Err(ConsoleError::NotFound);
                }
            }
            if !crate::portal::permissions_of(&settings).contains(flow.permission()) {
                return Err(ConsoleError::Conflict(Conflict::FlowDisabled));
            }
        }
        let base = format!("/portal/{key}");
        let landing = new
            .flow
            .as_ref()
            .map_or_else(|| base.clone(), |flow| flow.path(&base));
        let locale = new
            .locale
            .or_else(|| Locale::parse(&customer.locale).ok())
            .unwrap_or_default();
        let token = Token::generate();
        let expires_at = domain::portal_session_expires_at(now);
        let txn = crate::db::begin_write(&self.db).await?;
        magic_link::ActiveModel {
            organization_id: Set(actor.org_id()),
            customer_id: Set(customer.id),
            token_hash: Set(token.hash().as_str().to_owned()),
            return_to: Set(Some(landing)),
            created_at: Set(now),
            expires_at: Set(expires_at),
            used_at: Set(None),
            from_api: Set(true),
            app_return_url: Set(new.return_url.as_ref().map(|u| u.as_str().to_owned())),
            locale: Set(new.locale.map(|l| l.as_str().to_owned())),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let url = format!(
            "{}/session?token={}",
            customer_portal_link(self.config.public_url.as_str(), &key),
            token.expose()
        );
        let session = PortalSession {
            object: ObjectKind::PortalSession,
            customer: new.customer.clone(),
            url,
            return_url: new.return_url.map(|u| u.as_str().to_owned()),
            flow: new.flow.as_ref().map(flow_body),
            locale: locale.as_str().to_owned(),
            created: now.timestamp(),
            expires_at: expires_at.timestamp(),
        };
        // The event shows the session without its URL: the token signs the customer in.
        let mut shown = serde_json::to_value(&session)
            .map_err(|e| ConsoleError::Internal(format!("portal session: {e}")))?;
        if let Some(fields) = shown.as_object_mut() {
            fields.remove("url");
        }
        crate::events::record(
            &txn,
            actor.org_id(),
            EventKind::PortalSessionCreated,
            &customer.public_id,
            &shown,
            now,
        )
        .await?;
        let flow = new.flow.as_ref().map_or("none", PortalFlow::kind);
        audit::commit(
            txn,
            actor,
            "portal_session.created",
            format!("{} ({}), flow {flow}", customer.email, customer.public_id),
            now,
        )
        .await?;
        Ok(session)
    }
}
