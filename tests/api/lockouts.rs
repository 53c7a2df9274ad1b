//! Lockouts cannot be turned on their victims: failures count per account *and* client address,
//! and per client address; the client address comes from `X-Forwarded-For` / `Forwarded` only
//! when the connection comes from a trusted proxy (the tests connect from 127.0.0.1).

use reqwest::StatusCode;

use crate::auth::unique_email;
use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::on_both_backends;

const WRONG: &str = "wrong-password-guess-1";

fn from(client: &str) -> [(&'static str, &str); 1] {
    [("x-forwarded-for", client)]
}

/// The test app trusting these proxies, with these failure limits.
async fn with_limits(
    backend: Backend,
    proxies: &[&str],
    account_max_failures: i32,
    ip_max_failures: i32,
) -> TestApp {
    TestApp::spawn_with(backend, |s| {
        s.application.trusted_proxies = proxies.iter().map(|block| block.parse().unwrap()).collect();
        s.auth.account_max_failures = account_max_failures;
        s.auth.ip_max_failures = ip_max_failures;
    })
    .await
}

/// The test app behind a proxy on 127.0.0.1 (where the tests connect from).
async fn behind_proxy(backend: Backend, account_max_failures: i32, ip_max_failures: i32) -> TestApp {
    with_limits(backend, &["127.0.0.1/32"], account_max_failures, ip_max_failures).await
}

on_both_backends! {
    async fn an_address_locked_out_of_an_account_does_not_lock_its_owner_out(backend: Backend) {
        let app = behind_proxy(backend, 3, 1000).await;
        let victim = app.sign_up("candidate").await;
        let attacker = from("198.51.100.66");
        for _ in 0..3 {
            app.login_with_headers(&victim.email, WRONG, &attacker).await.problem(401);
        }
        // The guessing address is locked out of the account, even with the right password.
        app.login_with_headers(&victim.email, PASSWORD, &attacker).await.problem(429);
        // The owner, elsewhere, signs in; so does anyone reaching us without the proxy header.
        let owner = app.login_with_headers(&victim.email, PASSWORD, &from("203.0.113.10")).await;
        assert_eq!(owner.status, StatusCode::OK, "{}", owner.body);
        assert_eq!(app.login(&victim.email, PASSWORD).await.status, StatusCode::OK);
        // The owner's success does not unlock the attacker.
        app.login_with_headers(&victim.email, PASSWORD, &attacker).await.problem(429);
    }
}

on_both_backends! {
    async fn without_trusted_proxies_a_spoofed_forwarding_header_dodges_no_limit(backend: Backend) {
        let app = with_limits(backend, &[], 3, 5).await;
        let victim = app.sign_up("employer").await;
        // A new made-up address in each attempt: all of them are 127.0.0.1's attempts.
        let spoofs = [
            ("x-forwarded-for", "198.51.100.1"),
            ("forwarded", "for=198.51.100.2"),
            ("x-forwarded-for", "198.51.100.3"),
        ];
        for spoof in spoofs {
            app.login_with_headers(&victim.email, WRONG, &[spoof]).await.problem(401);
        }
        app.login_with_headers(&victim.email, PASSWORD, &from("198.51.100.4"))
            .await
            .problem(429);

        // Per address: spraying other accounts with a fresh spoof each time reaches the limit.
        let other = app.sign_up("candidate").await;
        for i in 0..2 {
            let spoof = format!("192.0.2.{i}");
            app.login_with_headers(&unique_email("spray"), WRONG, &from(&spoof)).await.problem(401);
        }
        app.login_with_headers(&other.email, PASSWORD, &from("192.0.2.99"))
            .await
            .problem(429);
    }
}

on_both_backends! {
    async fn through_a_trusted_proxy_each_forwarded_client_is_counted_apart(backend: Backend) {
        let app = behind_proxy(backend, 100, 3).await;
        let user = app.sign_up("candidate").await;
        let sprayer = [("forwarded", "for=198.51.100.7;proto=https")];
        for _ in 0..3 {
            app.login_with_headers(&unique_email("spray"), WRONG, &sprayer).await.problem(401);
        }
        app.login_with_headers(&user.email, PASSWORD, &sprayer).await.problem(429);
        // Another client of the same proxy is not affected, even if the sprayer's address is what
        // that client wrote first in its own header: the proxy appended the real one on the right.
        let neighbour = app
            .login_with_headers(&user.email, PASSWORD, &from("198.51.100.7, 198.51.100.8"))
            .await;
        assert_eq!(neighbour.status, StatusCode::OK, "{}", neighbour.body);
        // Nor is the proxy's own address.
        assert_eq!(app.login(&user.email, PASSWORD).await.status, StatusCode::OK);
    }
}

on_both_backends! {
    async fn the_per_minute_limit_follows_the_client_address(backend: Backend) {
        let trusted = TestApp::spawn_with(backend, |s| {
            s.application.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
            s.auth.ip_requests_per_minute = 2;
        })
        .await;
        let email = unique_email("nobody");
        for _ in 0..2 {
            trusted.login_with_headers(&email, WRONG, &from("198.51.100.20")).await.problem(401);
        }
        trusted.login_with_headers(&email, WRONG, &from("198.51.100.20")).await.problem(429);
        trusted.login_with_headers(&email, WRONG, &from("198.51.100.21")).await.problem(401);

        let untrusted = TestApp::spawn_with(backend, |s| s.auth.ip_requests_per_minute = 2).await;
        for spoof in ["198.51.100.30", "198.51.100.31"] {
            untrusted.login_with_headers(&email, WRONG, &from(spoof)).await.problem(401);
        }
        untrusted.login_with_headers(&email, WRONG, &from("198.51.100.32")).await.problem(429);
    }
}

on_both_backends! {
    async fn a_password_reset_lifts_the_account_lockouts_of_every_address(backend: Backend) {
        let app = behind_proxy(backend, 2, 1000).await;
        let owner = app.sign_up("candidate").await;
        let somewhere = from("198.51.100.50");
        for _ in 0..2 {
            app.login_with_headers(&owner.email, WRONG, &somewhere).await.problem(401);
        }
        app.login_with_headers(&owner.email, PASSWORD, &somewhere).await.problem(429);

        // The owner proves control of the email from another address.
        assert_eq!(app.request_password_reset(&owner.email).await.status, StatusCode::ACCEPTED);
        let reset = &app.wait_for_mail(&owner.email, 2).await[1];
        let new_password = "a-brand-new-passphrase-42";
        let confirmed = app.confirm_password_reset(&reset.token(), new_password).await;
        assert_eq!(confirmed.status, StatusCode::NO_CONTENT);

        let signed_in = app.login_with_headers(&owner.email, new_password, &somewhere).await;
        assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    }
}
