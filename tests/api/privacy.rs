//! Privacy: erasure leaves nothing of the person's words in any table, the audit log included,
//! nor in any search; agency reads are on record; a candidate's export says which employers read
//! them across the boundary.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use talentbridge::db::schema::audit_log;

use crate::fixtures::*;
use crate::helpers::{Answer, Session, TestApp};
use crate::on_both_backends;

/// A word found nowhere else: letters only, so every analyzer keeps it one token.
fn unique_marker() -> String {
    let letters: String = uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .chars()
        .take(16)
        .map(|c| (b'a' + c.to_digit(16).unwrap() as u8) as char)
        .collect();
    format!("zq{letters}")
}

async fn patch(app: &TestApp, path: &str, session: &Session, body: Value) -> Answer {
    app.call(Method::PATCH, path, Some(&session.access_token), Some(body))
        .await
}

fn created(answer: Answer) -> Value {
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    answer.body
}

/// Talent search for `q`.
async fn talent_search(app: &TestApp, reader: &Session, q: &str) -> Answer {
    let found = app
        .get(
            &format!("/api/v1/candidates/search?q={q}"),
            Some(&reader.access_token),
        )
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    found
}

/// Talent search for `q` until it finds `total` candidates (the index follows changes at its
/// poll); fails after `within`.
async fn found_within(app: &TestApp, reader: &Session, q: &str, total: u64, within: Duration) -> Answer {
    let deadline = Instant::now() + within;
    loop {
        let found = talent_search(app, reader, q).await;
        if found.body["total"] == total {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "not {total} within {within:?}: {}",
            found.body
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A Shenzhen candidate with the marker in every free text stored by or about them: account name
/// and email, profile, a cover letter, a saved search, a case (summary, task note, internal and
/// visible notes), a credential and a work authorisation, each with a verification note.
async fn candidate_marked_everywhere(app: &TestApp, officer: &Session, marker: &str) -> (Session, String) {
    let me = app
        .sign_up_as(
            "candidate",
            &format!("{marker}@example.com"),
            &format!("Chan {marker}"),
        )
        .await;
    let token = Some(me.access_token.as_str());
    let profile = json!({
        "display_name": format!("Chan {marker}"),
        "headline": format!("Backend engineer {marker}"),
        "summary": format!("Rust and PostgreSQL, {marker}."),
        "residence_jurisdiction": "CN",
        "location_id": "cn-sz-futian",
        "languages": [{"code": "en", "level": 4}],
        "skills": [{"skill_id": "software-engineering", "level": 4, "years": 6}],
        "desired_jurisdictions": ["CN", "HK"],
        "visibility": "employers"
    });
    let saved = app
        .call(Method::PUT, "/api/v1/candidates/me", token, Some(profile))
        .await;
    assert!(saved.status.is_success(), "{}", saved.body);
    let id = saved.body["id"].as_str().unwrap().to_owned();

    let credential = created(
        app.post(
            "/api/v1/candidates/me/credentials",
            token,
            json!({"qualification_id": "hk-higher-diploma"}),
        )
        .await,
    );
    let authorization = created(
        app.post(
            "/api/v1/candidates/me/work-authorizations",
            token,
            json!({"jurisdiction": "HK", "basis": "HK_PR"}),
        )
        .await,
    );
    for (kind, held) in [
        ("credentials", &credential),
        ("work-authorizations", &authorization),
    ] {
        let path = format!(
            "/api/v1/candidates/{id}/{kind}/{}/verification",
            held["id"].as_str().unwrap()
        );
        let verdict = json!({"status": "verified", "note": format!("Checked {kind} {marker}")});
        let verified = app.post(&path, Some(&officer.access_token), verdict).await;
        assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    }

    let (owner, employer_id) = verified_employer(app, officer, "CN", CN_NUMBER).await;
    let job_id = open_job(app, &owner, &employer_id, "cn-sz-futian", "CNY").await;
    let letter = json!({"cover_letter": format!("Dear hiring team, {marker}")});
    created(
        app.post(&format!("/api/v1/jobs/{job_id}/applications"), token, letter)
            .await,
    );
    created(
        app.post(
            "/api/v1/saved-searches",
            token,
            json!({"query": marker, "frequency": "daily"}),
        )
        .await,
    );

    let case = created(
        app.post(
            "/api/v1/cases",
            Some(&officer.access_token),
            json!({"candidate_id": id, "direction": "CN_TO_HK", "summary": format!("Relocating {marker}")}),
        )
        .await,
    );
    let case_path = format!("/api/v1/cases/{}", case["id"].as_str().unwrap());
    let task = case["tasks"][0]["id"].as_str().unwrap();
    let noted = patch(
        app,
        &format!("{case_path}/tasks/{task}"),
        officer,
        json!({"note": format!("Task {marker}")}),
    )
    .await;
    assert_eq!(noted.status, StatusCode::OK, "{}", noted.body);
    for visible in [false, true] {
        let note = json!({"body": format!("Note {visible} {marker}"), "visible_to_candidate": visible});
        created(
            app.post(&format!("{case_path}/notes"), Some(&officer.access_token), note)
                .await,
        );
    }
    (me, id)
}

/// An audit entry as written before the log kept free text out, about the candidate.
async fn legacy_audit_entry(app: &TestApp, candidate_id: &str, marker: &str) {
    let (candidate_id, before) = (
        candidate_id.to_owned(),
        json!({"summary": marker, "headline": marker}).to_string(),
    );
    app.db()
        .await
        .write(move |conn| {
            diesel::insert_into(audit_log::table)
                .values((
                    audit_log::id.eq(uuid::Uuid::new_v4().to_string()),
                    audit_log::at.eq(chrono::Utc::now().naive_utc()),
                    audit_log::action.eq("update"),
                    audit_log::target_type.eq("candidate"),
                    audit_log::target_id.eq(candidate_id),
                    audit_log::before.eq(before),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
}

on_both_backends! {
    async fn erasure_leaves_the_persons_words_in_no_column_and_no_search(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let marker = unique_marker();
        let (me, id) = candidate_marked_everywhere(&app, &officer, &marker).await;

        // Stored where it belongs, and never copied into the audit log.
        let holding = app.columns_containing(&marker).await;
        for column in ["users.email", "users.display_name", "candidates.headline", "candidates.summary",
                       "applications.cover_letter", "saved_searches.query", "cases.summary", "case_tasks.note",
                       "case_notes.body", "credentials.verification_note", "work_authorizations.verification_note"] {
            assert!(holding.contains(&column.to_owned()), "{column} not in {holding:?}");
        }
        assert!(!holding.contains(&"audit_log.before".to_owned()) && !holding.contains(&"audit_log.after".to_owned()),
                "the audit log copies no free text: {holding:?}");
        let own_cases = app.get("/api/v1/cases", Some(&me.access_token)).await;
        assert!(own_cases.body.to_string().contains(&marker), "the candidate reads their case: {}", own_cases.body);
        // Entries written before the log kept free text out go too.
        legacy_audit_entry(&app, &id, &marker).await;
        found_within(&app, &officer, &marker, 1, Duration::from_secs(10)).await;

        let erased = app.call(Method::DELETE, "/api/v1/candidates/me", Some(&me.access_token), None).await;
        assert_eq!(erased.status, StatusCode::NO_CONTENT, "{}", erased.body);

        // Out of the index within a second.
        let found = found_within(&app, &officer, &marker, 0, Duration::from_secs(1)).await;
        assert!(!found.body.to_string().contains(&marker), "{}", found.body);
        let jobs = app.get(&format!("/api/v1/jobs/search?q={marker}"), None).await;
        assert_eq!(jobs.status, StatusCode::OK);
        assert!(!jobs.body.to_string().contains(&marker), "{}", jobs.body);

        let left = app.columns_containing(&marker).await;
        assert!(left.is_empty(), "erasure left the marker in {left:?}");
        // The entries stay, with their ids and actions.
        let admin = app.admin().await;
        let entries = app.get(&format!("/api/v1/audit?target_type=candidate&target_id={id}&limit=100"), Some(&admin.access_token)).await;
        let actions: Vec<&str> = entries.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"create") && actions.contains(&"erase"), "{actions:?}");
    }
}

on_both_backends! {
    async fn agency_reads_are_on_record_without_the_search_text(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (_, id) = candidate(&app, "CN").await;
        let admin = app.admin().await;
        assert!(!audit_actions(&app, "candidate", &id).await.contains(&"candidate.read".to_owned()));

        let read = app.get(&format!("/api/v1/candidates/{id}"), Some(&officer.access_token)).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        let entries = app.get(&format!("/api/v1/audit?target_type=candidate&target_id={id}&limit=100"), Some(&admin.access_token)).await;
        let reads: Vec<&Value> = entries.body["items"].as_array().unwrap().iter().filter(|e| e["action"] == "candidate.read").collect();
        assert_eq!(reads.len(), 1, "{}", entries.body);
        assert_eq!(reads[0]["actor_id"], officer.user_id.as_str());

        // Each page of talent search: the candidates it showed, not what was asked. (An
        // employer's domestic search waits for the index, and is no agency read.)
        let (cn_owner, _) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        found_within(&app, &cn_owner, "engineer", 1, Duration::from_secs(10)).await;
        let words = unique_marker();
        talent_search(&app, &officer, "engineer").await;
        talent_search(&app, &officer, &words).await;
        let by_officer = app.get(&format!("/api/v1/audit?actor_id={}&limit=100", officer.user_id), Some(&admin.access_token)).await;
        let pages: Vec<Value> = by_officer.body["items"].as_array().unwrap().iter()
            .filter(|e| e["action"] == "talent_search.page")
            .map(|e| serde_json::from_str(e["after"].as_str().unwrap()).unwrap())
            .collect();
        assert_eq!(pages.len(), 2, "{}", by_officer.body);
        assert!(pages.iter().any(|p| p["candidate_ids"] == json!([id])), "{pages:?}");
        assert!(pages.iter().any(|p| p["candidate_ids"] == json!([])), "{pages:?}");
        assert!(!by_officer.body.to_string().contains(&words), "no search text in the log");

        let by_employer = app.get(&format!("/api/v1/audit?actor_id={}&limit=100", cn_owner.user_id), Some(&admin.access_token)).await;
        assert!(!by_employer.body.to_string().contains("talent_search.page"), "{}", by_employer.body);
    }
}

on_both_backends! {
    async fn the_export_lists_who_read_the_candidate_across_the_boundary(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (me, id) = candidate(&app, "CN").await;
        let consent = json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"});
        created(app.post("/api/v1/candidates/me/consents", Some(&me.access_token), consent).await);
        let (hk_owner, hk_employer) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (cn_owner, _) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let path = "/api/v1/candidates/me/export";
        assert_eq!(app.get(path, Some(&me.access_token)).await.body["cross_border_reads"], json!([]));

        // A Shenzhen employer's read is domestic; the agency's is no employer's.
        for reader in [&cn_owner, &officer] {
            let read = app.get(&format!("/api/v1/candidates/{id}"), Some(&reader.access_token)).await;
            assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        }
        assert_eq!(app.get(path, Some(&me.access_token)).await.body["cross_border_reads"], json!([]));

        let before = chrono::Utc::now();
        let read = app.get(&format!("/api/v1/candidates/{id}"), Some(&hk_owner.access_token)).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        let listed = app.get(path, Some(&me.access_token)).await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
        let reads = listed.body["cross_border_reads"].as_array().unwrap();
        assert_eq!(reads.len(), 1, "{}", listed.body);
        assert_eq!(reads[0]["employer_id"], hk_employer.as_str());
        assert_eq!(reads[0]["employer_name"], "HK Tech Ltd");
        assert_eq!(reads[0]["jurisdiction"], "HK");
        let at: chrono::DateTime<chrono::Utc> = reads[0]["at"].as_str().unwrap().parse().unwrap();
        assert!(at >= before - chrono::Duration::seconds(1), "{at} vs {before}");
    }
}
