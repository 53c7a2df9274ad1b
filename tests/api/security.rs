//! Security headers on every answer (JSON, problem+json errors, the docs page) and CORS, denied
//! unless `application.cors_allowed_origins` names the caller's origin.

use reqwest::{Method, StatusCode};

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// A request to check: path, method, extra headers, the status expected.
type Probe<'a> = (&'a str, Method, Vec<(&'a str, &'a str)>, u16);

async fn raw(app: &TestApp, method: Method, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.request(method, app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request sent")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

on_both_backends! {
    async fn every_answer_carries_the_security_headers(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let session = app.sign_up("candidate").await;
        let bearer = format!("Bearer {}", session.access_token);
        // (path, method, extra headers, expected status): success, personal data, each kind of error.
        let cases: Vec<Probe> = vec![
            ("/healthz", Method::GET, vec![], 200),
            ("/api/v1/me", Method::GET, vec![("authorization", bearer.as_str())], 200),
            ("/api/v1/me", Method::GET, vec![], 401),
            ("/api/v1/nowhere", Method::GET, vec![], 404),
            ("/api/v1/auth/login", Method::GET, vec![], 405),
            ("/api/v1/openapi.json", Method::GET, vec![], 200),
        ];
        for (path, method, headers, status) in cases {
            let response = raw(&app, method.clone(), path, &headers).await;
            assert_eq!(response.status().as_u16(), status, "{method} {path}");
            assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"), "{path}");
            assert_eq!(header(&response, "x-frame-options"), Some("DENY"), "{path}");
            assert_eq!(header(&response, "referrer-policy"), Some("no-referrer"), "{path}");
            assert_eq!(header(&response, "content-security-policy"), Some(API_CSP), "{path}");
            assert_eq!(header(&response, "cache-control"), Some("no-store"), "{path}");
            assert!(header(&response, "x-request-id").is_some(), "{path}");
            // Not production: no HSTS (the test service speaks plain HTTP).
            assert_eq!(header(&response, "strict-transport-security"), None, "{path}");
        }

        // The docs page has a policy that lets swagger-ui (served from the binary) run: its own
        // scripts, no inline script, no framing.
        let docs = raw(&app, Method::GET, "/docs/", &[]).await;
        assert_eq!(docs.status(), StatusCode::OK);
        let csp = header(&docs, "content-security-policy").unwrap().to_owned();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("connect-src 'self'"), "{csp}");
        assert_eq!(header(&docs, "x-frame-options"), Some("DENY"));
        let page = docs.text().await.unwrap();
        assert!(!page.contains("<script>"), "inline script would be blocked by the policy");
        for script in ["swagger-ui-bundle.js", "swagger-initializer.js"] {
            assert!(page.contains(script));
            let asset = raw(&app, Method::GET, &format!("/docs/{script}"), &[]).await;
            assert_eq!(asset.status(), StatusCode::OK, "{script}");
        }
    }
}

#[tokio::test]
async fn production_adds_strict_transport_security() {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| {
        // Production insists on SMTP; nothing is sent in this test.
        settings.environment = talentbridge::settings::Environment::Production;
        settings.mail.transport = "smtp://127.0.0.1:1".into();
    })
    .await;
    for path in ["/healthz", "/api/v1/nowhere"] {
        let response = raw(&app, Method::GET, path, &[]).await;
        let hsts = header(&response, "strict-transport-security").unwrap_or_default();
        assert!(hsts.starts_with("max-age=31536000"), "{path}: {hsts:?}");
    }
}

on_both_backends! {
    async fn cors_is_denied_unless_the_origin_is_configured(backend: Backend) {
        // By default no origin is allowed: no CORS header, whatever the origin.
        let closed = TestApp::spawn(backend).await;
        let answer = raw(&closed, Method::GET, "/healthz", &[("origin", "https://jobs.example.org")]).await;
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(header(&answer, "access-control-allow-origin"), None);
        let preflight = raw(&closed, Method::OPTIONS, "/api/v1/me", &[
            ("origin", "https://jobs.example.org"),
            ("access-control-request-method", "GET"),
        ]).await;
        assert_ne!(preflight.status(), StatusCode::NO_CONTENT);
        assert_eq!(header(&preflight, "access-control-allow-origin"), None);
        drop(closed);

        let app = TestApp::spawn_with(backend, |settings| {
            settings.application.cors_allowed_origins = vec!["https://jobs.example.org".into()];
        })
        .await;
        let session = app.sign_up("candidate").await;
        let bearer = format!("Bearer {}", session.access_token);

        // A foreign origin: nothing.
        let foreign = raw(&app, Method::GET, "/api/v1/me", &[("origin", "https://evil.example.com"), ("authorization", &bearer)]).await;
        assert_eq!(foreign.status(), StatusCode::OK);
        assert_eq!(header(&foreign, "access-control-allow-origin"), None);
        let foreign_preflight = raw(&app, Method::OPTIONS, "/api/v1/me", &[
            ("origin", "https://evil.example.com"),
            ("access-control-request-method", "GET"),
        ]).await;
        assert_eq!(header(&foreign_preflight, "access-control-allow-origin"), None);
        assert_eq!(header(&foreign_preflight, "access-control-allow-methods"), None);
        // A look-alike of the configured origin is foreign too.
        let lookalike = raw(&app, Method::GET, "/healthz", &[("origin", "https://jobs.example.org.evil.com")]).await;
        assert_eq!(header(&lookalike, "access-control-allow-origin"), None);

        // The configured origin: its preflight is answered 204 with what it may send…
        let preflight = raw(&app, Method::OPTIONS, "/api/v1/me", &[
            ("origin", "https://jobs.example.org"),
            ("access-control-request-method", "PATCH"),
            ("access-control-request-headers", "authorization, content-type"),
        ]).await;
        assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
        assert_eq!(header(&preflight, "access-control-allow-origin"), Some("https://jobs.example.org"));
        let methods = header(&preflight, "access-control-allow-methods").unwrap();
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            assert!(methods.contains(method), "{methods}");
        }
        let allowed = header(&preflight, "access-control-allow-headers").unwrap().to_ascii_lowercase();
        assert!(allowed.contains("authorization") && allowed.contains("content-type"), "{allowed}");
        assert_eq!(header(&preflight, "access-control-allow-credentials"), None);
        assert_eq!(header(&preflight, "x-content-type-options"), Some("nosniff"));

        // …and its requests, successes and errors alike, may be read, with the request id.
        for (path, token, status) in [("/api/v1/me", Some(&bearer), 200), ("/api/v1/me", None, 401)] {
            let mut headers = vec![("origin", "https://jobs.example.org")];
            if let Some(token) = token {
                headers.push(("authorization", token.as_str()));
            }
            let answer = raw(&app, Method::GET, path, &headers).await;
            assert_eq!(answer.status().as_u16(), status);
            assert_eq!(header(&answer, "access-control-allow-origin"), Some("https://jobs.example.org"));
            let exposed = header(&answer, "access-control-expose-headers").unwrap().to_ascii_lowercase();
            assert!(exposed.contains("x-request-id"), "{exposed}");
            assert!(header(&answer, "vary").unwrap_or_default().contains("Origin"));
        }
    }
}
