//! Whatever a client sends, the answer is a problem+json document with a 4xx status.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

on_both_backends! {
    async fn malformed_bodies_are_400_with_the_field_named(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let path = "/api/v1/auth/login";

        let broken = app.post_raw(path, "application/json", "{\"email\": ").await;
        assert!(broken.problem(400)["detail"].as_str().unwrap().contains("not valid JSON"));
        app.post_raw(path, "application/json", "").await.problem(400);
        app.post_raw(path, "application/json", "[1, 2]").await.problem(400);

        let wrong_type = app.post(path, None, json!({"email": 42, "password": PASSWORD})).await;
        wrong_type.problem(400);
        assert_eq!(wrong_type.error_fields(), vec!["email"]);

        let missing = app.post(path, None, json!({"email": "a@example.com"})).await;
        missing.problem(400);
        assert_eq!(missing.error_fields(), vec!["password"]);
    }
}

on_both_backends! {
    async fn other_content_types_are_415(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let body = r#"{"email":"a@example.com","password":"harbour-lantern-31-crossing"}"#;
        app.post_raw("/api/v1/auth/login", "text/plain", body).await.problem(415);
        app.post_raw("/api/v1/auth/login", "application/x-www-form-urlencoded", "email=a").await.problem(415);
        let none = app.client.post(app.url("/api/v1/auth/login")).body(body).send().await.unwrap();
        assert_eq!(none.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        // A JSON type with parameters is fine.
        let ok = app.post_raw("/api/v1/auth/login", "application/json; charset=utf-8", body).await;
        ok.problem(401);
    }
}

on_both_backends! {
    async fn oversized_bodies_are_413_whether_declared_or_streamed(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.application.max_body_bytes = 4096).await;
        let huge = json!({"email": "a@example.com", "password": "p".repeat(10_000)}).to_string();
        app.post_raw("/api/v1/auth/login", "application/json", huge.clone()).await.problem(413);

        // Chunked, so no Content-Length announces the size: the limit holds while reading.
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> = huge.into_bytes().chunks(1000).map(|c| Ok(c.to_vec())).collect();
        let stream = futures_util::stream::iter(chunks);
        let answer = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("content-type", "application/json")
            .body(reqwest::Body::wrap_stream(stream))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert!(answer.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"));
    }
}

on_both_backends! {
    async fn unknown_routes_and_methods_are_problems(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        app.get("/api/v1/no-such-thing", None).await.problem(404);
        app.get("/nowhere", None).await.problem(404);
        let wrong_method = app.get("/api/v1/auth/login", None).await;
        wrong_method.problem(405);
        assert_eq!(wrong_method.headers["allow"], "POST");
        let answer = app.call(reqwest::Method::DELETE, "/api/v1/me", None, None).await;
        answer.problem(405);
        assert_eq!(answer.headers["allow"], "GET");
    }
}

on_both_backends! {
    async fn the_rules_the_document_states_are_the_rules_the_service_keeps(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let user = app.sign_up("candidate").await;
        let token = Some(user.access_token.as_str());

        // Enumerated filters parse or are refused, never ignored.
        let kind = app.get("/api/v1/qualifications?kind=doctorate", token).await;
        assert!(kind.problem(400)["detail"].as_str().unwrap().contains("doctorate"));
        let kind = app.get("/api/v1/qualifications?kind=vocational&limit=100", token).await;
        assert_eq!(kind.status, StatusCode::OK);
        assert!(kind.body["items"].as_array().unwrap().iter().all(|q| q["kind"] == "vocational"));
        app.get("/api/v1/equivalences?status=expired", token).await.problem(400);
        assert_eq!(app.get("/api/v1/equivalences?status=all", token).await.status, StatusCode::OK);

        // A currency is checked even without the amount it goes with.
        let currency = app.get("/api/v1/jobs/search?salary_currency=USD", None).await;
        currency.problem(422);
        assert_eq!(currency.error_fields(), vec!["salary_currency"]);

        // Lengths count what was sent, before trimming, as the document's maxLength does.
        let padded = format!("  {}  ", "名".repeat(99));
        let long = app.register_named("padded@example.com", PASSWORD, "candidate", &padded).await;
        long.problem(422);
        assert_eq!(long.error_fields(), vec!["display_name"]);
        let fits = app.register_named("fits@example.com", PASSWORD, "candidate", &"名".repeat(100)).await;
        assert_eq!(fits.status, StatusCode::ACCEPTED, "{:?}", fits.body);
    }
}
