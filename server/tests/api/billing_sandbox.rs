//! The sandbox gateway: test cards, expiry, SEPA, idempotency and conflicts.

use chrono::NaiveDate;
use domain::{CardNumber, Currency, DeclineCode, ExpiryDate, Iban, Money};
use dunwell::billing::{
    ChargeOutcome, GatewayError, PaymentGateway, SANDBOX_FAILING_IBAN, SandboxGateway,
};
use dunwell::testing::TestDb;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::Eur)
}

async fn card_token(gw: &SandboxGateway, number: &str, exp: &str) -> Result<String, GatewayError> {
    let card = CardNumber::parse(number).unwrap();
    gw.tokenize_card(&card, ExpiryDate::parse(exp).unwrap(), "Test Holder")
        .await
        .map(|m| m.token)
}

fn declined(outcome: &ChargeOutcome) -> Option<DeclineCode> {
    match outcome {
        ChargeOutcome::Succeeded { .. } => None,
        ChargeOutcome::Declined { code, .. } => Some(*code),
    }
}

async fn test_cards_behave_as_documented(test_db: &TestDb) {
    let gw = SandboxGateway::new(test_db.db.clone());
    let visa = CardNumber::parse("4242 4242 4242 4242").unwrap();
    let saved = gw
        .tokenize_card(&visa, ExpiryDate::parse("12/30").unwrap(), "G")
        .await
        .unwrap();
    assert_eq!(
        (saved.brand.as_deref(), saved.last4.as_str()),
        (Some("visa"), "4242")
    );
    assert_eq!((saved.exp_month, saved.exp_year), (Some(12), Some(2030)));
    assert!(
        !format!("{saved:?}").contains(&saved.token),
        "the token stays out of Debug"
    );
    let cases: &[(&str, Option<DeclineCode>)] = &[
        ("4242424242424242", None),
        ("5555555555554444", None),
        ("378282246310005", None),
        ("4000000000009995", Some(DeclineCode::InsufficientFunds)),
        ("4000000000000341", Some(DeclineCode::CardDeclined)),
    ];
    for (i, (number, expected)) in cases.iter().enumerate() {
        let token = card_token(&gw, number, "12/30").await.unwrap();
        let outcome = gw
            .charge(&token, eur(2900), &format!("k{i}"), today())
            .await
            .unwrap();
        assert_eq!(
            declined(&outcome),
            *expected,
            "{number} on {}",
            test_db.backend
        );
    }
    assert_eq!(
        card_token(&gw, "4000000000000002", "12/30").await,
        Err(GatewayError::Declined(DeclineCode::CardDeclined))
    );
    assert_eq!(
        card_token(&gw, "4000000000000069", "12/30").await,
        Err(GatewayError::Declined(DeclineCode::ExpiredCard))
    );
    assert_eq!(gw.successful_charge_count().await.unwrap(), 3);
}

async fn expired_cards_decline_from_the_day_after_their_month(test_db: &TestDb) {
    let gw = SandboxGateway::new(test_db.db.clone());
    let token = card_token(&gw, "4242424242424242", "02/26").await.unwrap();
    let last_day = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
    assert_eq!(
        declined(&gw.charge(&token, eur(100), "a", last_day).await.unwrap()),
        None
    );
    assert_eq!(
        declined(&gw.charge(&token, eur(100), "b", today()).await.unwrap()),
        Some(DeclineCode::ExpiredCard)
    );
}

async fn sepa_debits(test_db: &TestDb) {
    let gw = SandboxGateway::new(test_db.db.clone());
    let failing = Iban::parse(SANDBOX_FAILING_IBAN).expect("the failing test IBAN passes mod-97");
    let good = Iban::parse("DE89 3704 0044 0532 0130 00").unwrap();
    let ok = gw.tokenize_sepa(&good, "G").await.unwrap();
    assert_eq!(
        (ok.last4.as_str(), ok.brand.clone(), ok.exp_month),
        ("3000", None, None)
    );
    let bad = gw.tokenize_sepa(&failing, "G").await.unwrap();
    assert_eq!(
        declined(
            &gw.charge(&ok.token, eur(2900), "s1", today())
                .await
                .unwrap()
        ),
        None
    );
    assert_eq!(
        declined(
            &gw.charge(&bad.token, eur(2900), "s2", today())
                .await
                .unwrap()
        ),
        Some(DeclineCode::SepaDebitFailed)
    );
}

async fn idempotency_keys_replay_and_conflict(test_db: &TestDb) {
    let gw = SandboxGateway::new(test_db.db.clone());
    let token = card_token(&gw, "4242424242424242", "12/30").await.unwrap();
    let other = card_token(&gw, "5555555555554444", "12/30").await.unwrap();
    let first = gw
        .charge(&token, eur(2900), "inv_x-attempt-1", today())
        .await
        .unwrap();
    let again = gw
        .charge(&token, eur(2900), "inv_x-attempt-1", today())
        .await
        .unwrap();
    assert_eq!(first, again);
    // A restart: a new adapter on the same storage still replays.
    let restarted = SandboxGateway::new(test_db.db.clone());
    assert_eq!(
        restarted
            .charge(&token, eur(2900), "inv_x-attempt-1", today())
            .await
            .unwrap(),
        first
    );
    assert_eq!(gw.charge_count().await.unwrap(), 1);
    assert_eq!(
        gw.charge(&token, eur(3000), "inv_x-attempt-1", today())
            .await,
        Err(GatewayError::IdempotencyConflict)
    );
    assert_eq!(
        gw.charge(&other, eur(2900), "inv_x-attempt-1", today())
            .await,
        Err(GatewayError::IdempotencyConflict)
    );
    assert_eq!(
        gw.charge(
            &token,
            Money::new(2900, Currency::Usd),
            "inv_x-attempt-1",
            today()
        )
        .await,
        Err(GatewayError::IdempotencyConflict)
    );
    assert_eq!(
        gw.charge(&token, eur(0), "z", today()).await,
        Err(GatewayError::InvalidAmount)
    );
    assert_eq!(
        gw.charge(&token, eur(-5), "z", today()).await,
        Err(GatewayError::InvalidAmount)
    );
    assert_eq!(
        gw.charge("tok_nope", eur(5), "z", today()).await,
        Err(GatewayError::UnknownToken)
    );
    assert_eq!(gw.successful_charge_count().await.unwrap(), 1);
    // Concurrent requests with one key: one charge.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (gw, token) = (gw.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            gw.charge(&token, eur(500), "same", today()).await
        }));
    }
    let mut references = std::collections::HashSet::new();
    for task in tasks {
        if let Ok(ChargeOutcome::Succeeded { reference }) = task.await.unwrap() {
            references.insert(reference);
        }
    }
    assert_eq!(references.len(), 1);
    assert_eq!(gw.successful_charge_count().await.unwrap(), 2);
}

on_each_database!(
    test_cards_behave_as_documented,
    expired_cards_decline_from_the_day_after_their_month,
    sepa_debits,
    idempotency_keys_replay_and_conflict,
);
