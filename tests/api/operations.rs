//! Health, readiness, metrics, request ids, the OpenAPI document and the docs page.

use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends! {
    async fn health_and_readiness(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let health = app.get("/healthz", None).await;
        assert_eq!(health.status, StatusCode::OK);
        assert_eq!(health.body["status"], "ok");
        let ready = app.get("/readyz", None).await;
        assert_eq!(ready.status, StatusCode::OK);
        let expected = match backend {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
        };
        assert_eq!(ready.body["backend"], expected);
        assert!(health.headers.contains_key("x-request-id"));
        assert_eq!(health.headers["x-content-type-options"], "nosniff");
    }
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::spawn(Backend::Postgres).await;
    assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
    let url = url::Url::parse(&app.settings.database.url).unwrap();
    let name = url.path().trim_start_matches('/').to_owned();
    let mut admin_url = url.clone();
    admin_url.set_path("/postgres");
    {
        use diesel::Connection;
        use diesel::connection::SimpleConnection;
        let mut admin = diesel::PgConnection::establish(admin_url.as_str()).unwrap();
        admin
            .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .unwrap();
    }
    let answer = app.get("/readyz", None).await;
    answer.problem(503);
    // The service itself still answers.
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
}

on_both_backends! {
    async fn metrics_count_requests_by_route_pattern(backend: Backend) {
        let app = TestApp::spawn_with(backend, |s| s.application.metrics_bind = Some("127.0.0.1:0".into())).await;
        app.get("/healthz", None).await;
        app.login("someone@example.com", "some-password-123").await;
        let metrics_url = format!("{}/metrics", app.metrics_address.as_ref().unwrap());
        let metrics = app.client.get(metrics_url).send().await.unwrap().text().await.unwrap();
        assert!(metrics.contains(r#"http_requests_total{method="GET",route="/healthz",status="200"} 1"#), "{metrics}");
        assert!(metrics.contains(r#"route="/api/v1/auth/login",status="401""#), "{metrics}");
        assert!(metrics.contains("http_request_duration_seconds_bucket"), "{metrics}");
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let doc = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc.body["paths"].as_object().unwrap();
    let expected = [
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/api/v1/auth/register", "post"),
        ("/api/v1/auth/verify-email", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/password-reset/request", "post"),
        ("/api/v1/auth/password-reset/confirm", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/admin/users", "post"),
        ("/api/v1/jurisdictions", "get"),
        ("/api/v1/locations", "get"),
        ("/api/v1/skills", "get"),
        ("/api/v1/qualifications", "get"),
        ("/api/v1/qualifications", "post"),
        ("/api/v1/qualifications/{id}", "get"),
        ("/api/v1/equivalences", "get"),
        ("/api/v1/equivalences", "post"),
        ("/api/v1/equivalences/{id}", "get"),
        ("/api/v1/equivalences/{id}", "patch"),
        ("/api/v1/equivalences/{id}", "delete"),
        ("/api/v1/equivalences/resolve", "get"),
        ("/api/v1/work-authorization-bases", "get"),
        ("/api/v1/audit", "get"),
        ("/api/v1/employers", "get"),
        ("/api/v1/employers", "post"),
        ("/api/v1/employers/{id}", "get"),
        ("/api/v1/employers/{id}", "patch"),
        ("/api/v1/employers/{id}/verification", "post"),
        ("/api/v1/employers/{id}/members", "get"),
        ("/api/v1/employers/{id}/members", "post"),
        ("/api/v1/employers/{id}/members/{user_id}", "delete"),
        ("/api/v1/employers/{id}/invitations", "get"),
        ("/api/v1/employers/{id}/invitations/{invitation_id}", "delete"),
        ("/api/v1/employers/invitations/accept", "post"),
        ("/api/v1/employers/{id}/jobs", "get"),
        ("/api/v1/jobs", "post"),
        ("/api/v1/jobs/search", "get"),
        ("/api/v1/jobs/{id}", "get"),
        ("/api/v1/jobs/{id}", "patch"),
        ("/api/v1/jobs/{id}/publish", "post"),
        ("/api/v1/jobs/{id}/close", "post"),
        ("/api/v1/candidates/me", "get"),
        ("/api/v1/candidates/me", "put"),
        ("/api/v1/candidates/me", "delete"),
        ("/api/v1/candidates/me/export", "get"),
        ("/api/v1/candidates/me/credentials", "get"),
        ("/api/v1/candidates/me/credentials", "post"),
        ("/api/v1/candidates/me/credentials/{id}", "delete"),
        ("/api/v1/candidates/me/work-authorizations", "get"),
        ("/api/v1/candidates/me/work-authorizations", "post"),
        ("/api/v1/candidates/me/work-authorizations/{id}", "delete"),
        ("/api/v1/candidates/me/consents", "get"),
        ("/api/v1/candidates/me/consents", "post"),
        ("/api/v1/candidates/me/consents/{id}", "delete"),
        ("/api/v1/candidates/{id}", "get"),
        ("/api/v1/candidates/search", "get"),
        ("/api/v1/candidates/me/matches", "get"),
        ("/api/v1/candidates/me/routes", "get"),
        ("/api/v1/candidates/{id}/routes", "get"),
        ("/api/v1/work-authorization-bases/{code}/route", "put"),
        ("/api/v1/situation-groups", "get"),
        ("/api/v1/jobs/{id}/matches", "get"),
        ("/api/v1/jobs/{id}/applications", "post"),
        ("/api/v1/applications", "get"),
        ("/api/v1/applications/{id}", "get"),
        ("/api/v1/applications/{id}", "patch"),
        ("/api/v1/cases", "get"),
        ("/api/v1/cases", "post"),
        ("/api/v1/cases/{id}", "get"),
        ("/api/v1/cases/{id}", "patch"),
        ("/api/v1/cases/{id}/tasks/{task_id}", "patch"),
        ("/api/v1/cases/{id}/notes", "post"),
        ("/api/v1/cases/{id}/timeline", "get"),
        ("/api/v1/case-templates/{direction}", "get"),
        ("/api/v1/case-templates/{direction}", "put"),
        ("/api/v1/analytics/overview", "get"),
        ("/api/v1/analytics/skill-gap", "get"),
        ("/api/v1/saved-searches", "get"),
        ("/api/v1/saved-searches", "post"),
        ("/api/v1/saved-searches/{id}", "delete"),
        (
            "/api/v1/candidates/{id}/credentials/{credential_id}/verification",
            "post",
        ),
        (
            "/api/v1/candidates/{id}/work-authorizations/{authorization_id}/verification",
            "post",
        ),
    ];
    for (path, method) in expected {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is not documented"
        );
    }
    // Metrics are served on their own listener, not by the API this document describes.
    assert!(
        !paths.contains_key("/metrics"),
        "/metrics is not on the public listener"
    );
    assert!(doc.body["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc.body["components"]["schemas"]["Problem"].is_object());
    for schema in [
        "RoutesAnswer",
        "RouteView",
        "Route",
        "ChecklistItem",
        "TaskView",
        "Milestones",
        "DueRule",
    ] {
        assert!(
            doc.body["components"]["schemas"][schema].is_object(),
            "schema {schema} is missing"
        );
    }
}

#[tokio::test]
async fn the_docs_page_is_served_with_its_own_assets() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let redirect = app.client.get(app.url("/docs")).send().await.unwrap();
    assert!(redirect.status().is_redirection());
    let page = app
        .client
        .get(app.url("/docs/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("swagger-ui"), "{page}");
    assert!(
        !page.contains("https://"),
        "the page must not load anything from the internet"
    );
    let bundle = app
        .client
        .get(app.url("/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(bundle.status(), StatusCode::OK);
    assert!(bundle.bytes().await.unwrap().len() > 100_000);
}

/// The rules a schema can state are in the document, so a generated client knows them (the
/// fuzzer then holds the service to them: `tests/fuzz/run.py`).
#[tokio::test]
async fn the_openapi_document_states_enums_lengths_patterns_and_ranges() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let doc = app.get("/api/v1/openapi.json", None).await.body;
    let schemas = &doc["components"]["schemas"];
    let property = |schema: &str, name: &str| schemas[schema]["properties"][name].clone();
    let enum_of = |schema: &str| -> Vec<String> {
        serde_json::from_value(schemas[schema]["enum"].clone()).unwrap_or_default()
    };

    let password = property("RegisterRequest", "password");
    assert_eq!(
        (password["minLength"].as_u64(), password["maxLength"].as_u64()),
        (Some(12), Some(128))
    );
    let new_password = property("ResetConfirmRequest", "new_password");
    assert_eq!(new_password["minLength"], 12);
    assert_eq!(property("RegisterRequest", "display_name")["maxLength"], 100);
    assert_eq!(
        enum_of("Role"),
        ["candidate", "employer", "agency_officer", "admin"]
    );
    assert_eq!(
        enum_of("EmploymentType"),
        ["full_time", "part_time", "contract", "internship"]
    );
    assert_eq!(enum_of("SalaryPeriod"), ["hour", "month", "year"]);
    assert_eq!(enum_of("MemberRole"), ["owner", "recruiter"]);
    assert_eq!(enum_of("RuleFilter"), ["active", "scheduled", "retired", "all"]);
    assert_eq!(
        property("JobInput", "employment_type")["$ref"],
        "#/components/schemas/EmploymentType"
    );
    assert_eq!(property("JobInput", "salary_min")["minimum"], 0);
    assert_eq!(property("JobInput", "title")["maxLength"], 200);
    assert_eq!(property("JobInput", "salary_currency")["pattern"], "^[A-Z]{3}$");
    assert_eq!(property("EmployerInput", "jurisdiction")["pattern"], "^[A-Z]{2}$");
    assert_eq!(property("SkillInput", "level")["maximum"], 5);
    assert_eq!(property("AddNote", "body")["maxLength"], 10000);
    assert_eq!(
        property("InvitationInput", "role")["$ref"],
        "#/components/schemas/MemberRole"
    );

    let parameter = |path: &str, name: &str| {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["schema"]
            .clone()
    };
    assert_eq!(parameter("/api/v1/jobs/search", "salary_min")["minimum"], 0);
    assert_eq!(
        parameter("/api/v1/jobs/search", "jurisdiction")["pattern"],
        "^[A-Z]{2}$"
    );
    let employment_type = parameter("/api/v1/jobs/search", "employment_type").to_string();
    assert!(employment_type.contains("EmploymentType"), "{employment_type}");
    let status = parameter("/api/v1/equivalences", "status").to_string();
    assert!(status.contains("RuleFilter"), "{status}");
    let kind = parameter("/api/v1/qualifications", "kind").to_string();
    assert!(kind.contains("QualificationKind"), "{kind}");
}

/// A client generated from the document knows the vocabulary of what it is answered, not only of
/// what it sends: statuses, roles, kinds and categories are enums, codes have their patterns.
#[tokio::test]
async fn the_openapi_document_states_the_vocabulary_of_answers() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let doc = app.get("/api/v1/openapi.json", None).await.body;
    let schemas = &doc["components"]["schemas"];
    let refers_to = |schema: &str, property: &str, to: &str| {
        let text = schemas[schema]["properties"][property].to_string();
        assert!(
            text.contains(&format!("#/components/schemas/{to}\"")),
            "{schema}.{property}: {text}"
        );
    };
    for (schema, property, to) in [
        ("CaseView", "status", "CaseStatus"),
        ("TaskView", "status", "TaskStatus"),
        ("TaskView", "category", "Category"),
        ("StepView", "category", "Category"),
        ("ChecklistItem", "category", "Category"),
        ("HistoryEntry", "from_status", "Status"),
        ("HistoryEntry", "to_status", "Status"),
        ("ApplicationExport", "status", "Status"),
        ("ApplicationEventExport", "to_status", "Status"),
        ("AccountExport", "role", "Role"),
        ("MemberView", "role", "MemberRole"),
        ("InvitationView", "role", "MemberRole"),
        ("EmployerView", "my_role", "MemberRole"),
        ("LocationView", "kind", "LocationKind"),
        ("QualificationView", "kind", "QualificationKind"),
        ("JobView", "employment_type", "EmploymentType"),
        ("JobView", "salary_period", "SalaryPeriod"),
        ("SavedFilters", "employment_type", "EmploymentType"),
        ("ConsentView", "purpose", "ConsentPurpose"),
    ] {
        refers_to(schema, property, to);
    }
    let enum_of = |schema: &str| -> Vec<String> {
        serde_json::from_value(schemas[schema]["enum"].clone()).unwrap_or_default()
    };
    assert_eq!(
        enum_of("CaseStatus"),
        [
            "open",
            "in_progress",
            "waiting_on_candidate",
            "resolved",
            "closed"
        ]
    );
    assert_eq!(enum_of("TaskStatus"), ["todo", "doing", "done", "not_applicable"]);
    assert_eq!(enum_of("LocationKind"), ["city", "district", "cooperation_zone"]);
    assert_eq!(enum_of("Category").len(), 9);

    let pattern = |schema: &str, property: &str| {
        let text = schemas[schema]["properties"][property].to_string();
        let found: Vec<&str> = ["^[A-Z]{2}$", "^[A-Z]{3}$", "^[A-Z]{2}_TO_[A-Z]{2}$"]
            .into_iter()
            .filter(|p| text.contains(&format!("\"{p}\"")))
            .collect();
        assert_eq!(found.len(), 1, "{schema}.{property}: {text}");
        found[0]
    };
    for (schema, property) in [
        ("EmployerView", "jurisdiction"),
        ("JobEmployerView", "jurisdiction"),
        ("JobView", "jurisdiction"),
        ("LocationView", "jurisdiction"),
        ("QualificationView", "jurisdiction"),
        ("ProfileView", "residence_jurisdiction"),
        ("ApplicantView", "residence_jurisdiction"),
        ("WorkAuthorizationView", "jurisdiction"),
        ("ConsentView", "to_jurisdiction"),
        ("FiltersInput", "jurisdiction"),
        ("QualificationRequirement", "jurisdiction"),
    ] {
        assert_eq!(pattern(schema, property), "^[A-Z]{2}$");
    }
    for (schema, property) in [
        ("Money", "currency"),
        ("JobView", "salary_currency"),
        ("JurisdictionView", "currency"),
    ] {
        assert_eq!(pattern(schema, property), "^[A-Z]{3}$");
    }
    assert_eq!(pattern("CaseView", "direction"), "^[A-Z]{2}_TO_[A-Z]{2}$");
}
