//! The SMTP server goes down while mail is being queued (sign-ups, password resets, a second
//! sign-up with a known address), stays down through several failed attempts, and comes back:
//! every email is then delivered exactly once. The server is `tests/faults/smtp_sink.py`
//! (aiosmtpd), a process of its own that is killed and started again like a real one.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::site::{Database, PASSWORD, Service, Site};
use crate::{Running, free_port};

/// The Python that runs the sink: `TALENTBRIDGE_FAULTS_PYTHON` (set by `.ci/run`), else the
/// venv `.ci/run` makes. A missing sink fails the test: an outage test that skips proves nothing.
fn sink_python() -> PathBuf {
    let python = std::env::var_os("TALENTBRIDGE_FAULTS_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/.venv/bin/python"));
    let works = Command::new(&python)
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        works,
        "the SMTP sink needs a Python with aiosmtpd: run `bash .ci/run` once (it makes .ci/.venv \
         from tests/faults/requirements.txt) or set TALENTBRIDGE_FAULTS_PYTHON; tried {}",
        python.display()
    );
    python
}

/// The SMTP sink on a fixed port, writing each message it accepts into `dir`.
struct Sink {
    python: PathBuf,
    port: u16,
    dir: PathBuf,
}

impl Sink {
    fn start(&self) -> Running {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/faults/smtp_sink.py");
        let mut child: Child = Command::new(&self.python)
            .arg(script)
            .args(["--port", &self.port.to_string(), "--dir"])
            .arg(&self.dir)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(
            line.starts_with("listening"),
            "the SMTP sink did not start: {line:?}"
        );
        Running(child)
    }

    /// (Message-ID, recipient, subject) of every message received.
    fn received(&self) -> Vec<(String, String, String)> {
        let mut messages = Vec::new();
        for entry in std::fs::read_dir(&self.dir).unwrap().filter_map(Result::ok) {
            if !entry.file_name().to_string_lossy().ends_with(".eml") {
                continue; // still being written
            }
            let raw = std::fs::read(entry.path()).unwrap();
            let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
            let to = message.to().and_then(|a| a.first()).and_then(|a| a.address());
            messages.push((
                message.message_id().unwrap_or_default().to_owned(),
                to.unwrap_or_default().to_lowercase(),
                message.subject().unwrap_or_default().to_owned(),
            ));
        }
        messages
    }

    /// Waits (at most 60 s) until `count` messages arrived; returns when they had.
    async fn wait_for(&self, count: usize) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let received = self.received().len();
            if received >= count {
                return Instant::now();
            }
            assert!(Instant::now() < deadline, "{received} of {count} emails arrived");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
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
        python: sink_python(),
        port: free_port(),
        dir: site.data_dir().with_extension("smtp"),
    };
    let log = site.data_dir().with_extension("log");
    let mut server = Some(sink.start());
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
    sink.wait_for(before.len()).await;

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
        sink.received().len(),
        before.len(),
        "nothing arrives while the server is down"
    );

    let _server = sink.start();
    let up = Instant::now();
    let all = sink.wait_for(before.len() + queued).await;
    // Long enough for a duplicate to show: two retry intervals and a poll.
    tokio::time::sleep(Duration::from_secs(5)).await;

    let received = sink.received();
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
