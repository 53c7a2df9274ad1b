//! Accounts and authentication, through HTTP as a client uses them.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

pub(crate) fn unique_email(prefix: &str) -> String {
    format!("{prefix}-{}@example.com", uuid::Uuid::new_v4().simple())
}

on_both_backends! {
    async fn sign_up_verify_and_sign_in(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let email = unique_email("li.wei");
        let registered = app.register(&email, PASSWORD, "candidate").await;
        assert_eq!(registered.status, StatusCode::ACCEPTED);

        let mail = app.wait_for_mail(&email, 1).await.remove(0);
        assert_eq!(mail.subject, "Confirm your email address");
        assert!(mail.text.contains("http://localhost:8080/verify-email?token="), "{}", mail.text);
        assert!(mail.html.contains("verify-email?token="), "{}", mail.html);

        // Not verified yet: the same 401 as a wrong password.
        app.login(&email, PASSWORD).await.problem(401);

        assert_eq!(app.verify_email(&mail.token()).await.status, StatusCode::NO_CONTENT);
        let login = app.login(&email, PASSWORD).await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
        assert_eq!(login.body["token_type"], "Bearer");
        let expires_in = login.body["expires_in"].as_i64().unwrap();
        assert!(expires_in > 0 && expires_in <= 900, "{expires_in}");
        assert_ne!(login.body["refresh_token"], login.body["access_token"]);

        let me = app.me(login.body["access_token"].as_str().unwrap()).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        assert_eq!(me.body["email"], email.as_str());
        assert_eq!(me.body["role"], "candidate");
        assert_eq!(me.body["display_name"], "Test User");
        assert_eq!(me.body["email_verified"], true);
        assert!(me.body["user_id"].as_str().is_some_and(|id| uuid::Uuid::parse_str(id).is_ok()));
    }
}

on_both_backends! {
    async fn emails_follow_the_chosen_locale(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let email = unique_email("chan");
        let body = json!({"email": email, "password": PASSWORD, "role": "employer",
                          "display_name": "陳大文", "locale": "zh-Hant"});
        assert_eq!(app.post("/api/v1/auth/register", None, body).await.status, StatusCode::ACCEPTED);
        let mail = app.wait_for_mail(&email, 1).await.remove(0);
        assert_eq!(mail.subject, "請確認您的電郵地址");
        assert!(mail.text.contains("token="));
    }
}

on_both_backends! {
    async fn registering_a_known_email_reveals_nothing_and_creates_nothing(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let email = unique_email("known");
        let first = app.register(&email, PASSWORD, "candidate").await;
        let token = app.wait_for_mail(&email, 1).await.remove(0).token();
        app.verify_email(&token).await;

        // Same answer, other casing, other password, other role.
        let second = app.register(&email.to_uppercase(), "another-long-passphrase-77", "employer").await;
        assert_eq!(second.status, first.status);
        assert_eq!(second.body, first.body);

        let mails = app.wait_for_mail(&email, 2).await;
        assert_eq!(mails[1].subject, "You already have a TalentBridge account");
        assert!(!mails[1].text.contains("token="), "no token for a second account: {}", mails[1].text);
        app.login(&email, "another-long-passphrase-77").await.problem(401);
        let session = app.sign_in(&email, PASSWORD).await;
        assert_eq!(app.me(&session.access_token).await.body["role"], "candidate");
    }
}

on_both_backends! {
    async fn verification_tokens_work_once_and_expire(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let email = unique_email("once");
        app.register(&email, PASSWORD, "candidate").await;
        let token = app.wait_for_mail(&email, 1).await.remove(0).token();
        assert_eq!(app.verify_email(&token).await.status, StatusCode::NO_CONTENT);
        let again = app.verify_email(&token).await;
        again.problem(422);
        assert_eq!(again.error_fields(), vec!["token"]);
        app.verify_email("not-a-real-token").await.problem(422);

        let expiring = TestApp::spawn_with(backend, |s| s.auth.verification_token_ttl_hours = 0).await;
        let email = unique_email("late");
        expiring.register(&email, PASSWORD, "candidate").await;
        let token = expiring.wait_for_mail(&email, 1).await.remove(0).token();
        expiring.verify_email(&token).await.problem(422);
    }
}

on_both_backends! {
    async fn invalid_registrations_name_every_field_and_write_nothing(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let email = unique_email("careful");
        let cases = [
            (json!({"email": "not-an-email", "password": PASSWORD, "role": "candidate", "display_name": "A"}), vec!["email"]),
            (json!({"email": email, "password": "short-pw-11", "role": "candidate", "display_name": "A"}), vec!["password"]),
            (json!({"email": email, "password": "x".repeat(129), "role": "candidate", "display_name": "A"}), vec!["password"]),
            (json!({"email": email, "password": "Password1234", "role": "candidate", "display_name": "A"}), vec!["password"]),
            (json!({"email": email, "password": PASSWORD, "role": "agency_officer", "display_name": "A"}), vec!["role"]),
            (json!({"email": email, "password": PASSWORD, "role": "admin", "display_name": "  "}), vec!["role", "display_name"]),
            (json!({"email": email, "password": PASSWORD, "role": "candidate", "display_name": "A", "locale": "fr"}), vec!["locale"]),
            (json!({"email": "", "password": "", "role": "employer", "display_name": ""}), vec!["email", "password", "display_name"]),
        ];
        for (body, fields) in cases {
            let answer = app.post("/api/v1/auth/register", None, body.clone()).await;
            answer.problem(422);
            assert_eq!(answer.error_fields(), fields, "for {body}");
        }
        // Mass assignment: a body cannot carry what only the server decides.
        let sneaky = json!({"email": email, "password": PASSWORD, "role": "candidate", "display_name": "A",
                            "email_verified": true});
        let answer = app.post("/api/v1/auth/register", None, sneaky).await;
        answer.problem(400);
        assert_eq!(answer.error_fields(), vec!["email_verified"]);
        let unknown_role = json!({"email": email, "password": PASSWORD, "role": "superuser", "display_name": "A"});
        let answer = app.post("/api/v1/auth/register", None, unknown_role).await;
        answer.problem(400);
        assert_eq!(answer.error_fields(), vec!["role"]);

        // Nothing was written: this email is new, so it gets a verification email, not "you
        // already have an account".
        app.assert_no_mail(&email).await;
        app.register(&email, PASSWORD, "candidate").await;
        let mails = app.wait_for_mail(&email, 1).await;
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].subject, "Confirm your email address");
    }
}

on_both_backends! {
    async fn wrong_password_unknown_email_and_unverified_email_look_alike(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let session = app.sign_up("candidate").await;
        let unverified = unique_email("pending");
        app.register(&unverified, PASSWORD, "candidate").await;

        let wrong_password = app.login(&session.email, "not-the-password-at-all").await;
        let unknown = app.login(&unique_email("nobody"), PASSWORD).await;
        let pending = app.login(&unverified, PASSWORD).await;
        for answer in [&wrong_password, &unknown, &pending] {
            answer.problem(401);
        }
        assert_eq!(wrong_password.body, unknown.body);
        assert_eq!(wrong_password.body, pending.body);
    }
}

on_both_backends! {
    async fn repeated_failures_lock_the_account_even_for_unknown_emails(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.auth.account_max_failures = 3;
            s.auth.ip_max_failures = 1000;
        })
        .await;
        let session = app.sign_up("employer").await;
        for _ in 0..3 {
            app.login(&session.email, "wrong-password-guess-1").await.problem(401);
        }
        // Locked: even the right password is refused, with a time to come back.
        let locked = app.login(&session.email, PASSWORD).await;
        locked.problem(429);
        let retry_after: u64 = locked.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(retry_after > 0 && retry_after <= 900, "{retry_after}");

        // An unknown email locks the same way, so a lockout tells nothing about who has an account.
        let nobody = unique_email("nobody");
        for _ in 0..3 {
            app.login(&nobody, "wrong-password-guess-1").await.problem(401);
        }
        app.login(&nobody, PASSWORD).await.problem(429);

        // Other accounts are unaffected.
        let other = app.sign_up("candidate").await;
        assert!(!other.access_token.is_empty());
    }
}

on_both_backends! {
    async fn a_successful_login_resets_the_account_counter(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.auth.account_max_failures = 3).await;
        let session = app.sign_up("candidate").await;
        for _ in 0..2 {
            app.login(&session.email, "wrong-password-guess-1").await.problem(401);
        }
        app.sign_in(&session.email, PASSWORD).await;
        for _ in 0..2 {
            app.login(&session.email, "wrong-password-guess-1").await.problem(401);
        }
        assert_eq!(app.login(&session.email, PASSWORD).await.status, StatusCode::OK);
    }
}

on_both_backends! {
    async fn failures_from_one_address_lock_that_address(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.auth.account_max_failures = 100;
            s.auth.ip_max_failures = 4;
        })
        .await;
        let session = app.sign_up("candidate").await;
        for i in 0..4 {
            app.login(&unique_email(&format!("spray{i}")), "sprayed-password-1").await.problem(401);
        }
        app.login(&session.email, PASSWORD).await.problem(429);
    }
}

on_both_backends! {
    async fn too_many_auth_requests_from_one_address_are_slowed(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.auth.ip_requests_per_minute = 3).await;
        for _ in 0..3 {
            assert_eq!(app.register(&unique_email("burst"), PASSWORD, "candidate").await.status, StatusCode::ACCEPTED);
        }
        let answer = app.register(&unique_email("burst"), PASSWORD, "candidate").await;
        answer.problem(429);
        assert!(answer.headers.contains_key("retry-after"));
    }
}

on_both_backends! {
    async fn refresh_rotates_and_reuse_revokes_the_family(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let session = app.sign_up("candidate").await;
        let other_session = app.sign_in(&session.email, PASSWORD).await;

        let rotated = app.refresh(&session.refresh_token).await;
        assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
        let next = rotated.body["refresh_token"].as_str().unwrap().to_owned();
        assert_ne!(next, session.refresh_token);
        assert_eq!(app.me(rotated.body["access_token"].as_str().unwrap()).await.status, StatusCode::OK);

        // The spent token comes back: someone copied it. Its whole family dies…
        app.refresh(&session.refresh_token).await.problem(401);
        app.refresh(&next).await.problem(401);
        // …but a separate login (another family) lives on.
        assert_eq!(app.refresh(&other_session.refresh_token).await.status, StatusCode::OK);

        app.refresh("made-up-token").await.problem(401);
    }
}

on_both_backends! {
    /// After reuse detection revokes a family, every refresh token of it is dead, including the
    /// newest one and one not yet used. Access tokens are stateless and not revocable: the one
    /// issued to the family lives at most `access_token_ttl_secs` (≤ 15 minutes, enforced at
    /// start) — docs/privacy-and-security.md says so.
    async fn a_revoked_family_cannot_be_refreshed_and_its_access_tokens_are_short_lived(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let session = app.sign_up("candidate").await;
        let first = app.refresh(&session.refresh_token).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let second = app.refresh(first.body["refresh_token"].as_str().unwrap()).await;
        assert_eq!(second.status, StatusCode::OK, "{}", second.body);
        let newest = second.body["refresh_token"].as_str().unwrap().to_owned();

        // The thief replays the oldest token: the family is revoked.
        app.refresh(&session.refresh_token).await.problem(401);
        app.refresh(&newest).await.problem(401);
        app.refresh(first.body["refresh_token"].as_str().unwrap()).await.problem(401);
        // Logging in again starts a fresh family.
        let again = app.sign_in(&session.email, PASSWORD).await;
        assert_eq!(app.refresh(&again.refresh_token).await.status, StatusCode::OK);

        // The family's access token carries its own short expiry.
        use base64::Engine;
        let payload = second.body["access_token"].as_str().unwrap().split('.').nth(1).unwrap().to_owned();
        let claims: serde_json::Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap(),
        )
        .unwrap();
        let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
        assert!(lifetime > 0 && lifetime <= 900, "access token lifetime {lifetime}s");
        assert_eq!(second.body["expires_in"].as_i64(), Some(lifetime));
    }
}

on_both_backends! {
    async fn logout_ends_the_session(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let session = app.sign_up("employer").await;
        assert_eq!(app.logout(&session.refresh_token).await.status, StatusCode::NO_CONTENT);
        app.refresh(&session.refresh_token).await.problem(401);
        assert_eq!(app.logout(&session.refresh_token).await.status, StatusCode::NO_CONTENT);
        assert_eq!(app.logout("never-issued").await.status, StatusCode::NO_CONTENT);
    }
}

on_both_backends! {
    async fn password_reset_replaces_the_password_and_signs_out_everywhere(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let session = app.sign_up("candidate").await;
        let new_password = "a-brand-new-passphrase-42";

        let answer = app.request_password_reset(&session.email).await;
        assert_eq!(answer.status, StatusCode::ACCEPTED);
        let nobody = unique_email("nobody");
        let unknown = app.request_password_reset(&nobody).await;
        assert_eq!((unknown.status, &unknown.body), (answer.status, &answer.body));

        let mails = app.wait_for_mail(&session.email, 2).await;
        let reset = &mails[1];
        assert_eq!(reset.subject, "Reset your password");
        let token = reset.token();

        // A weak password is refused and does not use up the token.
        let weak = app.confirm_password_reset(&token, "short").await;
        weak.problem(422);
        assert_eq!(weak.error_fields(), vec!["new_password"]);

        assert_eq!(app.confirm_password_reset(&token, new_password).await.status, StatusCode::NO_CONTENT);
        app.confirm_password_reset(&token, "yet-another-passphrase-9").await.problem(422);
        app.refresh(&session.refresh_token).await.problem(401);
        app.login(&session.email, PASSWORD).await.problem(401);
        app.sign_in(&session.email, new_password).await;
        app.assert_no_mail(&nobody).await;
    }
}

on_both_backends! {
    async fn admins_create_agency_officers_and_nobody_else_can(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let admin = app.admin().await;
        let candidate = app.sign_up("candidate").await;
        let officer_email = unique_email("officer");
        let body = json!({"email": officer_email, "password": PASSWORD, "role": "agency_officer",
                          "display_name": "Officer Ho"});

        app.create_staff(&candidate.access_token, body.clone()).await.problem(403);
        app.post("/api/v1/admin/users", None, body.clone()).await.problem(401);

        let created = app.create_staff(&admin.access_token, body.clone()).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["role"], "agency_officer");
        assert_eq!(created.body["email_verified"], true);
        assert!(created.body["id"].is_string());
        assert!(created.body.get("password_hash").is_none());

        app.create_staff(&admin.access_token, body).await.problem(409);
        let not_staff = json!({"email": unique_email("x"), "password": PASSWORD, "role": "candidate", "display_name": "X"});
        let answer = app.create_staff(&admin.access_token, not_staff).await;
        answer.problem(422);
        assert_eq!(answer.error_fields(), vec!["role"]);

        let officer = app.sign_in(&officer_email, PASSWORD).await;
        assert_eq!(app.me(&officer.access_token).await.body["role"], "agency_officer");
    }
}

mod access_tokens {
    use jsonwebtoken::{Algorithm, EncodingKey, Header};
    use serde_json::json;

    use super::*;

    fn forge(app: &TestApp, claims: serde_json::Value, secret: &str) -> String {
        let _ = app;
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(secret.as_bytes()).unwrap(),
        )
        .unwrap()
    }

    const PUBLIC_KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----\n\
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\n\
        q9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n\
        -----END PUBLIC KEY-----\n";

    /// A token whose header names `alg` but whose signature is made with `algorithm` and the key.
    fn with_alg(claims: &serde_json::Value, alg: &str, secret: &str, algorithm: Algorithm) -> String {
        use base64::Engine;
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = engine.encode(json!({"alg": alg, "typ": "JWT"}).to_string());
        let payload = engine.encode(claims.to_string());
        let message = format!("{header}.{payload}");
        let key = EncodingKey::from_secret(secret.as_bytes()).unwrap();
        let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, algorithm).unwrap();
        format!("{message}.{signature}")
    }

    fn claims(user_id: &str, overrides: serde_json::Value) -> serde_json::Value {
        let now = chrono::Utc::now().timestamp();
        let mut claims = json!({"iss": "talentbridge", "aud": "talentbridge-api", "sub": user_id,
                                "iat": now, "nbf": now, "exp": now + 600, "role": "admin"});
        for (key, value) in overrides.as_object().unwrap() {
            claims[key] = value.clone();
        }
        claims
    }

    on_both_backends! {
        async fn forged_expired_and_foreign_tokens_are_refused(backend: Backend) {
            let app = TestApp::spawn(backend).await;
            let session = app.sign_up("candidate").await;
            let secret = app.settings.jwt_secret().to_owned();
            let now = chrono::Utc::now().timestamp();

            // The real key signs a valid token: the forging helper itself is sound.
            let genuine = forge(&app, claims(&session.user_id, json!({"role": "candidate"})), &secret);
            assert_eq!(app.me(&genuine).await.status, StatusCode::OK);

            let refused = [
                ("wrong key", forge(&app, claims(&session.user_id, json!({})), "an-attacker-secret-an-attacker-secret")),
                ("expired", forge(&app, claims(&session.user_id, json!({"iat": now - 3600, "nbf": now - 3600, "exp": now - 60})), &secret)),
                ("wrong audience", forge(&app, claims(&session.user_id, json!({"aud": "another-api"})), &secret)),
                ("wrong issuer", forge(&app, claims(&session.user_id, json!({"iss": "evil"})), &secret)),
                ("not yet valid", forge(&app, claims(&session.user_id, json!({"nbf": now + 3600})), &secret)),
                ("no expiry", {
                    let mut c = claims(&session.user_id, json!({}));
                    c.as_object_mut().unwrap().remove("exp");
                    forge(&app, c, &secret)
                }),
                ("alg none", {
                    use base64::Engine;
                    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
                    let header = engine.encode(br#"{"alg":"none","typ":"JWT"}"#);
                    let payload = engine.encode(claims(&session.user_id, json!({})).to_string());
                    format!("{header}.{payload}.")
                }),
                ("tampered payload", {
                    use base64::Engine;
                    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
                    let mut parts: Vec<String> = session.access_token.split('.').map(str::to_owned).collect();
                    let mut payload: serde_json::Value = serde_json::from_slice(&engine.decode(&parts[1]).unwrap()).unwrap();
                    payload["role"] = json!("admin");
                    parts[1] = engine.encode(payload.to_string());
                    parts.join(".")
                }),
                ("garbage", "not.a.jwt".to_owned()),
                // HS/RS confusion: the classic attack signs HS256 with the server's public key
                // as the HMAC secret. There is no public key here (HS256 only), and any key but
                // the secret fails; a PEM-looking one too.
                ("HS256 keyed with a public key", forge(&app, claims(&session.user_id, json!({})), PUBLIC_KEY_PEM)),
                // An RS256 (or HS512) header over genuine claims, signed with the real secret
                // so that only the algorithm is wrong: the algorithm is pinned, not read from
                // the header.
                ("RS256 header", with_alg(&claims(&session.user_id, json!({})), "RS256", &secret, Algorithm::HS256)),
                ("HS512 header", with_alg(&claims(&session.user_id, json!({})), "HS512", &secret, Algorithm::HS512)),
                ("no audience", {
                    let mut c = claims(&session.user_id, json!({}));
                    c.as_object_mut().unwrap().remove("aud");
                    forge(&app, c, &secret)
                }),
                ("no issuer", {
                    let mut c = claims(&session.user_id, json!({}));
                    c.as_object_mut().unwrap().remove("iss");
                    forge(&app, c, &secret)
                }),
            ];
            for (what, token) in refused {
                let answer = app.me(&token).await;
                assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{what} was accepted");
                answer.problem(401);
            }

            app.get("/api/v1/me", None).await.problem(401);
            let basic = app.client.get(app.url("/api/v1/me")).header("authorization", "Basic dXNlcjpwYXNz").send().await.unwrap();
            assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
        }
    }
}
