//! The outbox and its dispatcher against a real SMTP conversation: mail queued while the server
//! is down is delivered once it comes back, exactly once, and marked sent only after acceptance.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use talentbridge::db::schema::mail_outbox;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;
use crate::smtp_sink::Sink;

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

        // The server is down: the attempt fails, the email stays queued with its error — and
        // its body, which the retry sends.
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
        let (_, text, html) = &outbox_bodies(&app, &email).await[0];
        assert!(text.contains("token=") && html.contains("token="), "a queued email keeps its link: {text}");

        // The server comes back: the retry delivers it.
        let kept = tempfile::tempdir().unwrap();
        let sink = Sink { port, dir: kept.path().to_owned() };
        let _server = sink.start().await;
        let deadline = Instant::now() + Duration::from_secs(15);
        while sink.messages().is_empty() {
            assert!(Instant::now() < deadline, "the queued email was never delivered");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let messages: Vec<String> = sink.messages().iter().map(|m| String::from_utf8_lossy(m).into_owned()).collect();
        assert_eq!(messages.len(), 1, "delivered exactly once");
        assert!(messages[0].contains(&email));
        assert!(messages[0].contains("Subject: Confirm your email address"));
        let rows = outbox_rows(&app).await;
        assert!(rows[0].1.is_some(), "marked sent after the server accepted it");
        assert!(messages[0].contains("token="), "the delivered email has the link");
        let (template, text, html) = &outbox_bodies(&app, &email).await[0];
        assert_eq!((template.as_str(), text.as_str(), html.as_str()), ("verify_email", "", ""));
    }
}

/// Template and body of every email queued for `recipient`.
async fn outbox_bodies(app: &TestApp, recipient: &str) -> Vec<(String, String, String)> {
    let recipient = recipient.to_owned();
    app.db()
        .await
        .read(move |conn| {
            Ok(mail_outbox::table
                .filter(mail_outbox::recipient.eq(recipient))
                .select((
                    mail_outbox::template,
                    mail_outbox::body_text,
                    mail_outbox::body_html,
                ))
                .load(conn)?)
        })
        .await
        .unwrap()
}

on_both_backends! {
    async fn a_delivered_email_leaves_no_live_token_in_the_outbox(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let email = format!("reset-{}@example.com", uuid::Uuid::new_v4().simple());
        app.register(&email, PASSWORD, "candidate").await;
        app.request_password_reset(&email).await;
        let mails = app.wait_for_mail(&email, 2).await;
        let reset = mails.iter().find(|mail| mail.subject.contains("password")).expect("a reset email");
        let token = reset.token();
        assert!(token.len() >= 20, "{token}");

        // The file is written before the row is marked sent: wait for the mark.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let db = app.db().await;
            let address = email.clone();
            let unsent: i64 = db
                .read(move |conn| {
                    Ok(mail_outbox::table
                        .filter(mail_outbox::recipient.eq(address))
                        .filter(mail_outbox::sent_at.is_null())
                        .count()
                        .get_result(conn)?)
                })
                .await
                .unwrap();
            if unsent == 0 {
                break;
            }
            assert!(Instant::now() < deadline, "the emails were never marked sent");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let rows = outbox_bodies(&app, &email).await;
        let mut templates: Vec<&str> = rows.iter().map(|(template, _, _)| template.as_str()).collect();
        templates.sort();
        assert_eq!(templates, ["password_reset", "verify_email"], "the rows stay, with their template");
        for (template, text, html) in &rows {
            assert!(!text.contains(&token) && !html.contains(&token), "{template} still holds the token");
            assert_eq!((text.as_str(), html.as_str()), ("", ""), "{template} keeps no body");
        }

        // The token itself still works: only the copy at rest is gone.
        let changed = app.confirm_password_reset(&token, "another-Secret-42").await;
        assert!(changed.status.is_success(), "{:?}", changed.body);
        app.sign_in(&email, "another-Secret-42").await;
    }
}
