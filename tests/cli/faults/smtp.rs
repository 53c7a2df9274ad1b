//! The SMTP server goes down while mail is being queued (sign-ups, password resets, a second
//! sign-up with a known address), stays down through several failed attempts, and comes back:
//! every email is then delivered exactly once. The server is a small SMTP sink written here
//! (`Sink`); stopping it closes its port and cuts its connections, as a server going down does.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use serde_json::json;

use super::smtp_sink::Sink;
use crate::free_port;
use crate::site::{Database, PASSWORD, Service, Site};

/// (Message-ID, recipient, subject) of every message received.
fn received(sink: &Sink) -> Vec<(String, String, String)> {
    sink.messages()
        .iter()
        .map(|raw| {
            let message = mail_parser::MessageParser::default().parse(raw).unwrap();
            let to = message.to().and_then(|a| a.first()).and_then(|a| a.address());
            (
                message.message_id().unwrap_or_default().to_owned(),
                to.unwrap_or_default().to_lowercase(),
                message.subject().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Waits (at most 60 s) until `count` messages arrived; returns when they had.
async fn wait_for(sink: &Sink, count: usize) -> Instant {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let arrived = sink.messages().len();
        if arrived >= count {
            return Instant::now();
        }
        assert!(Instant::now() < deadline, "{arrived} of {count} emails arrived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn accepted(service: &Service, path: &str, body: serde_json::Value) {
    let (status, answer) = service.post(path, None, body).await;
    assert_eq!(status, 202, "{path}: {answer}");
}

async fn register(service: &Service, email: &str) {
    let body = json!({"email": email, "password": PASSWORD, "role": "candidate", "display_name": "Fault"});
    accepted(service, "/api/v1/auth/register", body).await;
}

/// How long the SMTP server stays down.
const OUTAGE: Duration = Duration::from_secs(4);

async fn mail_survives_an_smtp_outage(database: Database, backend: &str) {
    let site = Site::new(database);
    let sink = Sink {
        port: free_port(),
        dir: site.data_dir().with_extension("smtp"),
    };
    let log = site.data_dir().with_extension("log");
    let mut server = Some(sink.start().await);
    let service = site.serve_with(|command| {
        command
            .env(
                "TALENTBRIDGE__MAIL__TRANSPORT",
                format!("smtp://127.0.0.1:{}", sink.port),
            )
            .env("TALENTBRIDGE__MAIL__POLL_INTERVAL_MS", "100")
            .env("TALENTBRIDGE__MAIL__RETRY_BASE_SECS", "1")
            .env("TALENTBRIDGE__MAIL__RETRY_CAP_SECS", "2")
            .env("TALENTBRIDGE__AUTH__IP_REQUESTS_PER_MINUTE", "1000")
            .stderr(std::fs::File::create(&log).unwrap());
    });

    // While the server is up: five sign-ups, five emails.
    let before: Vec<String> = (0..5).map(|i| format!("early-{i}@example.com")).collect();
    for email in &before {
        register(&service, email).await;
    }
    wait_for(&sink, before.len()).await;

    // Down: sign-ups, resets for the earlier accounts, and a sign-up with a known address.
    drop(server.take());
    let down = Instant::now();
    let during: Vec<String> = (0..20).map(|i| format!("late-{i}@example.com")).collect();
    for email in &during {
        register(&service, email).await;
    }
    for email in &before {
        accepted(
            &service,
            "/api/v1/auth/password-reset/request",
            json!({"email": email}),
        )
        .await;
    }
    register(&service, &before[0]).await;
    let queued = during.len() + before.len() + 1;
    tokio::time::sleep(OUTAGE.saturating_sub(down.elapsed())).await;
    assert_eq!(
        received(&sink).len(),
        before.len(),
        "nothing arrives while the server is down"
    );

    let _server = sink.start().await;
    let up = Instant::now();
    let all = wait_for(&sink, before.len() + queued).await;
    // Long enough for a duplicate to show: two retry intervals and a poll.
    tokio::time::sleep(Duration::from_secs(5)).await;

    let received = received(&sink);
    let ids: HashSet<&str> = received.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids.len(), received.len(), "no message was delivered twice");
    let mut per_recipient: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (_, to, subject) in &received {
        per_recipient.entry(to).or_default().push(subject);
    }
    for email in &during {
        assert_eq!(
            per_recipient[email.as_str()].len(),
            1,
            "{email}: {per_recipient:?}"
        );
    }
    for (i, email) in before.iter().enumerate() {
        let subjects: HashSet<_> = per_recipient[email.as_str()].iter().collect();
        let expected = if i == 0 { 3 } else { 2 };
        assert_eq!(
            per_recipient[email.as_str()].len(),
            expected,
            "{email}: {per_recipient:?}"
        );
        assert_eq!(
            subjects.len(),
            expected,
            "{email}: each email once: {per_recipient:?}"
        );
    }
    assert_eq!(received.len(), before.len() + queued, "nothing else arrived");
    assert!(service.exited().is_none(), "the service kept running");
    service.stop();

    let printed = std::fs::read_to_string(&log).unwrap();
    let failed_attempts = printed.matches("email not sent").count();
    assert!(
        failed_attempts > 0,
        "sends were tried during the outage:\n{printed}"
    );
    assert!(!super::shows_a_panic(&printed), "{printed}");
    println!(
        "SMTP outage ({backend}): server down {:.1} s; {queued} emails queued meanwhile ({} sign-ups, \
         {} resets, 1 known-address sign-up), {failed_attempts} failed send attempts; all delivered \
         {} ms after the server returned; {} messages received in all, each once (0 duplicates, 0 lost)",
        (up - down).as_secs_f64(),
        during.len(),
        before.len(),
        (all - up).as_millis(),
        received.len(),
    );
}

crate::on_both_databases!(
    mail_queued_during_an_smtp_outage_is_delivered_once,
    mail_survives_an_smtp_outage
);
