//! Email delivery over a real SMTP connection to a tiny sink started by the test, with
//! MIME decoding (quoted-printable splits long links across lines), and retries while the
//! SMTP server is down.

use crate::support::billing_fixture as fixture;

use base64::Engine;
use chrono::TimeDelta;
use dunwell::billing::{DeliveryWorker, LogMailer, Mailer, SmtpMailer};
use dunwell::testing::TestDb;
use fixture::{PORTAL_KEY, PUBLIC_URL, days, setup, t0};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Received messages (the raw DATA, dot-unstuffed).
type Inbox = Arc<Mutex<Vec<String>>>;

/// Speaks just enough SMTP: 220, EHLO/HELO 250, MAIL/RCPT 250, DATA 354 … "." 250, QUIT 221.
async fn smtp_sink(listener: TcpListener) -> Inbox {
    let inbox: Inbox = Arc::default();
    let shared = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let inbox = shared.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.ok();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "DATA" => {
                            write.write_all(b"354 go ahead\r\n").await.ok();
                            let mut data = String::new();
                            while let Ok(Some(line)) = lines.next_line().await {
                                if line == "." {
                                    break;
                                }
                                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                                data.push_str("\r\n");
                            }
                            inbox.lock().unwrap().push(data);
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.ok();
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    inbox
}

fn decode_qp(body: &str) -> String {
    let joined = body.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if bytes[i] == b'='
            && let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8 after decoding")
}

/// The decoded (content type, body) parts of a multipart message.
fn decode_parts(raw: &str) -> Vec<(String, String)> {
    let boundary = raw
        .split("boundary=")
        .nth(1)
        .expect("a multipart message")
        .trim_start_matches('"')
        .split(['"', '\r', '\n', ';'])
        .next()
        .unwrap()
        .to_owned();
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for chunk in raw.split(&delimiter).skip(1) {
        if chunk.starts_with("--") {
            break;
        }
        let Some((headers, body)) = chunk.split_once("\r\n\r\n") else {
            continue;
        };
        let headers_lower = headers.to_ascii_lowercase();
        let content_type = if headers_lower.contains("text/html") {
            "text/html"
        } else {
            "text/plain"
        };
        let body = body.trim_end_matches("\r\n");
        let decoded = if headers_lower.contains("content-transfer-encoding: quoted-printable") {
            decode_qp(body)
        } else if headers_lower.contains("content-transfer-encoding: base64") {
            let compact: String = body.split_whitespace().collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .unwrap(),
            )
            .unwrap()
        } else {
            body.to_owned()
        };
        parts.push((content_type.to_owned(), decoded.replace("\r\n", "\n")));
    }
    parts
}

/// Giulia's expired card fails the renewal: an "invoice created" and a "payment failed"
/// email are queued.
async fn queue_failure_emails(f: &fixture::Fixture) {
    f.clock.set(t0() - days(40));
    f.card(&f.customer, "4242 4242 4242 4242", "02/26").await;
    f.run_at(t0()).await;
    assert_eq!(f.email_kinds().await, ["invoice_created", "payment_failed"]);
}

async fn emails_reach_an_smtp_server_with_links_intact(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    queue_failure_emails(&f).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = smtp_sink(listener).await;
    let mailer = SmtpMailer::from_url(
        &format!("smtp://127.0.0.1:{port}"),
        "Acme Billing <billing@acme.test>",
    )
    .unwrap();
    let worker = DeliveryWorker::new(f.db.clone(), Arc::new(mailer));
    let report = worker.run_once(t0()).await.unwrap();
    assert_eq!(report.sent, 2, "{report:?} on {}", test_db.backend);
    assert!(
        f.emails()
            .await
            .iter()
            .all(|e| e.status == "sent" && e.sent_at == Some(t0()))
    );
    assert_eq!(
        worker.run_once(t0() + days(1)).await.unwrap().sent,
        0,
        "nothing is sent twice"
    );

    let messages = inbox.lock().unwrap().clone();
    assert_eq!(messages.len(), 2);
    let failed = messages
        .iter()
        .find(|m| {
            decode_parts(m)
                .iter()
                .any(|(_, body)| body.contains("Aggiorna metodo di pagamento"))
        })
        .expect("the payment-failed email arrived");
    assert!(failed.contains("To: giulia@example.com"));
    let parts = decode_parts(failed);
    assert_eq!(parts.len(), 2, "text and HTML alternatives");
    let update_link = format!(
        "{PUBLIC_URL}/portal/{PORTAL_KEY}/login?return_to=/portal/{PORTAL_KEY}/payment-methods"
    );
    let text = &parts.iter().find(|(t, _)| t == "text/plain").unwrap().1;
    let html = &parts.iter().find(|(t, _)| t == "text/html").unwrap().1;
    assert!(text.contains(&update_link), "{text}");
    assert!(text.contains("Aggiorna metodo di pagamento"));
    assert!(text.contains("29,00 €"));
    assert!(html.contains(&format!("href=\"{update_link}\"")), "{html}");
}

async fn smtp_down_keeps_the_email_queued_until_it_comes_up(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    queue_failure_emails(&f).await;
    // A port with nothing listening.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let mailer =
        SmtpMailer::from_url(&format!("smtp://127.0.0.1:{port}"), "billing@acme.test").unwrap();
    let worker = DeliveryWorker::new(f.db.clone(), Arc::new(mailer));
    let report = worker.run_once(t0()).await.unwrap();
    assert_eq!((report.sent, report.retried), (0, 2));
    for email in f.emails().await {
        assert_eq!((email.status.as_str(), email.attempts), ("queued", 1));
        assert!(email.last_error.is_some());
        assert_eq!(email.next_attempt_at, t0() + TimeDelta::minutes(1));
    }
    // Not due again yet.
    assert_eq!(
        worker
            .run_once(t0() + TimeDelta::seconds(30))
            .await
            .unwrap(),
        Default::default()
    );
    // The server comes up on that port.
    let inbox = smtp_sink(TcpListener::bind(("127.0.0.1", port)).await.unwrap()).await;
    let report = worker.run_once(t0() + TimeDelta::minutes(2)).await.unwrap();
    assert_eq!(report.sent, 2);
    assert_eq!(inbox.lock().unwrap().len(), 2);
    for email in f.emails().await {
        assert_eq!(
            (email.status.as_str(), email.attempts, email.last_error),
            ("sent", 2, None)
        );
    }
}

async fn the_log_mailer_leaves_the_outbox_alone(test_db: &TestDb) {
    let f = setup(&test_db.db).await;
    queue_failure_emails(&f).await;
    assert!(!LogMailer.delivers());
    let worker = DeliveryWorker::new(f.db.clone(), Arc::new(LogMailer));
    assert_eq!(
        worker.run_once(t0() + days(1)).await.unwrap(),
        Default::default()
    );
    assert!(f.emails().await.iter().all(|e| e.status == "queued"));
}

on_each_database!(
    emails_reach_an_smtp_server_with_links_intact,
    smtp_down_keeps_the_email_queued_until_it_comes_up,
    the_log_mailer_leaves_the_outbox_alone,
);
