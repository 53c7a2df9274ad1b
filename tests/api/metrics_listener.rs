//! `/metrics` is served on its own listener (`application.metrics_bind`), never on the public one.

use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends! {
    async fn metrics_are_served_only_on_the_metrics_listener(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.application.metrics_bind = Some("127.0.0.1:0".into())).await;
        let metrics_address = app.metrics_address.clone().expect("a metrics listener");
        assert_ne!(metrics_address, app.address);

        app.get("/metrics", None).await.problem(404);

        let scraped = app.client.get(format!("{metrics_address}/metrics")).send().await.unwrap();
        assert_eq!(scraped.status(), StatusCode::OK);
        let content_type = scraped.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
        let text = scraped.text().await.unwrap();
        // The public 404 above is counted; the scrape itself is not a public request.
        assert!(text.contains(r#"http_requests_total{method="GET",route="unmatched",status="404"} 1"#), "{text}");
        assert!(!text.contains(r#"route="/metrics""#), "{text}");

        // The metrics listener serves nothing else.
        let api = app.client.get(format!("{metrics_address}/api/v1/jurisdictions")).send().await.unwrap();
        assert_eq!(api.status(), StatusCode::NOT_FOUND);
    }
}

on_both_backends! {
    async fn without_metrics_bind_no_metrics_are_served(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        assert!(app.metrics_address.is_none());
        app.get("/metrics", None).await.problem(404);
    }
}
