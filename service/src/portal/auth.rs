//! Magic-link sign-in and customer sessions. Tokens are 32 random bytes; only their
//! SHA-256 is stored, and they are never logged.
use super::rate_limit::{PER_EMAIL, PER_IP};
use super::session_cache::CachedSession;
use super::{PortalError, PortalService};
use crate::billing::{EmailKind, TemplateVars, outbox};
use crate::entity::{customer, customer_session, magic_link};
use crate::portal::PortalCustomer;
use crate::secret::{Token, TokenHash};
use domain::{
    EmailAddress, MAGIC_LINK_TTL_MINUTES, MagicLinkError, ReturnTo, SessionPolicy, check_magic_link,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use wire::portal::{LinkState, SignedIn};

/// How a link is being used: posted from the verify page, or opened by the URL a merchant's
/// app got from the API.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LinkUse {
    Posted,
    AppUrl,
}

/// A sign-in link request that passed the limits, for the background task.
struct LinkRequest {
    org: crate::entity::organization::Model,
    /// `/portal/{key}`.
    base: String,
    /// Lower-cased.
    address: String,
    return_to: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
}

/// Creates the magic link and queues its email when the address is a customer's. The link
/// row keeps the hash of a token nobody holds: the emailed token is minted at delivery
/// (see [`outbox::mint_sign_in_token`]).
async fn queue_link(svc: &PortalService, request: LinkRequest) -> Result<(), PortalError> {
    let LinkRequest {
        org,
        base,
        address,
        return_to,
        now,
    } = request;
    let Some(found) = customer::Entity::find()
        .filter(customer::Column::OrganizationId.eq(org.id))
        .filter(customer::Column::Email.eq(address))
        .one(&svc.db)
        .await?
    else {
        return Ok(());
    };
    let txn = crate::db::begin_write(&svc.db).await?;
    let link = magic_link::ActiveModel {
        organization_id: Set(org.id),
        customer_id: Set(found.id),
        token_hash: Set(Token::generate().hash().as_str().to_owned()),
        return_to: Set(return_to),
        created_at: Set(now),
        expires_at: Set(domain::magic_link_expires_at(now)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut vars = TemplateVars::new();
    let url = svc.config.public_url.join(&format!(
        "{base}/login/verify?token={}",
        outbox::SIGN_IN_TOKEN_PLACEHOLDER
    ));
    vars.insert("magic_link_url".into(), url);
    vars.insert(
        "link_expires_minutes".into(),
        MAGIC_LINK_TTL_MINUTES.to_string(),
    );
    let mut email = outbox::Mailroom::load(&txn, svc.config.public_url.as_str(), &org)
        .await?
        .email(&found, EmailKind::MagicLink, vars)?;
    email.magic_link_id = Some(link.id);
    outbox::queue_email(&txn, email, now).await?;
    txn.commit().await?;
    Ok(())
}

/// The link with this token, if it belongs to this portal's organization.
async fn find_link(
    svc: &PortalService,
    org_id: i64,
    token: &str,
) -> Result<Option<magic_link::Model>, PortalError> {
    let hash = Token::from_client(token).hash();
    Ok(magic_link::Entity::find()
        .filter(magic_link::Column::TokenHash.eq(hash.as_str()))
        .one(&svc.db)
        .await?
        .filter(|l| l.organization_id == org_id && hash.matches(&l.token_hash)))
}

/// The session row of `token_hash` with its customer (the header shows who is signed in),
/// remembered for the next requests.
async fn read_session(svc: &PortalService, hash: &TokenHash) -> Result<CachedSession, PortalError> {
    let ticket = svc.sessions.ticket();
    let (session, cust) = customer_session::Entity::find()
        .filter(customer_session::Column::TokenHash.eq(hash.as_str()))
        .find_also_related(customer::Entity)
        .one(&svc.db)
        .await?
        .filter(|(s, _)| hash.matches(&s.token_hash))
        .and_then(|(s, c)| {
            c.filter(|c| c.organization_id == s.organization_id)
                .map(|c| (s, c))
        })
        .ok_or(PortalError::Unauthenticated)?;
    let cached = CachedSession {
        id: session.id,
        organization_id: session.organization_id,
        customer_id: session.customer_id,
        created_at: session.created_at,
        last_seen_at: session.last_seen_at,
        name: cust.name,
        email: cust.email,
        app_return_url: session.app_return_url,
    };
    svc.sessions.keep(hash.as_str(), cached.clone(), ticket);
    Ok(cached)
}

impl PortalService {
    /// Answers a sign-in link request. The answer goes before anything that depends on whether
    /// the address is a customer's: the lookup, the link and its email are made afterwards, in
    /// the background, for known and unknown addresses alike, so neither the answer nor its
    /// timing tells an attacker who is a customer.
    #[tracing::instrument(skip(self, email, return_to), fields(email = %email.masked()))]
    pub async fn request_link(
        &self,
        key: &str,
        email: &EmailAddress,
        return_to: Option<&str>,
        ip: Option<std::net::IpAddr>,
    ) -> Result<(), PortalError> {
        let portal = self.enabled(key).await?;
        let now = self.now();
        let address = email.as_str().to_lowercase();
        // Both limits count every request, known address or not, so hitting one reveals nothing.
        let ip_ok = ip.is_none_or(|ip| self.limiter.hit(&format!("ip:{ip}"), PER_IP, now));
        let email_ok = self.limiter.hit(
            &format!("email:{}:{address}", portal.org.id),
            PER_EMAIL,
            now,
        );
        if !ip_ok || !email_ok {
            return Err(PortalError::RateLimited);
        }
        let base = format!("/portal/{key}");
        let request = LinkRequest {
            org: portal.org.clone(),
            base: base.clone(),
            address,
            return_to: return_to
                .and_then(|r| ReturnTo::parse(r, &base))
                .map(|r| r.as_str().to_owned()),
            now,
        };
        let svc = self.clone();
        self.background.spawn(async move {
            if let Err(err) = queue_link(&svc, request).await {
                tracing::error!(error = %err, "sign-in link could not be queued");
            }
        });
        Ok(())
    }

    /// What a link is, without using it.
    pub async fn link_state(&self, key: &str, token: &str) -> Result<LinkState, PortalError> {
        let portal = self.enabled(key).await?;
        let Some(link) = find_link(self, portal.org.id, token).await? else {
            return Ok(LinkState::Invalid);
        };
        Ok(
            match check_magic_link(link.created_at, link.expires_at, link.used_at, self.now()) {
                Ok(()) => LinkState::Valid,
                Err(MagicLinkError::AlreadyUsed) => LinkState::Used,
                Err(MagicLinkError::Expired) => LinkState::Expired,
            },
        )
    }

    /// Uses the link (once: the `used_at IS NULL` update decides races) and opens a brand-new
    /// session; the previous session of this browser, if any, is deleted (no fixation).
    pub async fn sign_in(
        &self,
        key: &str,
        token: &str,
        previous: Option<&str>,
    ) -> Result<SignedIn, PortalError> {
        self.use_link(key, token, previous, LinkUse::Posted).await
    }

    /// Opens the portal session of a merchant's app (`POST /v1/portal_sessions` made the
    /// URL; the customer's browser GETs it). Only links the API made open this way: an emailed
    /// link still takes the verify page's POST, which mail scanners do not send.
    pub async fn open_app_session(
        &self,
        key: &str,
        token: &str,
        previous: Option<&str>,
    ) -> Result<SignedIn, PortalError> {
        self.use_link(key, token, previous, LinkUse::AppUrl).await
    }

    async fn use_link(
        &self,
        key: &str,
        token: &str,
        previous: Option<&str>,
        how: LinkUse,
    ) -> Result<SignedIn, PortalError> {
        let portal = self.enabled(key).await?;
        let now = self.now();
        let link = find_link(self, portal.org.id, token)
            .await?
            .ok_or(PortalError::LinkRefused)?;
        check_magic_link(link.created_at, link.expires_at, link.used_at, now)
            .map_err(|_| PortalError::LinkRefused)?;
        if how == LinkUse::AppUrl && !link.from_api {
            return Err(PortalError::LinkRefused);
        }
        let txn = crate::db::begin_write(&self.db).await?;
        let used = magic_link::Entity::update_many()
            .col_expr(magic_link::Column::UsedAt, Expr::value(now))
            .filter(magic_link::Column::Id.eq(link.id))
            .filter(magic_link::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        if used.rows_affected != 1 {
            return Err(PortalError::LinkRefused);
        }
        let previous = previous.map(|p| Token::from_client(p).hash());
        if let Some(previous) = &previous {
            customer_session::Entity::delete_many()
                .filter(customer_session::Column::TokenHash.eq(previous.as_str()))
                .exec(&txn)
                .await?;
        }
        let cust = customer::Entity::find_by_id(link.customer_id)
            .one(&txn)
            .await?
            .filter(|c| c.organization_id == portal.org.id)
            .ok_or(PortalError::LinkRefused)?;
        let session = Token::generate();
        let policy = SessionPolicy::CUSTOMER;
        customer_session::ActiveModel {
            organization_id: Set(portal.org.id),
            customer_id: Set(cust.id),
            token_hash: Set(session.hash().as_str().to_owned()),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(policy.expires_at(now, now)),
            app_return_url: Set(link.app_return_url.clone().filter(|_| link.from_api)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        if let Some(previous) = &previous {
            // After the commit, so no request can cache the old row again.
            self.sessions.forget(previous.as_str());
        }
        let base = format!("/portal/{key}");
        let return_to = link
            .return_to
            .as_deref()
            .and_then(|r| ReturnTo::parse(r, &base))
            .map_or(base.clone(), |r| r.as_str().to_owned());
        Ok(SignedIn {
            session_token: session.expose().to_owned(),
            max_age_secs: policy.absolute.num_seconds(),
            return_to,
            // The app's choice for its session, else the customer's saved language.
            locale: link
                .locale
                .as_deref()
                .and_then(|l| domain::Locale::parse(l).ok())
                .or_else(|| domain::Locale::parse(&cust.locale).ok())
                .unwrap_or_default()
                .as_str()
                .to_owned(),
        })
    }

    /// The customer behind a session token of this portal, with the portal's current permissions.
    pub async fn authenticate(
        &self,
        key: &str,
        token: &str,
    ) -> Result<PortalCustomer, PortalError> {
        let portal = self.enabled(key).await?;
        let now = self.now();
        let hash = Token::from_client(token).hash();
        let session = match self.sessions.fresh(hash.as_str()) {
            Some(session) => session,
            None => read_session(self, &hash).await?,
        };
        if session.organization_id != portal.org.id {
            return Err(PortalError::Unauthenticated);
        }
        let policy = SessionPolicy::CUSTOMER;
        if !policy.is_valid(session.created_at, session.last_seen_at, now) {
            customer_session::Entity::delete_by_id(session.id)
                .exec(&crate::db::writer(&self.db))
                .await?;
            self.sessions.forget(hash.as_str());
            return Err(PortalError::Unauthenticated);
        }
        if now - session.last_seen_at > chrono::TimeDelta::seconds(30) {
            let ticket = self.sessions.ticket();
            let refreshed = customer_session::Entity::update_many()
                .col_expr(customer_session::Column::LastSeenAt, Expr::value(now))
                .col_expr(
                    customer_session::Column::ExpiresAt,
                    Expr::value(policy.expires_at(session.created_at, now)),
                )
                .filter(customer_session::Column::Id.eq(session.id))
                .exec(&crate::db::writer(&self.db))
                .await?;
            if refreshed.rows_affected != 1 {
                // Signed out meanwhile.
                self.sessions.forget(hash.as_str());
                return Err(PortalError::Unauthenticated);
            }
            let refreshed = CachedSession {
                last_seen_at: now,
                ..session.clone()
            };
            self.sessions.keep(hash.as_str(), refreshed, ticket);
        }
        Ok(PortalCustomer::authenticated(
            portal.org.id,
            session.customer_id,
            portal.permissions(),
            session.name,
            session.email,
            session.app_return_url,
        ))
    }

    /// Deletes the session.
    pub async fn sign_out(&self, key: &str, token: &str) -> Result<(), PortalError> {
        let portal = self.enabled(key).await?;
        let hash = Token::from_client(token).hash();
        customer_session::Entity::delete_many()
            .filter(customer_session::Column::TokenHash.eq(hash.as_str()))
            .filter(customer_session::Column::OrganizationId.eq(portal.org.id))
            .exec(&crate::db::writer(&self.db))
            .await?;
        // After the deletion: a request that read the row before it cannot cache it now.
        self.sessions.forget(hash.as_str());
        Ok(())
    }
}
