//! Jobs through HTTP: validation against the registry with every field named, the lifecycle
//! draft → open → closed with its 409s, expiry, who sees and who writes which job, and the audit.

use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use talentbridge::db::schema::{employer_members, jobs};

use crate::fixtures::*;
use crate::helpers::TestApp;
use crate::on_both_backends;

fn with(mut body: Value, changes: Value) -> Value {
    for (key, value) in changes.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

/// Sets a job's expiry in the database, as the clock would have it pass.
async fn expire(app: &TestApp, job_id: &str) {
    let id = job_id.to_owned();
    app.db()
        .await
        .write(move |conn| {
            diesel::update(jobs::table.find(id))
                .set(jobs::expires_at.eq(Some(
                    chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1),
                )))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
}

on_both_backends! {
    async fn bad_job_values_are_named_and_nothing_is_written(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let token = Some(owner.access_token.as_str());
        let good = job_body(&employer_id, "hk-wan-chai", "HKD");
        let cases = [
            (json!({"salary_min": 70000}), vec!["salary_max"]),
            (json!({"salary_min": -1}), vec!["salary_min"]),
            (json!({"salary_max": 2_000_000_000i64}), vec!["salary_max"]),
            (json!({"salary_currency": "USD"}), vec!["salary_currency"]),
            (json!({"salary_period": "week"}), vec!["salary_period"]),
            (json!({"employment_type": "gig"}), vec!["employment_type"]),
            (json!({"location_id": "mo-taipa"}), vec!["location_id"]),
            (json!({"title": "  ", "description": ""}), vec!["title", "description"]),
            (json!({"title": "x".repeat(201)}), vec!["title"]),
            (json!({"skills": [{"skill_id": "basket-weaving-underwater", "min_level": 3, "required": true}]}), vec!["skills[0].skill_id"]),
            (json!({"skills": [{"skill_id": "software-engineering", "min_level": 6, "required": true}]}), vec!["skills[0].min_level"]),
            (json!({"skills": [{"skill_id": "software-engineering", "min_level": 0}]}), vec!["skills[0].min_level"]),
            (json!({"skills": [{"skill_id": "software-engineering", "min_level": 3}, {"skill_id": "software-engineering", "min_level": 4}]}), vec!["skills[1].skill_id"]),
            (json!({"languages": [{"code": "yue", "level": 9}]}), vec!["languages[0].level"]),
            (json!({"languages": [{"code": "Cantonese", "level": 3}]}), vec!["languages[0].code"]),
            (json!({"qualification": {}}), vec!["qualification"]),
            (json!({"qualification": {"qualification_id": "hk-bachelor-engineering", "min_level": "hkqf-5"}}), vec!["qualification"]),
            (json!({"qualification": {"qualification_id": "hk-bachelor-of-nothing"}}), vec!["qualification.qualification_id"]),
            (json!({"qualification": {"min_level": "hkqf-9"}}), vec!["qualification.min_level"]),
            (json!({"qualification": {"min_level": "hkqf-5", "jurisdiction": "CN"}}), vec!["qualification.jurisdiction"]),
            (json!({"expires_at": "2001-01-01"}), vec!["expires_at"]),
            (json!({"expires_at": "soon"}), vec!["expires_at"]),
            (json!({"employer_id": "no-such-employer"}), vec!["employer_id"]),
        ];
        for (changes, fields) in cases {
            let answer = app.post("/api/v1/jobs", token, with(good.clone(), changes.clone())).await;
            answer.problem(422);
            assert_eq!(answer.error_fields(), fields, "{changes}: {}", answer.body);
        }
        // No mass assignment: a body cannot set the status.
        let status = app.post("/api/v1/jobs", token, with(good.clone(), json!({"status": "open"}))).await;
        assert_eq!(status.problem(400)["errors"][0]["field"], "status");
        let listed = app.get(&format!("/api/v1/employers/{employer_id}/jobs"), token).await;
        assert_eq!(listed.body["total"], 0, "nothing was written: {}", listed.body);

        // Either currency of the two sides; a minimum level with its jurisdiction filled in.
        let cny = with(good.clone(), json!({"salary_currency": "CNY", "qualification": {"min_level": "hkqf-5"}, "expires_at": "2999-12-31"}));
        let created = app.post("/api/v1/jobs", token, cny).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let job = &created.body;
        assert_eq!(job["status"], "draft");
        assert_eq!(job["employer"]["name"], "HK Tech Ltd");
        assert_eq!(job["employer"]["jurisdiction"], "HK");
        assert_eq!(job["jurisdiction"], "HK");
        assert_eq!(job["salary_currency"], "CNY");
        assert_eq!(job["qualification"], json!({"qualification_id": null, "min_level": "hkqf-5", "jurisdiction": "HK"}));
        assert_eq!(job["skills"], json!([{"skill_id": "software-engineering", "min_level": 3, "required": true}]));
        assert_eq!(job["languages"], json!([{"code": "en", "level": 4}]));
        assert_eq!(job["expires_at"], "2999-12-31T23:59:59Z");
        assert_eq!(job["sponsorship"], true);
    }
}

on_both_backends! {
    async fn only_members_post_and_unverified_employers_cannot_publish(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = employer(&app, "CN", CN_NUMBER).await;
        let (stranger, _) = verified_employer(&app, &officer, "CN", CN_NUMBER_2).await;
        let candidate = app.sign_up("candidate").await;
        let body = job_body(&employer_id, "cn-sz-nanshan", "CNY");
        app.post("/api/v1/jobs", Some(&stranger.access_token), body.clone()).await.problem(403);
        app.post("/api/v1/jobs", Some(&candidate.access_token), body.clone()).await.problem(403);
        app.post("/api/v1/jobs", Some(&officer.access_token), body.clone()).await.problem(403);
        app.post("/api/v1/jobs", None, body.clone()).await.problem(401);

        let id = draft_job(&app, &owner, body).await;
        let publish = format!("/api/v1/jobs/{id}/publish");
        let refused = app.post(&publish, Some(&owner.access_token), json!({})).await;
        assert!(refused.problem(409)["detail"].as_str().unwrap().contains("not verified"), "{}", refused.body);
        app.post(&format!("/api/v1/employers/{employer_id}/verification"), Some(&officer.access_token), json!({"verified": true})).await;
        let published = app.post(&publish, Some(&owner.access_token), json!({})).await;
        assert_eq!(published.status, StatusCode::OK, "{}", published.body);
        assert_eq!(published.body["status"], "open");
        assert!(published.body["published_at"].is_string());
    }
}

on_both_backends! {
    async fn the_lifecycle_runs_draft_open_closed_with_conflicts(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let token = Some(owner.access_token.as_str());
        let id = draft_job(&app, &owner, job_body(&employer_id, "hk-central-and-western", "HKD")).await;
        let path = format!("/api/v1/jobs/{id}");
        let publish = format!("{path}/publish");
        let close = format!("{path}/close");

        app.post(&close, token, json!({})).await.problem(409);
        assert_eq!(app.post(&publish, token, json!({})).await.status, StatusCode::OK);
        app.post(&publish, token, json!({})).await.problem(409);

        // Partial update of an open job: the rest stays; the lists are replaced.
        let patch = json!({"title": "Staff engineer", "skills": [{"skill_id": "software-engineering", "min_level": 4, "required": false}], "qualification": {"qualification_id": "hk-bachelor-engineering"}});
        let updated = app.call(Method::PATCH, &path, token, Some(patch)).await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        assert_eq!(updated.body["title"], "Staff engineer");
        assert_eq!(updated.body["salary_max"], 60000);
        assert_eq!(updated.body["status"], "open");
        assert_eq!(updated.body["skills"][0]["min_level"], 4);
        assert_eq!(updated.body["qualification"]["qualification_id"], "hk-bachelor-engineering");
        let narrowed = app.call(Method::PATCH, &path, token, Some(json!({"salary_max": 30000}))).await;
        assert_eq!(narrowed.problem(422)["errors"][0]["field"], "salary_max");
        let cleared = app.call(Method::PATCH, &path, token, Some(json!({"qualification": null, "languages": []}))).await;
        assert!(cleared.body["qualification"].is_null(), "{}", cleared.body);
        assert_eq!(cleared.body["languages"], json!([]));
        app.call(Method::PATCH, &path, token, Some(json!({"employer_id": "x"}))).await.problem(400);

        let closed = app.post(&close, token, json!({})).await;
        assert_eq!(closed.status, StatusCode::OK);
        assert_eq!(closed.body["status"], "closed");
        assert!(closed.body["closed_at"].is_string());
        app.post(&close, token, json!({})).await.problem(409);
        app.post(&publish, token, json!({})).await.problem(409);
        app.call(Method::PATCH, &path, token, Some(json!({"title": "Again"}))).await.problem(409);

        // Closed jobs: members and agency staff only.
        app.get(&path, None).await.problem(404);
        assert_eq!(app.get(&path, token).await.body["status"], "closed");
        assert_eq!(app.get(&path, Some(&officer.access_token)).await.status, StatusCode::OK);

        assert_eq!(audit_actions(&app, "job", &id).await, vec!["create", "publish", "update", "update", "close"]);
    }
}

on_both_backends! {
    async fn strangers_get_the_exact_statuses(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (stranger, _) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let candidate = app.sign_up("candidate").await;
        let open = open_job(&app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
        let draft = draft_job(&app, &owner, job_body(&employer_id, "hk-wan-chai", "HKD")).await;
        let edit = Some(json!({"title": "Mine now"}));

        // Open jobs are public: everyone reads them, so writers who are not members get 403.
        for token in [None, Some(stranger.access_token.as_str()), Some(candidate.access_token.as_str())] {
            let seen = app.get(&format!("/api/v1/jobs/{open}"), token).await;
            assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
            assert_eq!(seen.body["status"], "open");
        }
        app.get(&format!("/api/v1/jobs/{open}"), Some("not-a-token")).await.problem(401);
        for session in [&stranger, &candidate, &officer] {
            app.call(Method::PATCH, &format!("/api/v1/jobs/{open}"), Some(&session.access_token), edit.clone()).await.problem(403);
            app.post(&format!("/api/v1/jobs/{open}/close"), Some(&session.access_token), json!({})).await.problem(403);
        }
        // Drafts are hidden from those who may not see them: 404, as for an unknown id.
        for token in [None, Some(stranger.access_token.as_str()), Some(candidate.access_token.as_str())] {
            app.get(&format!("/api/v1/jobs/{draft}"), token).await.problem(404);
        }
        app.call(Method::PATCH, &format!("/api/v1/jobs/{draft}"), Some(&stranger.access_token), edit.clone()).await.problem(404);
        app.post(&format!("/api/v1/jobs/{draft}/publish"), Some(&stranger.access_token), json!({})).await.problem(404);
        app.call(Method::PATCH, "/api/v1/jobs/no-such-job", Some(&owner.access_token), edit.clone()).await.problem(404);
        app.get("/api/v1/jobs/no-such-job", Some(&owner.access_token)).await.problem(404);
        assert_eq!(app.get(&format!("/api/v1/jobs/{draft}"), Some(&officer.access_token)).await.body["status"], "draft");

        // A recruiter of the employer is a member: reads drafts, edits and publishes.
        let recruiter = app.sign_up("employer").await;
        let (employer, user) = (employer_id.clone(), recruiter.user_id.clone());
        app.db().await.write(move |conn| {
            diesel::insert_into(employer_members::table)
                .values((employer_members::employer_id.eq(employer), employer_members::user_id.eq(user),
                         employer_members::role.eq("recruiter"), employer_members::created_at.eq(chrono::Utc::now().naive_utc())))
                .execute(conn)?;
            Ok(())
        }).await.unwrap();
        let edited = app.call(Method::PATCH, &format!("/api/v1/jobs/{draft}"), Some(&recruiter.access_token), edit).await;
        assert_eq!(edited.body["title"], "Mine now");
        assert_eq!(app.post(&format!("/api/v1/jobs/{draft}/publish"), Some(&recruiter.access_token), json!({})).await.status, StatusCode::OK);
    }
}

on_both_backends! {
    async fn a_job_past_its_expiry_is_no_longer_open(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let token = Some(owner.access_token.as_str());
        let body = with(job_body(&employer_id, "cn-sz-futian", "CNY"), json!({"expires_at": "2999-01-01T00:00:00+08:00"}));
        let id = draft_job(&app, &owner, body.clone()).await;
        let path = format!("/api/v1/jobs/{id}");
        assert_eq!(app.post(&format!("{path}/publish"), token, json!({})).await.status, StatusCode::OK);
        let still_open = open_job(&app, &owner, &employer_id, "cn-sz-futian", "CNY").await;
        expire(&app, &id).await;

        app.get(&path, None).await.problem(404);
        assert_eq!(app.get(&path, token).await.body["status"], "expired");
        let public = app.get(&format!("/api/v1/employers/{employer_id}/jobs"), None).await;
        assert_eq!(public.body["total"], 1);
        assert_eq!(public.body["items"][0]["id"], still_open.as_str());
        let own = app.get(&format!("/api/v1/employers/{employer_id}/jobs"), token).await;
        assert_eq!(own.body["total"], 2);
        let statuses: Vec<&str> = own.body["items"].as_array().unwrap().iter().map(|j| j["status"].as_str().unwrap()).collect();
        assert!(statuses.contains(&"expired") && statuses.contains(&"open"), "{statuses:?}");
        // An expired job can be extended (it is open again) or closed.
        let extended = app.call(Method::PATCH, &path, token, Some(json!({"expires_at": "2999-06-30"}))).await;
        assert_eq!(extended.body["status"], "open", "{}", extended.body);
        expire(&app, &id).await;
        assert_eq!(app.post(&format!("{path}/close"), token, json!({})).await.body["status"], "closed");

        // A draft whose expiry passed cannot be published until it is moved.
        let late = draft_job(&app, &owner, body).await;
        expire(&app, &late).await;
        let refused = app.post(&format!("/api/v1/jobs/{late}/publish"), token, json!({})).await;
        assert_eq!(refused.problem(422)["errors"][0]["field"], "expires_at");
    }
}

on_both_backends! {
    async fn an_employers_jobs_are_listed_per_reader(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (stranger, _) = verified_employer(&app, &officer, "HK", HK_NUMBER_2).await;
        let open = open_job(&app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
        draft_job(&app, &owner, job_body(&employer_id, "hk-wan-chai", "HKD")).await;
        let path = format!("/api/v1/employers/{employer_id}/jobs");

        let own = app.get(&path, Some(&owner.access_token)).await;
        assert_eq!(own.body["total"], 2);
        let page = app.get(&format!("{path}?limit=1&offset=1"), Some(&owner.access_token)).await;
        assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
        assert_eq!(page.body["limit"], 1);
        assert_eq!(app.get(&path, Some(&officer.access_token)).await.body["total"], 2);
        for token in [None, Some(stranger.access_token.as_str())] {
            let seen = app.get(&path, token).await;
            assert_eq!(seen.body["total"], 1, "{}", seen.body);
            assert_eq!(seen.body["items"][0]["id"], open.as_str());
        }
        app.get("/api/v1/employers/no-such-employer/jobs", None).await.problem(404);
    }
}
