//! One-stop cases through HTTP on both backends: templates and the cases built from them, the
//! status machine, who sees what (per role and per note), overdue listing, reminder emails, and
//! the agency's overview against a known data set.

use chrono::{Duration, NaiveDate};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{
    CN_NUMBER, HK_NUMBER, candidate, employer, officer, open_job, task, verified_employer,
};
use crate::helpers::{Answer, Session, TestApp};
use crate::on_both_backends;

fn today() -> NaiveDate {
    talentbridge::cases::today()
}

async fn patch(app: &TestApp, path: &str, session: &Session, body: Value) -> Answer {
    app.call(Method::PATCH, path, Some(&session.access_token), Some(body))
        .await
}

/// A case opened by `officer` for `candidate_id` in `direction`; returns the case.
async fn open_case(app: &TestApp, officer: &Session, candidate_id: &str, direction: &str) -> Value {
    let opened = app
        .post(
            "/api/v1/cases",
            Some(&officer.access_token),
            json!({"candidate_id": candidate_id, "direction": direction, "summary": "Moving for a new job"}),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    opened.body
}

async fn set_status(app: &TestApp, officer: &Session, case_id: &str, status: &str) -> Answer {
    patch(
        app,
        &format!("/api/v1/cases/{case_id}"),
        officer,
        json!({"status": status}),
    )
    .await
}

fn task_id(case: &Value, code: &str) -> String {
    case["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == code)
        .unwrap_or_else(|| panic!("no task {code} in {case}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A checklist item due `days` after the case opens.
fn template_item(code: &str, title: Value, category: &str, days: i32) -> Value {
    json!({
        "code": code, "title": title, "category": category, "actor": "agency",
        "authority": {"en": "Talent service agency", "zh-Hans": "", "zh-Hant": ""},
        "due_rule": {"anchor": "opened", "days": days},
        "source_url": "https://www.immd.gov.hk/", "checked_on": "2026-12-03"
    })
}

fn ids(listing: &Answer) -> Vec<String> {
    assert_eq!(listing.status, StatusCode::OK, "{}", listing.body);
    listing.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

on_both_backends! {
    async fn templates_are_edited_by_admins_and_shape_the_cases_opened_after(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let admin = app.admin().await;
        let (_, candidate_id) = candidate(&app, "CN").await;

        // The shipped defaults are there for both directions.
        for direction in ["CN_TO_HK", "HK_TO_CN"] {
            let template = app.get(&format!("/api/v1/case-templates/{direction}"), Some(&officer.access_token)).await;
            assert_eq!(template.status, StatusCode::OK, "{}", template.body);
            let categories: Vec<&str> = template.body.as_array().unwrap().iter().map(|i| i["category"].as_str().unwrap()).collect();
            for category in ["permit", "credential", "social_security", "medical", "schooling", "tax", "housing"] {
                assert!(categories.contains(&category), "{direction} lacks {category}");
            }
        }
        let mpf = app.get("/api/v1/case-templates/CN_TO_HK", Some(&officer.access_token)).await;
        assert!(mpf.body.as_array().unwrap().iter().any(|i| i["code"] == "mpf_enrolment"));
        app.get("/api/v1/case-templates/CN_TO_MO", Some(&officer.access_token)).await.problem(404);

        // Only admins edit; every broken item is named.
        let items = json!([
            template_item("ttps_application", json!({"en": "Top Talent Pass application", "zh-Hans": "高端人才通行证申请", "zh-Hant": ""}), "permit", 10),
            template_item("mpf", json!({"en": "MPF enrolment", "zh-Hans": "", "zh-Hant": ""}), "social_security", 0)
        ]);
        app.call(Method::PUT, "/api/v1/case-templates/CN_TO_HK", Some(&officer.access_token), Some(items.clone())).await.problem(403);
        let mut unknown_group = template_item("b", json!({"en": "B", "zh-Hans": "", "zh-Hant": ""}), "other", 1);
        unknown_group["condition"] = json!({"group_any": ["martians"]});
        let broken = app.call(Method::PUT, "/api/v1/case-templates/CN_TO_HK", Some(&admin.access_token), Some(json!([
            template_item("a", json!({"en": "A", "zh-Hans": "", "zh-Hant": ""}), "permit", 1),
            template_item("a", json!({"en": "", "zh-Hans": "", "zh-Hant": ""}), "visa", 9999),
            unknown_group
        ]))).await;
        broken.problem(422);
        assert_eq!(broken.error_fields(), ["[1].code", "[1].title.en", "[1].due_rule.days", "[1].category", "[2].condition"]);
        let empty = app.call(Method::PUT, "/api/v1/case-templates/CN_TO_HK", Some(&admin.access_token), Some(json!([]))).await;
        empty.problem(422);
        let same = app.call(Method::PUT, "/api/v1/case-templates/HK_TO_HK", Some(&admin.access_token), Some(items.clone())).await;
        same.problem(422);
        assert_eq!(same.error_fields(), ["direction"]);

        let saved = app.call(Method::PUT, "/api/v1/case-templates/CN_TO_HK", Some(&admin.access_token), Some(items)).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert_eq!(saved.body[0]["title"]["zh-Hans"], "高端人才通行证申请");
        let read = app.get("/api/v1/case-templates/CN_TO_HK", Some(&officer.access_token)).await;
        assert_eq!(read.body, saved.body);
        assert_eq!(crate::fixtures::audit_actions(&app, "case_template", "CN_TO_HK").await, ["case_template.replaced"]);

        // A case opened now has exactly that checklist, due dates counted from today.
        let case = open_case(&app, &officer, &candidate_id, "CN_TO_HK").await;
        assert_eq!(case["status"], "open");
        assert_eq!(case["assignee_id"], Value::Null);
        assert_eq!(case["requested_by_candidate"], false);
        assert_eq!(case["opened_by"], officer.user_id.as_str());
        // The template's items; the route's steps (the candidate's nationality is unknown, so
        // a route is only possible) come after them.
        let tasks: Vec<&Value> = case["tasks"].as_array().unwrap().iter().filter(|t| t["route"].is_null()).collect();
        assert_eq!(tasks.len(), 2, "{case}");
        assert_eq!(tasks[0]["code"], "ttps_application");
        assert_eq!(tasks[0]["title"]["en"], "Top Talent Pass application");
        assert_eq!(tasks[0]["category"], "permit");
        assert_eq!(tasks[0]["status"], "todo");
        assert_eq!(tasks[0]["due_on"], (today() + Duration::days(10)).to_string());
        assert_eq!(tasks[1]["due_on"], today().to_string());
        assert_eq!(tasks[1]["title"]["zh-Hant"], "", "a missing translation stays empty; readers fall back to English");

        // The other direction kept its defaults.
        let (_, hk_candidate) = candidate(&app, "HK").await;
        let other = open_case(&app, &officer, &hk_candidate, "HK_TO_CN").await;
        assert!(other["tasks"].as_array().unwrap().len() >= 7);

        // A direction must be two different jurisdictions of the registry.
        for bad in ["HK_TO_HK", "XX_TO_HK", "hk-to-cn"] {
            let refused = app.post("/api/v1/cases", Some(&officer.access_token), json!({"candidate_id": candidate_id, "direction": bad})).await;
            refused.problem(422);
            assert_eq!(refused.error_fields(), ["direction"], "{bad}");
        }
        let unknown = app.post("/api/v1/cases", Some(&officer.access_token), json!({"candidate_id": "nobody", "direction": "CN_TO_HK"})).await;
        unknown.problem(422);
        assert_eq!(unknown.error_fields(), ["candidate_id"]);
    }
}

on_both_backends! {
    async fn every_status_move_is_legal_or_409(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (_, candidate_id) = candidate(&app, "CN").await;
        // The legal path to reach each status from a fresh case.
        let path_to = |status: &str| -> Vec<&'static str> {
            match status {
                "open" => vec![],
                "in_progress" => vec!["in_progress"],
                "waiting_on_candidate" => vec!["in_progress", "waiting_on_candidate"],
                "resolved" => vec!["in_progress", "resolved"],
                _ => vec!["in_progress", "resolved", "closed"],
            }
        };
        let statuses = ["open", "in_progress", "waiting_on_candidate", "resolved", "closed"];
        let legal = [
            ("open", "in_progress"), ("open", "closed"),
            ("in_progress", "waiting_on_candidate"), ("waiting_on_candidate", "in_progress"),
            ("in_progress", "resolved"), ("waiting_on_candidate", "resolved"),
            ("resolved", "in_progress"), ("resolved", "closed"),
        ];
        for from in statuses {
            for to in statuses.iter().copied().filter(|to| *to != from) {
                let case = open_case(&app, &officer, &candidate_id, "CN_TO_HK").await;
                let id = case["id"].as_str().unwrap();
                for step in path_to(from) {
                    let moved = set_status(&app, &officer, id, step).await;
                    assert_eq!(moved.status, StatusCode::OK, "{from}: {step}: {}", moved.body);
                }
                let moved = set_status(&app, &officer, id, to).await;
                if legal.contains(&(from, to)) {
                    assert_eq!(moved.status, StatusCode::OK, "{from} → {to}: {}", moved.body);
                    assert_eq!(moved.body["status"], to);
                    // Resolved stays dated when filed; reopening clears it.
                    let resolved = to == "resolved" || (from == "resolved" && to == "closed");
                    assert_eq!(moved.body["resolved_at"].is_null(), !resolved, "{from} → {to}: {}", moved.body);
                    assert_eq!(moved.body["closed_at"].is_null(), to != "closed", "{from} → {to}");
                } else {
                    moved.problem(409);
                    let unchanged = app.get(&format!("/api/v1/cases/{id}"), Some(&officer.access_token)).await;
                    assert_eq!(unchanged.body["status"], from);
                }
            }
        }

        // Assignment: agency staff only; null unassigns; the timeline keeps every change.
        let case = open_case(&app, &officer, &candidate_id, "CN_TO_HK").await;
        let id = case["id"].as_str().unwrap();
        let path = format!("/api/v1/cases/{id}");
        let candidate_user = app.sign_up("candidate").await;
        let wrong = patch(&app, &path, &officer, json!({"assignee_id": candidate_user.user_id})).await;
        wrong.problem(422);
        assert_eq!(wrong.error_fields(), ["assignee_id"]);
        patch(&app, &path, &officer, json!({"assignee_id": "no-such-user"})).await.problem(422);
        let admin = app.admin().await;
        let assigned = patch(&app, &path, &officer, json!({"assignee_id": officer.user_id, "status": "in_progress"})).await;
        assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
        assert_eq!(assigned.body["assignee_id"], officer.user_id.as_str());
        let reassigned = patch(&app, &path, &admin, json!({"assignee_id": admin.user_id})).await;
        assert_eq!(reassigned.body["assignee_id"], admin.user_id.as_str());
        let unassigned = patch(&app, &path, &officer, json!({"assignee_id": null})).await;
        assert_eq!(unassigned.body["assignee_id"], Value::Null);
        let noop = patch(&app, &path, &officer, json!({"status": "in_progress"})).await;
        assert_eq!(noop.status, StatusCode::OK, "staying put is no move and no error");
        let timeline = app.get(&format!("{path}/timeline"), Some(&officer.access_token)).await;
        assert_eq!(timeline.status, StatusCode::OK, "{}", timeline.body);
        let actions: Vec<&str> = timeline.body.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["case.opened", "case.status_changed", "case.assigned", "case.assigned", "case.assigned"]);
        let entries = timeline.body.as_array().unwrap();
        assert_eq!(entries[1]["before"]["status"], "open");
        assert_eq!(entries[1]["after"]["status"], "in_progress");
        assert_eq!(entries[3]["actor_id"], admin.user_id.as_str());
        assert!(entries.iter().all(|e| e["at"].is_string()));

        // Tasks of a closed case are final.
        let closed = open_case(&app, &officer, &candidate_id, "CN_TO_HK").await;
        let closed_id = closed["id"].as_str().unwrap();
        assert_eq!(set_status(&app, &officer, closed_id, "closed").await.status, StatusCode::OK);
        let task = task_id(&closed, "mpf_enrolment");
        patch(&app, &format!("/api/v1/cases/{closed_id}/tasks/{task}"), &officer, json!({"status": "done"})).await.problem(409);
        // A task reached through another case does not exist.
        patch(&app, &format!("/api/v1/cases/{id}/tasks/{task}"), &officer, json!({"status": "done"})).await.problem(404);
    }
}

on_both_backends! {
    async fn each_role_sees_what_it_may_and_the_candidate_only_visible_notes(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (me, candidate_id) = candidate(&app, "HK").await;
        let (stranger, _) = candidate(&app, "HK").await;
        let (employer_owner, _) = employer(&app, "HK", HK_NUMBER).await;
        let case = open_case(&app, &officer, &candidate_id, "HK_TO_CN").await;
        let id = case["id"].as_str().unwrap();
        let path = format!("/api/v1/cases/{id}");

        let internal = app.post(&format!("{path}/notes"), Some(&officer.access_token), json!({"body": "Employer may withdraw the offer; internal"})).await;
        assert_eq!(internal.status, StatusCode::CREATED, "{}", internal.body);
        assert_eq!(internal.body["visible_to_candidate"], false);
        let shared = app.post(&format!("{path}/notes"), Some(&officer.access_token), json!({"body": "Please bring your HKID card", "visible_to_candidate": true})).await;
        assert_eq!(shared.status, StatusCode::CREATED, "{}", shared.body);
        app.post(&format!("{path}/notes"), Some(&officer.access_token), json!({"body": "  "})).await.problem(422);
        let task = task_id(&case, "accommodation_registration");
        let changed = patch(&app, &format!("{path}/tasks/{task}"), &officer, json!({"status": "doing", "note": "Appointment booked"})).await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        assert_eq!(changed.body["note"], "Appointment booked");

        // The agency sees every note.
        let seen = app.get(&path, Some(&officer.access_token)).await;
        assert_eq!(seen.body["notes"].as_array().unwrap().len(), 2);
        // The timeline names each note (its id), never copies its text: the log outlives erasure.
        let timeline = app.get(&format!("{path}/timeline"), Some(&officer.access_token)).await;
        let recorded = timeline.body.to_string();
        assert!(recorded.contains(internal.body["id"].as_str().unwrap()), "{recorded}");
        assert!(!recorded.contains("withdraw the offer") && !recorded.contains("Appointment booked"), "{recorded}");

        // The candidate: their case, its tasks, only the visible note, nowhere the internal one.
        let mine = app.get(&path, Some(&me.access_token)).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        let notes = mine.body["notes"].as_array().unwrap();
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0]["body"], "Please bring your HKID card");
        assert_eq!(mine.body["tasks"].as_array().unwrap().len(), case["tasks"].as_array().unwrap().len());
        let their_timeline = app.get(&format!("{path}/timeline"), Some(&me.access_token)).await;
        assert_eq!(their_timeline.status, StatusCode::OK);
        let text = their_timeline.body.to_string();
        assert!(!text.contains("withdraw the offer"), "{text}");
        assert!(!text.contains("internal_note"), "{text}");
        assert!(!text.contains(internal.body["id"].as_str().unwrap()), "{text}");
        assert!(text.contains(shared.body["id"].as_str().unwrap()), "{text}");
        assert!(text.contains("case.task_changed"), "{text}");
        let listed = app.get("/api/v1/cases", Some(&me.access_token)).await;
        assert_eq!(ids(&listed), [id]);
        assert!(!listed.body.to_string().contains("withdraw the offer"));
        let export = app.get("/api/v1/candidates/me/export", Some(&me.access_token)).await;
        assert_eq!(export.status, StatusCode::OK, "{}", export.body);
        assert_eq!(export.body["cases"][0]["id"], id);
        assert_eq!(export.body["cases"][0]["notes"].as_array().unwrap().len(), 1);
        assert!(!export.body.to_string().contains("withdraw the offer"));

        // The candidate reads, never writes.
        patch(&app, &path, &me, json!({"status": "in_progress"})).await.problem(403);
        patch(&app, &format!("{path}/tasks/{task}"), &me, json!({"status": "done"})).await.problem(403);
        app.post(&format!("{path}/notes"), Some(&me.access_token), json!({"body": "hi"})).await.problem(403);

        // Another candidate does not learn the case exists; employers see nothing of cases.
        app.get(&path, Some(&stranger.access_token)).await.problem(404);
        app.get(&format!("{path}/timeline"), Some(&stranger.access_token)).await.problem(404);
        assert!(ids(&app.get("/api/v1/cases", Some(&stranger.access_token)).await).is_empty());
        app.get(&path, Some(&employer_owner.access_token)).await.problem(403);
        app.get("/api/v1/cases", Some(&employer_owner.access_token)).await.problem(403);
        app.get(&path, None).await.problem(401);
        app.get("/api/v1/cases/no-such-case", Some(&officer.access_token)).await.problem(404);

        // A candidate asks for a case for themself: unassigned, once per direction while unfinished.
        let (requester, requester_id) = candidate(&app, "CN").await;
        let requested = app.post("/api/v1/cases", Some(&requester.access_token), json!({"direction": "CN_TO_HK", "summary": "Offer from a Hong Kong bank"})).await;
        assert_eq!(requested.status, StatusCode::CREATED, "{}", requested.body);
        assert_eq!(requested.body["requested_by_candidate"], true);
        assert_eq!(requested.body["assignee_id"], Value::Null);
        assert_eq!(requested.body["candidate_id"], requester_id.as_str());
        app.post("/api/v1/cases", Some(&requester.access_token), json!({"direction": "CN_TO_HK"})).await.problem(409);
        let for_other = app.post("/api/v1/cases", Some(&requester.access_token), json!({"direction": "HK_TO_CN", "candidate_id": candidate_id})).await;
        for_other.problem(422);
        assert_eq!(for_other.error_fields(), ["candidate_id"]);
        let no_profile = app.sign_up("candidate").await;
        app.post("/api/v1/cases", Some(&no_profile.access_token), json!({"direction": "CN_TO_HK"})).await.problem(409);
        app.post("/api/v1/cases", Some(&employer_owner.access_token), json!({"direction": "CN_TO_HK"})).await.problem(403);
        // Officers find the requests waiting for someone to take them.
        let unassigned = app.get("/api/v1/cases?assignee=none", Some(&officer.access_token)).await;
        assert!(ids(&unassigned).contains(&requested.body["id"].as_str().unwrap().to_owned()));
        let taken = patch(&app, &format!("/api/v1/cases/{}", requested.body["id"].as_str().unwrap()), &officer, json!({"assignee_id": officer.user_id})).await;
        assert_eq!(taken.status, StatusCode::OK);
        let mine = app.get("/api/v1/cases?assignee=me", Some(&officer.access_token)).await;
        assert_eq!(ids(&mine), [requested.body["id"].as_str().unwrap()]);
    }
}

on_both_backends! {
    async fn overdue_cases_are_listed_and_reminded_once_a_day(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (me, candidate_id) = candidate(&app, "CN").await;
        let late = open_case(&app, &officer, &candidate_id, "CN_TO_HK").await;
        let on_time = open_case(&app, &officer, &candidate_id, "CN_TO_HK").await;
        let finished = open_case(&app, &officer, &candidate_id, "CN_TO_HK").await;
        let (late_id, on_time_id, finished_id) = (late["id"].as_str().unwrap(), on_time["id"].as_str().unwrap(), finished["id"].as_str().unwrap());
        let past = (today() - Duration::days(3)).to_string();

        // Nothing is overdue right after opening.
        assert!(ids(&app.get("/api/v1/cases?overdue=true", Some(&officer.access_token)).await).is_empty());
        let mpf = task_id(&late, "mpf_enrolment");
        let moved = patch(&app, &format!("/api/v1/cases/{late_id}/tasks/{mpf}"), &officer, json!({"due_on": past})).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        assert_eq!(moved.body["overdue"], true);
        // A task past due but done is not overdue; a resolved case is not overdue.
        let bank = task_id(&on_time, "bank_account");
        patch(&app, &format!("/api/v1/cases/{on_time_id}/tasks/{bank}"), &officer, json!({"due_on": past, "status": "done"})).await;
        let housing = task_id(&finished, "housing");
        patch(&app, &format!("/api/v1/cases/{finished_id}/tasks/{housing}"), &officer, json!({"due_on": past})).await;
        for step in ["in_progress", "resolved"] {
            assert_eq!(set_status(&app, &officer, finished_id, step).await.status, StatusCode::OK);
        }
        patch(&app, &format!("/api/v1/cases/{late_id}/tasks/{mpf}"), &officer, json!({"due_on": "1999-12-31"})).await.problem(422);

        let overdue = app.get("/api/v1/cases?overdue=true", Some(&officer.access_token)).await;
        assert_eq!(ids(&overdue), [late_id]);
        assert_eq!(overdue.body["items"][0]["overdue"], true);
        assert_eq!(overdue.body["total"], 1);
        assert_eq!(ids(&app.get("/api/v1/cases?overdue=true", Some(&me.access_token)).await), [late_id]);
        assert_eq!(ids(&app.get("/api/v1/cases?status=resolved", Some(&officer.access_token)).await), [finished_id]);
        app.get("/api/v1/cases?status=pending", Some(&officer.access_token)).await.problem(400);

        // Reminders: the assignee gets the overdue task, the candidate the tasks waiting on them.
        assert_eq!(patch(&app, &format!("/api/v1/cases/{late_id}"), &officer, json!({"assignee_id": officer.user_id})).await.status, StatusCode::OK);
        for step in ["in_progress", "waiting_on_candidate"] {
            assert_eq!(set_status(&app, &officer, on_time_id, step).await.status, StatusCode::OK);
        }
        let db = app.db().await;
        let base = app.settings.application.base_url.clone();
        let first = talentbridge::cases::reminders::send_due_reminders(&db, &base, today()).await.unwrap();
        assert_eq!((first.officers, first.candidates), (1, 1));
        let again = talentbridge::cases::reminders::send_due_reminders(&db, &base, today()).await.unwrap();
        assert_eq!((again.officers, again.candidates), (0, 0), "once per task, recipient and day");

        let officer_mail = app.wait_for_mail(&officer.email, 1).await;
        assert_eq!(officer_mail.len(), 1);
        assert!(officer_mail[0].subject.contains("overdue"), "{}", officer_mail[0].subject);
        assert!(officer_mail[0].text.contains("MPF scheme"), "{}", officer_mail[0].text);
        assert!(officer_mail[0].text.contains(&past));
        assert!(officer_mail[0].text.contains("/agency/cases?overdue=true"));
        let reminders = |app: &TestApp| app.mails_to(&me.email).into_iter().filter(|m| m.subject.contains("waiting for you")).collect::<Vec<_>>();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while reminders(&app).is_empty() && std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let candidate_mail = reminders(&app);
        assert_eq!(candidate_mail.len(), 1);
        // Every pending task of the waiting case, the done one left out.
        assert!(candidate_mail[0].text.contains("individual tax return (BIR60)"), "{}", candidate_mail[0].text);
        assert!(!candidate_mail[0].text.contains("Open a Hong Kong bank account"), "{}", candidate_mail[0].text);

        // The next day they are reminded again.
        let tomorrow = talentbridge::cases::reminders::send_due_reminders(&db, &base, today() + Duration::days(1)).await.unwrap();
        assert_eq!((tomorrow.officers, tomorrow.candidates), (1, 1));
        app.wait_for_mail(&officer.email, 2).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(app.mails_to(&officer.email).len(), 2);
    }
}

on_both_backends! {
    async fn the_overview_counts_a_known_market(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (cn_owner, cn_employer) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let _unverified = employer(&app, "HK", HK_NUMBER).await;
        let job = open_job(&app, &cn_owner, &cn_employer, "cn-sz-nanshan", "CNY").await;
        let draft = app.post("/api/v1/jobs", Some(&cn_owner.access_token), crate::fixtures::job_body(&cn_employer, "cn-sz-futian", "CNY")).await;
        assert_eq!(draft.status, StatusCode::CREATED);

        // Two Hong Kong candidates who consent to the Mainland apply; a third erases themself.
        let mut applications = Vec::new();
        let mut candidate_ids = Vec::new();
        for _ in 0..2 {
            let (session, id) = candidate(&app, "HK").await;
            let consent = app.post("/api/v1/candidates/me/consents", Some(&session.access_token), json!({"purpose": "cross_border_sharing", "to_jurisdiction": "CN"})).await;
            assert_eq!(consent.status, StatusCode::CREATED, "{}", consent.body);
            let applied = app.post(&format!("/api/v1/jobs/{job}/applications"), Some(&session.access_token), json!({})).await;
            assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
            applications.push(applied.body["id"].as_str().unwrap().to_owned());
            candidate_ids.push(id);
        }
        let (gone, _) = candidate(&app, "HK").await;
        let erased = app.call(Method::DELETE, "/api/v1/candidates/me", Some(&gone.access_token), None).await;
        assert!(erased.status.is_success(), "{}", erased.body);
        for step in ["screening", "interview", "offer"] {
            let moved = patch(&app, &format!("/api/v1/applications/{}", applications[0]), &cn_owner, json!({"status": step})).await;
            assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        }

        // A case from the offer: the direction and the job come from the application.
        let from_offer = app.post("/api/v1/cases", Some(&officer.access_token), json!({"candidate_id": candidate_ids[0], "application_id": applications[0]})).await;
        assert_eq!(from_offer.status, StatusCode::CREATED, "{}", from_offer.body);
        assert_eq!(from_offer.body["direction"], "HK_TO_CN");
        assert_eq!(from_offer.body["job_id"], job.as_str());
        assert_eq!(from_offer.body["application_id"], applications[0].as_str());
        // An application short of an offer fills nothing: the direction must be given.
        let short = app.post("/api/v1/cases", Some(&officer.access_token), json!({"candidate_id": candidate_ids[1], "application_id": applications[1]})).await;
        short.problem(422);
        assert_eq!(short.error_fields(), ["direction"]);
        let not_theirs = app.post("/api/v1/cases", Some(&officer.access_token), json!({"candidate_id": candidate_ids[1], "application_id": applications[0], "direction": "HK_TO_CN"})).await;
        assert_eq!(not_theirs.error_fields(), ["application_id"]);
        let offer_id = from_offer.body["id"].as_str().unwrap();
        for step in ["in_progress", "resolved"] {
            assert_eq!(set_status(&app, &officer, offer_id, step).await.status, StatusCode::OK);
        }
        let second = open_case(&app, &officer, &candidate_ids[1], "HK_TO_CN").await;
        let permit = task_id(&second, "accommodation_registration");
        let second_id = second["id"].as_str().unwrap();
        patch(&app, &format!("/api/v1/cases/{second_id}/tasks/{permit}"), &officer, json!({"due_on": (today() - Duration::days(1)).to_string()})).await;
        open_case(&app, &officer, &candidate_ids[1], "CN_TO_HK").await;

        let overview = app.get("/api/v1/analytics/overview", Some(&officer.access_token)).await;
        assert_eq!(overview.status, StatusCode::OK, "{}", overview.body);
        let o = &overview.body;
        assert_eq!(o["candidates"], 2, "{o}");
        assert_eq!(o["employers"], 2);
        assert_eq!(o["verified_employers"], 1);
        assert_eq!(o["open_jobs"], 1);
        assert_eq!(o["applications_by_status"], json!({"submitted": 1, "screening": 0, "interview": 0, "offer": 1, "hired": 0, "rejected": 0, "withdrawn": 0}));
        assert_eq!(o["cases_by_status"], json!({"open": 2, "in_progress": 0, "waiting_on_candidate": 0, "resolved": 1, "closed": 0}));
        assert_eq!(o["cases_by_direction"], json!({"HK_TO_CN": 2, "CN_TO_HK": 1}));
        assert_eq!(o["median_days_to_resolve"], 0.0);
        assert_eq!(o["overdue_tasks"], 1);

        app.get("/api/v1/analytics/overview", Some(&cn_owner.access_token)).await.problem(403);
        app.get("/api/v1/analytics/overview", None).await.problem(401);
    }
}

on_both_backends! {
    async fn a_case_from_an_offer_starts_from_the_candidates_situation(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let job_id = open_job(&app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
        let (shenzhen, candidate_id) = candidate(&app, "CN").await;
        let token = Some(shenzhen.access_token.as_str());
        let credential = app.post("/api/v1/candidates/me/credentials", token, json!({"qualification_id": "cn-bachelor-engineering"})).await;
        assert_eq!(credential.status, StatusCode::CREATED, "{}", credential.body);
        app.post("/api/v1/candidates/me/consents", token, json!({"purpose": "cross_border_sharing", "to_jurisdiction": "HK"})).await;
        let applied = app.post(&format!("/api/v1/jobs/{job_id}/applications"), token, json!({})).await;
        let application_id = applied.body["id"].as_str().unwrap().to_owned();
        for status in ["screening", "interview", "offer"] {
            let moved = patch(&app, &format!("/api/v1/applications/{application_id}"), &owner, json!({"status": status})).await;
            assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        }

        let opened = app.post("/api/v1/cases", Some(&officer.access_token),
                              json!({"candidate_id": candidate_id, "application_id": application_id})).await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        let case = &opened.body;
        assert_eq!((case["direction"].as_str(), case["job_id"].as_str()), (Some("CN_TO_HK"), Some(job_id.as_str())));
        // The job sponsors and the candidate holds no Hong Kong authorisation: the employer's
        // route, its steps in the checklist.
        assert_eq!(case["route"], "HK_ASMTP", "{case}");
        assert!(case["tasks"].as_array().unwrap().iter().any(|t| t["route"] == "HK_ASMTP" && t["category"] == "permit"), "{case}");
        // The registry's resolution of the degree into Hong Kong, with the rule it used.
        let recognition = task(case, "credential_recognition")["note"].as_str().unwrap().to_owned();
        assert!(recognition.contains("Registry resolution into HK"), "{recognition}");
        assert!(recognition.contains("comparable") || recognition.contains("equivalent"), "{recognition}");

        // A Hong Kong permanent resident moving back needs no permit route.
        let (returning, returning_id) = candidate(&app, "CN").await;
        let held = app.post("/api/v1/candidates/me/work-authorizations", Some(&returning.access_token),
                            json!({"jurisdiction": "HK", "basis": "HK_PR"})).await;
        assert_eq!(held.status, StatusCode::CREATED, "{}", held.body);
        let case = open_case(&app, &officer, &returning_id, "CN_TO_HK").await;
        assert_eq!(case["route"], "HK_PR", "{case}");
        assert!(case["tasks"].as_array().unwrap().iter().all(|t| t["route"].is_null()), "nothing to apply for: {case}");
        assert_eq!(task(&case, "credential_recognition")["note"], Value::Null, "no credentials on file");
    }
}
