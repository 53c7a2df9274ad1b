//! The outbox and its dispatcher against a real SMTP conversation: mail queued while the server
//! is down is delivered once it comes back, exactly once, and marked sent only after acceptance.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use talentbridge::db::schema::mail_outbox;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

/// A minimal SMTP server that accepts every message and keeps its text.
async fn smtp_sink(listener: TcpListener, received: Arc<Mutex<Vec<String>>>) {
    loop {
        let Ok((socket, _)) = listener.accept().await else {
            return;
        };
        let received = received.clone();
        tokio::spawn(async move {
            let (reader, mut writer) = socket.into_split();
            let mut lines = BufReader::new(reader).lines();
            let _ = writer.write_all(b"220 sink ready\r\n").await;
            let mut message: Option<String> = None;
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(body) = message.as_mut() {
                    if line == "." {
                        received.lock().unwrap().push(message.take().unwrap());
                        let _ = writer.write_all(b"250 queued\r\n").await;
                    } else {
                        body.push_str(&line);
                        body.push('\n');
                    }
                    continue;
                }
                let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                let reply: &[u8] = match verb.as_str() {
                    "EHLO" | "HELO" => b"250 sink\r\n",
                    "DATA" => {
                        message = Some(String::new());
                        b"354 go ahead\r\n"
                    }
                    "QUIT" => {
                        let _ = writer.write_all(b"221 bye\r\n").await;
                        return;
                    }
                    _ => b"250 OK\r\n",
                };
                let _ = writer.write_all(reply).await;
            }
        });
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

type OutboxState = (i32, Option<chrono::NaiveDateTime>, Option<String>);

async fn outbox_rows(app: &TestApp) -> Vec<OutboxState> {
    let db = app.db().await;
    db.read(|conn| {
        Ok(mail_outbox::table
            .select((
                mail_outbox::attempts,
                mail_outbox::sent_at,
                mail_outbox::last_error,
            ))
            .load::<OutboxState>(conn)?)
    })
    .await
    .unwrap()
}

on_both_backends! {
    async fn mail_waits_for_the_smtp_server_and_is_delivered_once(backend: Backend) {
        let port = free_port();
        let app = TestApp::spawn_with(backend, |s| {
            s.mail.transport = format!("smtp://127.0.0.1:{port}");
            s.mail.retry_base_secs = 1;
        })
        .await;
        let email = format!("queued-{}@example.com", uuid::Uuid::new_v4().simple());
        app.register(&email, PASSWORD, "candidate").await;

        // The server is down: the attempt fails, the email stays queued with its error.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let rows = outbox_rows(&app).await;
            assert_eq!(rows.len(), 1);
            let (attempts, sent_at, last_error) = &rows[0];
            assert!(sent_at.is_none(), "nothing could have accepted it");
            if *attempts >= 1 {
                assert!(last_error.is_some());
                break;
            }
            assert!(Instant::now() < deadline, "no delivery attempt was made");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        // The server comes back: the retry delivers it.
        let received = Arc::new(Mutex::new(Vec::new()));
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        tokio::spawn(smtp_sink(listener, received.clone()));
        let deadline = Instant::now() + Duration::from_secs(15);
        while received.lock().unwrap().is_empty() {
            assert!(Instant::now() < deadline, "the queued email was never delivered");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let messages = received.lock().unwrap().clone();
        assert_eq!(messages.len(), 1, "delivered exactly once");
        assert!(messages[0].contains(&email));
        assert!(messages[0].contains("Subject: Confirm your email address"));
        let rows = outbox_rows(&app).await;
        assert!(rows[0].1.is_some(), "marked sent after the server accepted it");
    }
}
