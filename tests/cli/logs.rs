//! No secrets and no personal data in the logs: the real binary at `RUST_LOG=debug` goes through
//! sign-up, email verification, login (a failed one too), refresh, refresh-token reuse, password
//! reset and logout; everything it printed (stdout and stderr) must hold none of the passwords,
//! tokens, the JWT key or the email address.

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{Running, free_port, stop, talentbridge, wait_for_line};

const JWT_SECRET: &str = "log-test-jwt-secret-7f3c9a1e5b2d4c6e8a0b";
const EMAIL: &str = "wong.siu.ming@example.com";
const PASSWORD: &str = "harbour-lantern-31-crossing";
const NEW_PASSWORD: &str = "kowloon-ferry-47-evening-tide";

/// The `token=` of the `count`-th email (oldest first) once it has arrived.
const SPOOFED_ADDRESS: &str = "203.0.113.77";

/// The log text without its ANSI colour sequences (`ESC [ … m`).
fn without_colours(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|c| *c == 'm');
        } else {
            plain.push(c);
        }
    }
    plain
}

fn emailed_token(mail_dir: &std::path::Path, count: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let mut mails: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(mail_dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .filter_map(|e| {
                        let raw = std::fs::read(e.path()).ok()?;
                        let message = mail_parser::MessageParser::default().parse(&raw)?;
                        let text = message.body_text(0)?.into_owned();
                        Some((e.metadata().ok()?.modified().ok()?, text))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if mails.len() >= count {
            mails.sort_by_key(|(modified, _)| *modified);
            let text = &mails[count - 1].1;
            let start = text.find("token=").expect("a token link") + "token=".len();
            return text[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
        }
        assert!(Instant::now() < deadline, "email {count} did not arrive");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn logs_hold_no_secrets_tokens_or_email_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let log_path = dir.path().join("stderr.log");
    let port = free_port();
    let mut child = talentbridge(&data_dir)
        .env("RUST_LOG", "debug")
        .env("TALENTBRIDGE__AUTH__JWT_SECRET", JWT_SECRET)
        .env("TALENTBRIDGE__MAIL__TRANSPORT", "file://mail")
        .env("TALENTBRIDGE__MAIL__POLL_INTERVAL_MS", "50")
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    // wait_for_line keeps draining stdout into nothing after the needle, so collect what it saw
    // and check stdout's start too (the banner); the logs themselves go to stderr.
    let banner = wait_for_line(&mut child, "API docs");
    let running = Running(child);
    let mail_dir = data_dir.join("mail");
    let base = format!("http://127.0.0.1:{port}/api/v1");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let secrets = runtime.block_on(async {
        let client = reqwest::Client::new();
        let post = |path: &str, body: Value| {
            let request = client.post(format!("{base}{path}")).json(&body);
            async move {
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let body: Value = response.json().await.unwrap_or(Value::Null);
                (status, body)
            }
        };
        let mut secrets = vec![
            JWT_SECRET.to_owned(),
            EMAIL.to_owned(),
            PASSWORD.to_owned(),
            NEW_PASSWORD.to_owned(),
        ];

        let body = json!({"email": EMAIL, "password": PASSWORD, "role": "candidate", "display_name": "Wong Siu Ming"});
        assert_eq!(post("/auth/register", body.clone()).await.0, 202);
        // Registering again (the "you already have an account" path) and a malformed body.
        assert_eq!(post("/auth/register", body).await.0, 202);
        let verification = emailed_token(&mail_dir, 1);
        assert_eq!(post("/auth/verify-email", json!({"token": verification})).await.0, 204);
        secrets.push(verification);

        // A client naming another address: with no trusted proxy the log keeps the real one.
        let spoofed = client
            .post(format!("{base}/auth/login"))
            .header("x-forwarded-for", SPOOFED_ADDRESS)
            .header("forwarded", format!("for={SPOOFED_ADDRESS}"))
            .json(&json!({"email": EMAIL, "password": "wrong-password-9-lives"}))
            .send()
            .await
            .unwrap();
        assert_eq!(spoofed.status().as_u16(), 401);
        assert_eq!(post("/auth/login", json!({"email": EMAIL, "password": 12345})).await.0, 400);
        let (status, login) = post("/auth/login", json!({"email": EMAIL, "password": PASSWORD})).await;
        assert_eq!(status, 200, "{login}");
        let access = login["access_token"].as_str().unwrap().to_owned();
        let refresh = login["refresh_token"].as_str().unwrap().to_owned();

        let me = client.get(format!("{base}/me")).bearer_auth(&access).send().await.unwrap();
        assert_eq!(me.status().as_u16(), 200);
        // A tampered token is refused (and the refusal is logged at debug).
        let tampered = format!("{access}x");
        let refused = client.get(format!("{base}/me")).bearer_auth(&tampered).send().await.unwrap();
        assert_eq!(refused.status().as_u16(), 401);

        let (status, rotated) = post("/auth/refresh", json!({"refresh_token": refresh})).await;
        assert_eq!(status, 200, "{rotated}");
        let access_2 = rotated["access_token"].as_str().unwrap().to_owned();
        let refresh_2 = rotated["refresh_token"].as_str().unwrap().to_owned();
        // Reuse of the spent token: the family is revoked (a warning is logged).
        assert_eq!(post("/auth/refresh", json!({"refresh_token": refresh})).await.0, 401);

        assert_eq!(post("/auth/password-reset/request", json!({"email": EMAIL})).await.0, 202);
        let reset = emailed_token(&mail_dir, 3);
        let confirm = json!({"token": reset, "new_password": NEW_PASSWORD});
        assert_eq!(post("/auth/password-reset/confirm", confirm).await.0, 204);
        let (status, relogin) = post("/auth/login", json!({"email": EMAIL, "password": NEW_PASSWORD})).await;
        assert_eq!(status, 200, "{relogin}");
        let access_3 = relogin["access_token"].as_str().unwrap().to_owned();
        let refresh_3 = relogin["refresh_token"].as_str().unwrap().to_owned();
        assert_eq!(post("/auth/logout", json!({"refresh_token": refresh_3})).await.0, 204);

        secrets.extend([access, refresh, access_2, refresh_2, reset, access_3, refresh_3]);
        secrets
    });
    stop(running);

    let logs = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        logs.contains("/api/v1/auth/login"),
        "the debug log records the requests:\n{logs}"
    );
    let everything = format!("{banner}\n{logs}");
    for secret in &secrets {
        // A token could be logged in part: look for its last 24 characters (for a JWT, its
        // signature; the header is the same for every token).
        let chars: Vec<char> = secret.chars().collect();
        let piece: String = chars[chars.len().saturating_sub(24)..].iter().collect();
        assert!(
            !everything.contains(&piece),
            "the logs hold a secret ({}…):\n{logs}",
            &piece[..8]
        );
    }
    assert!(
        !everything.contains(SPOOFED_ADDRESS),
        "the logs name an address the client made up:\n{logs}"
    );
    assert!(
        without_colours(&logs).contains("http.client_ip=127.0.0.1"),
        "the logs name the client's real address:\n{logs}"
    );
    // No email address of the user in any spelling, nor its local part.
    for personal in [EMAIL, "wong.siu.ming", "Wong Siu Ming"] {
        assert!(
            !everything.to_lowercase().contains(&personal.to_lowercase()),
            "the logs hold personal data ({personal}):\n{logs}"
        );
    }
}
