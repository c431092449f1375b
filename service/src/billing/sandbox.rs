//! The embedded test-mode processor. It keeps its own vault and charge log in the
//! `sandbox_gateway_*` tables, so idempotency survives a restart like a real processor's.
//!
//! Test numbers (any expiry, any holder):
//!
//! | number | saving it | charging it |
//! |---|---|---|
//! | 4242 4242 4242 4242, 5555 5555 5555 4444, any other valid number | ok | succeeds |
//! | 4000 0000 0000 0002 | declined `card_declined` | – |
//! | 4000 0000 0000 0069 | declined `expired_card` | – |
//! | 4000 0000 0000 9995 | ok (a balance problem, not a card problem) | declines `insufficient_funds` |
//! | 4000 0000 0000 0341 | ok | every charge declines `card_declined` |
//!
//! Any card charged after the last day of its expiry month declines with `expired_card`.
//! SEPA: every IBAN passing the mod-97 check succeeds, except [`SANDBOX_FAILING_IBAN`].

use super::gateway::{ChargeOutcome, ChargeRequest, GatewayError, PaymentGateway, TokenizedMethod};
use crate::entity::{sandbox_gateway_charge, sandbox_gateway_token};
use crate::secret::random_bytes;
use async_trait::async_trait;
use chrono::{NaiveDate, Utc};
use domain::{AttemptOutcome, CardNumber, DeclineCode, ExpiryDate, Iban, Money, PaymentMethodKind};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use std::collections::{HashMap, HashSet};
use tracing::instrument;

/// The SEPA test IBAN whose debits always fail with `sepa_debit_failed`. It is a valid
/// German IBAN (mod-97 check passes), so it gets past form validation like a real one.
pub const SANDBOX_FAILING_IBAN: &str = "DE62370400440532013001";

const SUCCEED: &str = "succeed";
const ALWAYS_DECLINE: &str = "always_decline";
const DECLINE_PREFIX: &str = "decline:";

/// The sandbox processor.
#[derive(Clone)]
pub struct SandboxGateway {
    db: DatabaseConnection,
}

impl SandboxGateway {
    /// A sandbox storing its vault and charges in `db`.
    pub fn new(db: DatabaseConnection) -> SandboxGateway {
        SandboxGateway { db }
    }

    /// How many charges succeeded at this gateway (money moved), over all keys.
    pub async fn successful_charge_count(&self) -> Result<u64, DbErr> {
        sandbox_gateway_charge::Entity::find()
            .filter(sandbox_gateway_charge::Column::Outcome.eq(AttemptOutcome::Succeeded.as_str()))
            .count(&self.db)
            .await
    }

    /// How many charges (any outcome) were recorded, over all keys.
    pub async fn charge_count(&self) -> Result<u64, DbErr> {
        sandbox_gateway_charge::Entity::find().count(&self.db).await
    }

    async fn store_token(
        &self,
        method: &TokenizedMethod,
        behavior: &str,
    ) -> Result<(), GatewayError> {
        sandbox_gateway_token::ActiveModel {
            token: Set(method.token.clone()),
            kind: Set(method.kind.as_str().to_owned()),
            brand: Set(method.brand.clone()),
            last4: Set(method.last4.clone()),
            exp_month: Set(method.exp_month.map(|m| m as i32)),
            exp_year: Set(method.exp_year),
            behavior: Set(behavior.to_owned()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&crate::db::writer(&self.db))
        .await
        .map_err(unavailable)?;
        Ok(())
    }
}

fn unavailable(err: DbErr) -> GatewayError {
    GatewayError::Unavailable(format!("sandbox storage: {err}"))
}

fn new_token(prefix: &str) -> String {
    let hex: String = random_bytes::<12>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{prefix}{hex}")
}

/// What saving a card number does, and how its charges behave afterwards.
fn card_behavior(card: &CardNumber) -> Result<String, GatewayError> {
    match card.expose_digits() {
        "4000000000000002" => Err(GatewayError::Declined(DeclineCode::CardDeclined)),
        "4000000000000069" => Err(GatewayError::Declined(DeclineCode::ExpiredCard)),
        "4000000000009995" => Ok(format!(
            "{DECLINE_PREFIX}{}",
            DeclineCode::InsufficientFunds.as_str()
        )),
        "4000000000000341" => Ok(ALWAYS_DECLINE.to_owned()),
        _ => Ok(SUCCEED.to_owned()),
    }
}

/// The outcome of charging a stored token on `today`.
fn decide(
    token: &sandbox_gateway_token::Model,
    today: NaiveDate,
) -> Result<Option<DeclineCode>, GatewayError> {
    if let (Some(month), Some(year)) = (token.exp_month, token.exp_year) {
        let expiry = u32::try_from(month)
            .ok()
            .and_then(|m| ExpiryDate::from_parts(m, year).ok())
            .ok_or_else(|| {
                GatewayError::Unavailable("sandbox vault holds a malformed expiry".into())
            })?;
        if expiry.is_expired_on(today) {
            return Ok(Some(DeclineCode::ExpiredCard));
        }
    }
    match token.behavior.as_str() {
        SUCCEED => Ok(None),
        ALWAYS_DECLINE => Ok(Some(DeclineCode::CardDeclined)),
        other => other
            .strip_prefix(DECLINE_PREFIX)
            .and_then(|code| DeclineCode::parse(code).ok())
            .map(Some)
            .ok_or_else(|| {
                GatewayError::Unavailable(format!(
                    "sandbox vault holds an unknown behavior {other:?}"
                ))
            }),
    }
}

fn outcome_of(row: &sandbox_gateway_charge::Model) -> Result<ChargeOutcome, GatewayError> {
    match row.decline_code.as_deref() {
        None => Ok(ChargeOutcome::Succeeded {
            reference: row.reference.clone(),
        }),
        Some(code) => DeclineCode::parse(code)
            .map(|code| ChargeOutcome::Declined {
                code,
                reference: row.reference.clone(),
            })
            .map_err(|e| GatewayError::Unavailable(format!("sandbox charge log: {e}"))),
    }
}

/// A replayed key must carry the same request; anything else is a caller bug.
fn replay(
    row: &sandbox_gateway_charge::Model,
    token: &str,
    amount: Money,
) -> Result<ChargeOutcome, GatewayError> {
    if row.token != token
        || row.amount_minor != amount.amount_minor
        || row.currency != amount.currency.code()
    {
        return Err(GatewayError::IdempotencyConflict);
    }
    outcome_of(row)
}

#[async_trait]
impl PaymentGateway for SandboxGateway {
    /// The sandbox's own store answers (a read of its token table).
    async fn check(&self) -> Result<(), GatewayError> {
        sandbox_gateway_token::Entity::find()
            .count(&self.db)
            .await
            .map(|_| ())
            .map_err(|e| GatewayError::Unavailable(e.to_string()))
    }

    #[instrument(skip(self, card, _holder), fields(brand = card.brand().as_str(), last4 = %card.last4()))]
    async fn tokenize_card(
        &self,
        card: &CardNumber,
        expiry: ExpiryDate,
        _holder: &str,
    ) -> Result<TokenizedMethod, GatewayError> {
        let behavior = card_behavior(card)?;
        let method = TokenizedMethod {
            token: new_token("tok_sandbox_"),
            kind: PaymentMethodKind::Card,
            brand: Some(card.brand().as_str().to_owned()),
            last4: card.last4(),
            exp_month: Some(expiry.month()),
            exp_year: Some(expiry.year()),
        };
        self.store_token(&method, &behavior).await?;
        Ok(method)
    }

    #[instrument(skip(self, iban, _holder), fields(country = iban.country(), last4 = iban.last4()))]
    async fn tokenize_sepa(
        &self,
        iban: &Iban,
        _holder: &str,
    ) -> Result<TokenizedMethod, GatewayError> {
        let behavior = if iban.expose() == SANDBOX_FAILING_IBAN {
            format!("{DECLINE_PREFIX}{}", DeclineCode::SepaDebitFailed.as_str())
        } else {
            SUCCEED.to_owned()
        };
        let method = TokenizedMethod {
            token: new_token("src_sepa_sandbox_"),
            kind: PaymentMethodKind::SepaDebit,
            brand: None,
            last4: iban.last4().to_owned(),
            exp_month: None,
            exp_year: None,
        };
        self.store_token(&method, &behavior).await?;
        Ok(method)
    }

    #[instrument(skip(self, token), fields(amount = amount.amount_minor, currency = %amount.currency))]
    async fn charge(
        &self,
        token: &str,
        amount: Money,
        idempotency_key: &str,
        today: NaiveDate,
    ) -> Result<ChargeOutcome, GatewayError> {
        let request = ChargeRequest {
            token,
            amount,
            idempotency_key,
            today,
        };
        self.charge_many(&[request])
            .await
            .pop()
            .unwrap_or_else(|| Err(GatewayError::Unavailable("sandbox lost a charge".into())))
    }

    /// The whole batch in two statements: the tokens, then one multi-row insert of the
    /// charges that returns the rows it wrote. A key seen before (or taken by a concurrent
    /// request) inserts nothing and is replayed from its stored row.
    #[instrument(skip_all, fields(charges = requests.len()))]
    async fn charge_many(
        &self,
        requests: &[ChargeRequest<'_>],
    ) -> Vec<Result<ChargeOutcome, GatewayError>> {
        match self.charge_batch(requests).await {
            Ok(results) => results,
            Err(err) => requests.iter().map(|_| Err(err.clone())).collect(),
        }
    }
}

impl SandboxGateway {
    async fn charge_batch(
        &self,
        requests: &[ChargeRequest<'_>],
    ) -> Result<Vec<Result<ChargeOutcome, GatewayError>>, GatewayError> {
        let wanted: HashSet<&str> = requests
            .iter()
            .filter(|r| r.amount.is_positive())
            .map(|r| r.token)
            .collect();
        let tokens = self.find_tokens(wanted.into_iter().collect()).await?;
        let mut rows = Vec::new();
        let mut keys: HashSet<&str> = HashSet::new();
        let mut plans = Vec::with_capacity(requests.len());
        for r in requests {
            let plan = if !r.amount.is_positive() {
                Plan::Done(Err(GatewayError::InvalidAmount))
            } else if !keys.insert(r.idempotency_key) {
                Plan::Replay(None) // the same key twice in one batch
            } else {
                match tokens.get(r.token).map(|stored| decide(stored, r.today)) {
                    Some(Ok(decline)) => {
                        rows.push(new_charge(r, decline));
                        Plan::Replay(None)
                    }
                    // A key charged before is replayed even if its token is gone now.
                    Some(Err(err)) => Plan::Replay(Some(err)),
                    None => Plan::Replay(Some(GatewayError::UnknownToken)),
                }
            };
            plans.push(plan);
        }
        // Two concurrent requests with one key: the unique key lets exactly one insert win,
        // and the loser replays the winner's result.
        let mut charges = HashMap::new();
        for chunk in rows.chunks(crate::db::MAX_BIND_PARAMS / 16) {
            let inserted = sandbox_gateway_charge::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::column(sandbox_gateway_charge::Column::IdempotencyKey)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_with_returning(&crate::db::writer(&self.db))
                .await
                .map_err(unavailable)?;
            charges.extend(inserted.into_iter().map(|c| (c.idempotency_key.clone(), c)));
        }
        let seen_before: Vec<&str> = keys
            .into_iter()
            .filter(|k| !charges.contains_key(*k))
            .collect();
        if !seen_before.is_empty() {
            charges.extend(self.find_charges(&seen_before).await?);
        }
        Ok(requests
            .iter()
            .zip(plans)
            .map(|(r, plan)| match plan {
                Plan::Done(result) => result,
                Plan::Replay(otherwise) => match (charges.get(r.idempotency_key), otherwise) {
                    (Some(row), _) => replay(row, r.token, r.amount),
                    (None, Some(err)) => Err(err),
                    (None, None) => Err(GatewayError::Unavailable(
                        "sandbox charge log lost a row".into(),
                    )),
                },
            })
            .collect())
    }

    async fn find_charges(
        &self,
        keys: &[&str],
    ) -> Result<HashMap<String, sandbox_gateway_charge::Model>, GatewayError> {
        let mut found = HashMap::new();
        for chunk in keys.chunks(crate::db::MAX_BIND_PARAMS) {
            let rows = sandbox_gateway_charge::Entity::find()
                .filter(sandbox_gateway_charge::Column::IdempotencyKey.is_in(chunk.iter().copied()))
                .all(&self.db)
                .await
                .map_err(unavailable)?;
            found.extend(rows.into_iter().map(|r| (r.idempotency_key.clone(), r)));
        }
        Ok(found)
    }

    async fn find_tokens(
        &self,
        tokens: Vec<&str>,
    ) -> Result<HashMap<String, sandbox_gateway_token::Model>, GatewayError> {
        let mut found = HashMap::new();
        for chunk in tokens.chunks(crate::db::MAX_BIND_PARAMS) {
            let rows = sandbox_gateway_token::Entity::find()
                .filter(sandbox_gateway_token::Column::Token.is_in(chunk.iter().copied()))
                .all(&self.db)
                .await
                .map_err(unavailable)?;
            found.extend(rows.into_iter().map(|t| (t.token.clone(), t)));
        }
        Ok(found)
    }
}

/// What one request of a batch comes to.
enum Plan {
    /// Answered without the charge log.
    Done(Result<ChargeOutcome, GatewayError>),
    /// Answered from the key's row in the charge log; the error when it has none.
    Replay(Option<GatewayError>),
}

fn new_charge(
    r: &ChargeRequest<'_>,
    decline: Option<DeclineCode>,
) -> sandbox_gateway_charge::ActiveModel {
    let outcome = match decline {
        None => AttemptOutcome::Succeeded,
        Some(_) => AttemptOutcome::Failed,
    };
    sandbox_gateway_charge::ActiveModel {
        idempotency_key: Set(r.idempotency_key.to_owned()),
        token: Set(r.token.to_owned()),
        amount_minor: Set(r.amount.amount_minor),
        currency: Set(r.amount.currency.code().to_owned()),
        outcome: Set(outcome.as_str().to_owned()),
        decline_code: Set(decline.map(|c| c.as_str().to_owned())),
        reference: Set(new_token("ch_sandbox_")),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
}
