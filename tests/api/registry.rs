//! The cross-border registry through HTTP: reference data, cross-script skill autocomplete,
//! qualifications, equivalence rules with their validation and audit trail, and resolution in
//! every branch.

use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use talentbridge::db::schema::{registry_version, skills};

use crate::helpers::{Answer, Session, TestApp};
use crate::on_both_backends;

async fn get_as(app: &TestApp, path: &str, session: &Session, language: &str) -> Answer {
    let response = app
        .client
        .get(app.url(path))
        .bearer_auth(&session.access_token)
        .header("accept-language", language)
        .send()
        .await
        .unwrap();
    crate::helpers::answer(response).await
}

fn ids(answer: &Answer) -> Vec<String> {
    answer.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn officer(app: &TestApp) -> Session {
    let admin = app.admin().await;
    let email = format!("officer-{}@example.com", uuid::Uuid::new_v4().simple());
    let body = json!({"email": email, "password": crate::helpers::PASSWORD, "role": "agency_officer", "display_name": "Officer"});
    assert_eq!(
        app.create_staff(&admin.access_token, body).await.status,
        StatusCode::CREATED
    );
    app.sign_in(&email, crate::helpers::PASSWORD).await
}

on_both_backends! {
    async fn reference_data_is_there_for_every_signed_in_role(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let sessions = [app.sign_up("candidate").await, app.sign_up("employer").await, officer(&app).await, app.admin().await];
        for session in &sessions {
            let jurisdictions = app.get("/api/v1/jurisdictions", Some(&session.access_token)).await;
            assert_eq!(jurisdictions.status, StatusCode::OK, "{}", jurisdictions.body);
            let codes: Vec<&str> = jurisdictions.body["items"].as_array().unwrap().iter().map(|j| j["code"].as_str().unwrap()).collect();
            assert_eq!(codes, vec!["CN", "HK"]);
        }
        let candidate = &sessions[0];
        let cn = get_as(&app, "/api/v1/locations?jurisdiction=CN", candidate, "zh-CN").await;
        let names: Vec<&str> = cn.body["items"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap()).collect();
        assert!(names.iter().any(|n| n.contains("前海")), "{names:?}");
        assert!(names.contains(&"福田区"), "{names:?}");
        let hk = app.get("/api/v1/locations?jurisdiction=HK", Some(&candidate.access_token)).await;
        assert!(hk.body["items"].as_array().unwrap().iter().any(|l| l["names"]["en"].as_str().unwrap().contains("Northern Metropolis")));
        assert!(hk.body["items"].as_array().unwrap().iter().all(|l| l["jurisdiction"] == "HK"));

        let bases = app.get("/api/v1/work-authorization-bases?jurisdiction=HK", Some(&candidate.access_token)).await;
        let codes: Vec<&str> = bases.body["items"].as_array().unwrap().iter().map(|b| b["code"].as_str().unwrap()).collect();
        for code in ["HK_PR", "HK_ASMTP", "HK_TTPS", "HK_IANG"] {
            assert!(codes.contains(&code), "{codes:?}");
        }
        let cn_bases = app.get("/api/v1/work-authorization-bases?jurisdiction=CN", Some(&candidate.access_token)).await;
        let non_chinese = cn_bases.body["items"].as_array().unwrap().iter().find(|b| b["code"] == "CN_HK_NONCHINESE").unwrap();
        assert_eq!(non_chinese["authorizes_work"], false);

        // A filter naming no jurisdiction is a mistake, said by field, not an empty list.
        for (path, field) in [
            ("/api/v1/locations?jurisdiction=XX", "jurisdiction"),
            ("/api/v1/qualifications?jurisdiction=hk", "jurisdiction"),
            ("/api/v1/work-authorization-bases?jurisdiction=MO", "jurisdiction"),
            ("/api/v1/equivalences?to_jurisdiction=ZZ", "to_jurisdiction"),
        ] {
            let refused = app.get(path, Some(&candidate.access_token)).await;
            refused.problem(422);
            assert_eq!(refused.error_fields(), [field], "{path}: {}", refused.body);
        }

        let qualifications = app.get("/api/v1/qualifications?jurisdiction=HK&limit=100", Some(&candidate.access_token)).await;
        assert!(ids(&qualifications).contains(&"hk-solicitor".to_owned()));
        assert!(qualifications.body["total"].as_i64().unwrap() >= 20);
        let equivalences = app.get("/api/v1/equivalences?limit=100", Some(&candidate.access_token)).await;
        assert!(equivalences.body["total"].as_i64().unwrap() >= 20, "{}", equivalences.body);
        for rule in equivalences.body["items"].as_array().unwrap() {
            assert!(rule["authority"].as_str().is_some_and(|a| !a.is_empty()), "{rule}");
        }

        for path in ["/api/v1/jurisdictions", "/api/v1/skills?q=data", "/api/v1/equivalences", "/api/v1/locations"] {
            app.get(path, None).await.problem(401);
        }
    }
}

on_both_backends! {
    async fn skill_autocomplete_matches_any_script_and_answers_in_the_callers_language(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let user = app.sign_up("candidate").await;
        let skills = app.get("/api/v1/skills?limit=50", Some(&user.access_token)).await;
        assert!(skills.body["total"].as_i64().unwrap() >= 300, "{}", skills.body["total"]);

        for (query, expected) in [("SOFTWARE ENG", "software-engineering"), ("softw", "software-testing"), ("软件工程", "software-engineering"), ("軟件工程", "software-engineering"),
                                  ("軟體工程", "software-engineering"), ("數據分析", "data-analysis"), ("数据分析", "data-analysis"),
                                  ("資料分析", "data-analysis"), ("data analy", "data-analysis")] {
            let path = format!("/api/v1/skills?q={}", urlencode(query));
            let found = app.get(&path, Some(&user.access_token)).await;
            assert_eq!(found.status, StatusCode::OK);
            assert_eq!(ids(&found).first().map(String::as_str), Some(expected), "query {query}: {}", found.body);
        }

        let hant = get_as(&app, "/api/v1/skills?q=software%20engineering", &user, "zh-HK").await;
        assert_eq!(hant.body["items"][0]["label"], "軟件工程");
        let hans = get_as(&app, "/api/v1/skills?q=software%20engineering", &user, "zh-CN,zh;q=0.9").await;
        assert_eq!(hans.body["items"][0]["label"], "软件工程");
        let en = get_as(&app, "/api/v1/skills?q=软件工程", &user, "en").await;
        assert_eq!(en.body["items"][0]["label"], "Software engineering");
        assert_eq!(en.body["items"][0]["labels"]["zh-Hant"], "軟件工程");

        let nothing = app.get("/api/v1/skills?q=zzzzqqq", Some(&user.access_token)).await;
        assert_eq!(nothing.body["total"], 0);
        let capped = app.get("/api/v1/skills?q=a&limit=500", Some(&user.access_token)).await;
        assert_eq!(capped.body["items"].as_array().unwrap().len(), 50);
        app.get("/api/v1/skills?limit=-1", Some(&user.access_token)).await.problem(400);
        app.get("/api/v1/skills?bogus=1", Some(&user.access_token)).await.problem(400);
    }
}

on_both_backends! {
    async fn a_skill_labelled_in_one_script_is_found_from_the_other(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let user = app.sign_up("employer").await;
        // Skills labelled in one Chinese script only, as another node might add them: written to
        // the database directly; the registry version tells every node to reload.
        let db = app.db().await;
        db.write(|conn| {
            diesel::insert_into(skills::table)
                .values((skills::id.eq("only-simplified"), skills::category_id.eq("software-ai"), skills::label_en.eq("Widget tuning"),
                         skills::label_zh_hans.eq("量子部件调校"), skills::label_zh_hant.eq(""), skills::aliases.eq("[]")))
                .execute(conn)?;
            diesel::insert_into(skills::table)
                .values((skills::id.eq("only-traditional"), skills::category_id.eq("software-ai"), skills::label_en.eq("Gadget repair"),
                         skills::label_zh_hans.eq(""), skills::label_zh_hant.eq("量子儀器維修"), skills::aliases.eq("[]")))
                .execute(conn)?;
            diesel::update(registry_version::table).set(registry_version::version.eq(registry_version::version + 1)).execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();

        let traditional_query = format!("/api/v1/skills?q={}", urlencode("量子部件調校"));
        let found = eventually(&app, &user, &traditional_query, |a| a.body["total"] == 1).await;
        assert_eq!(ids(&found), vec!["only-simplified"]);
        let simplified_query = format!("/api/v1/skills?q={}", urlencode("量子仪器维修"));
        let found = app.get(&simplified_query, Some(&user.access_token)).await;
        assert_eq!(ids(&found), vec!["only-traditional"]);
    }
}

on_both_backends! {
    async fn agency_staff_add_qualifications_and_others_cannot(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let candidate = app.sign_up("candidate").await;
        let employer = app.sign_up("employer").await;
        let body = json!({"jurisdiction": "HK", "level": "hkqf-6", "kind": "academic",
                          "title": {"en": "Master of Fintech", "zh-Hans": "金融科技硕士"},
                          "awarding_body": {"en": "A Hong Kong university"}});
        for outsider in [&candidate, &employer] {
            app.post("/api/v1/qualifications", Some(&outsider.access_token), body.clone()).await.problem(403);
        }
        let before = app.get("/api/v1/qualifications?limit=1", Some(&candidate.access_token)).await.body["total"].clone();

        let invalid = [
            (json!({"jurisdiction": "MO", "kind": "academic", "title": {"en": "X"}, "awarding_body": {"en": "Y"}}), vec!["jurisdiction"]),
            (json!({"jurisdiction": "HK", "level": "cn-academic-master", "kind": "academic", "title": {"en": "X"}, "awarding_body": {"en": "Y"}}), vec!["level"]),
            (json!({"jurisdiction": "HK", "level": "hkqf-99", "kind": "academic", "title": {"en": " "}, "awarding_body": {"en": "Y"}}), vec!["level", "title.en"]),
        ];
        for (invalid_body, fields) in invalid {
            let answer = app.post("/api/v1/qualifications", Some(&officer.access_token), invalid_body).await;
            answer.problem(422);
            assert_eq!(answer.error_fields(), fields);
        }
        let wrong_kind = json!({"jurisdiction": "HK", "kind": "honorary", "title": {"en": "X"}, "awarding_body": {"en": "Y"}});
        let answer = app.post("/api/v1/qualifications", Some(&officer.access_token), wrong_kind).await;
        answer.problem(400);
        assert_eq!(answer.error_fields(), vec!["kind"]);
        let after = app.get("/api/v1/qualifications?limit=1", Some(&candidate.access_token)).await.body["total"].clone();
        assert_eq!(before, after, "nothing written");

        let created = app.post("/api/v1/qualifications", Some(&officer.access_token), body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["framework"], "HKQF");
        assert_eq!(created.body["title"]["zh-Hant"], "金融科技碩士", "the missing script is converted");
        let id = created.body["id"].as_str().unwrap();
        let read = app.get(&format!("/api/v1/qualifications/{id}"), Some(&employer.access_token)).await;
        assert_eq!(read.body["level"], "hkqf-6");
        app.get("/api/v1/qualifications/no-such-id", Some(&employer.access_token)).await.problem(404);
    }
}

async fn create_rule(app: &TestApp, session: &Session, body: Value) -> Answer {
    app.post("/api/v1/equivalences", Some(&session.access_token), body)
        .await
}

fn audit_path(id: &str) -> String {
    format!("/api/v1/audit?target_type=equivalence&target_id={id}")
}

on_both_backends! {
    async fn equivalence_rules_are_validated_audited_and_kept(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let admin = app.admin().await;
        let candidate = app.sign_up("candidate").await;
        let employer = app.sign_up("employer").await;
        let rule = json!({"from_qualification_id": "hk-bachelor-science", "to_qualification_id": "cn-bachelor-science",
                          "relation": "comparable", "authority": "Test authority", "source": "test",
                          "conditions": {"en": "Degree from a listed institution", "zh-Hans": "须为名单所列院校颁授的学位"},
                          "effective_from": "2024-01-01"});
        for outsider in [&candidate, &employer] {
            create_rule(&app, outsider, rule.clone()).await.problem(403);
        }
        let rules_before = app.get("/api/v1/equivalences?status=all&limit=1", Some(&admin.access_token)).await.body["total"].clone();

        let invalid = [
            (json!({"from_qualification_id": "nope", "to_qualification_id": "cn-bachelor-science", "relation": "comparable", "authority": "A"}), vec!["from_qualification_id"]),
            (json!({"from_qualification_id": "hk-bachelor-science", "to_qualification_id": "hk-master-science", "relation": "comparable", "authority": "A"}), vec!["to_jurisdiction"]),
            (json!({"from_qualification_id": "hk-bachelor-science", "to_level": "cn-academic-bachelor", "to_jurisdiction": "HK", "relation": "comparable", "authority": "A"}), vec!["to_level", "to_jurisdiction"]),
            (json!({"from_qualification_id": "hk-bachelor-science", "to_qualification_id": "cn-master", "relation": "partial", "authority": "",
                    "effective_from": "2025-01-01", "effective_to": "2024-01-01"}), vec!["authority", "effective_to"]),
            (json!({"from_qualification_id": "hk-bachelor-science", "relation": "partial", "authority": "A"}), vec!["to_jurisdiction"]),
        ];
        for (body, fields) in invalid {
            let answer = create_rule(&app, &officer, body.clone()).await;
            answer.problem(422);
            assert_eq!(answer.error_fields(), fields, "for {body}");
        }
        let bad_relation = json!({"from_qualification_id": "hk-bachelor-science", "to_qualification_id": "cn-master", "relation": "same", "authority": "A"});
        create_rule(&app, &officer, bad_relation).await.problem(400);
        let bad_date = json!({"from_qualification_id": "hk-bachelor-science", "to_qualification_id": "cn-master", "relation": "partial", "authority": "A", "effective_from": "someday"});
        assert_eq!(create_rule(&app, &officer, bad_date).await.error_fields(), vec!["effective_from"]);

        let created = create_rule(&app, &officer, rule.clone()).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["to_jurisdiction"], "CN", "implied by the target");
        assert_eq!(created.body["status"], "active");
        let id = created.body["id"].as_str().unwrap().to_owned();

        // A second rule for the same pair over an overlapping period is a conflict.
        create_rule(&app, &officer, rule.clone()).await.problem(409);
        let mut later = rule.clone();
        later["effective_from"] = json!("2030-01-01");
        create_rule(&app, &officer, later).await.problem(409);
        let rules_after = app.get("/api/v1/equivalences?status=all&limit=1", Some(&admin.access_token)).await.body["total"].clone();
        assert_eq!(rules_after.as_i64().unwrap(), rules_before.as_i64().unwrap() + 1, "only the valid rule was written");

        // Update: only staff; validated; audited with before and after.
        let path = format!("/api/v1/equivalences/{id}");
        let patch = json!({"relation": "partial", "conditions": null});
        app.call(Method::PATCH, &path, Some(&employer.access_token), Some(patch.clone())).await.problem(403);
        app.call(Method::PATCH, &path, Some(&officer.access_token), Some(json!({"effective_to": "2000-01-01"}))).await.problem(422);
        app.call(Method::PATCH, &path, Some(&officer.access_token), Some(json!({"from_qualification_id": "x"}))).await.problem(400);
        app.call(Method::PATCH, "/api/v1/equivalences/missing", Some(&officer.access_token), Some(patch.clone())).await.problem(404);
        let updated = app.call(Method::PATCH, &path, Some(&officer.access_token), Some(patch)).await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        assert_eq!(updated.body["relation"], "partial");
        assert!(updated.body["conditions"].is_null());

        // Retire: kept, no longer active, history in the audit log.
        app.call(Method::DELETE, &path, Some(&candidate.access_token), None).await.problem(403);
        assert_eq!(app.call(Method::DELETE, &path, Some(&officer.access_token), None).await.status, StatusCode::NO_CONTENT);
        let retired = app.get(&path, Some(&candidate.access_token)).await;
        assert_eq!(retired.body["status"], "retired");
        assert!(retired.body["effective_to"].is_string());
        let active = app.get("/api/v1/equivalences?from_qualification_id=hk-bachelor-science", Some(&candidate.access_token)).await;
        assert!(!ids(&active).contains(&id));

        app.get(&audit_path(&id), Some(&officer.access_token)).await.problem(403);
        let trail = app.get(&audit_path(&id), Some(&admin.access_token)).await;
        assert_eq!(trail.status, StatusCode::OK, "{}", trail.body);
        let entries = trail.body["items"].as_array().unwrap();
        let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, vec!["retire", "update", "create"], "newest first");
        for entry in entries {
            assert_eq!(entry["actor_id"], officer.user_id.as_str());
            assert_eq!(entry["target_type"], "equivalence");
            assert!(entry["request_id"].is_string());
        }
        let update = &entries[1];
        let before: Value = serde_json::from_str(update["before"].as_str().unwrap()).unwrap();
        let after: Value = serde_json::from_str(update["after"].as_str().unwrap()).unwrap();
        assert_eq!(before["relation"], "comparable");
        assert_eq!(after["relation"], "partial");
        assert_eq!(before["conditions"]["en"], "Degree from a listed institution");
        assert!(entries[2]["before"].is_null());
        let by_actor = app.get(&format!("/api/v1/audit?actor_id={}", officer.user_id), Some(&admin.access_token)).await;
        assert_eq!(by_actor.body["total"], 3);
    }
}

async fn resolve_as(
    app: &TestApp,
    session: &Session,
    qualification: &str,
    to: &str,
    language: &str,
) -> Answer {
    get_as(
        app,
        &format!("/api/v1/equivalences/resolve?qualification_id={qualification}&to_jurisdiction={to}"),
        session,
        language,
    )
    .await
}

on_both_backends! {
    async fn resolution_answers_in_every_branch(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let user = app.sign_up("candidate").await;

        // Direct rule shipped with the service (2004 degree MoU).
        let direct = resolve_as(&app, &user, "hk-bachelor-engineering", "CN", "en").await;
        assert_eq!(direct.status, StatusCode::OK, "{}", direct.body);
        assert_eq!(direct.body["outcome"], "comparable");
        assert_eq!(direct.body["via"], "direct");
        assert_eq!(direct.body["equivalence_id"], "mou2004-hk-bachelor-engineering-to-cn-academic-bachelor");
        assert_eq!(direct.body["to_level"], "cn-academic-bachelor");
        assert!(direct.body["explanation"].as_str().unwrap().contains("mou2004-hk-bachelor-engineering-to-cn-academic-bachelor"));

        // Partial, with conditions, in the caller's language.
        let partial = resolve_as(&app, &user, "hk-certified-tax-adviser", "CN", "zh-CN").await;
        assert_eq!(partial.body["outcome"], "partial");
        assert_eq!(partial.body["to_qualification_id"], "cn-tax-adviser");
        let explanation = partial.body["explanation"].as_str().unwrap();
        assert!(explanation.contains("根据规则") && explanation.contains("税务师"), "{explanation}");
        // The GBA lawyers pilot ended on 4 Oct 2026: its rule no longer answers today.
        let ended = resolve_as(&app, &user, "hk-solicitor", "CN", "en").await;
        assert_ne!(ended.body["to_qualification_id"], "cn-lawyer", "{}", ended.body);
        assert!(partial.body["conditions"].as_str().is_some_and(|c| !c.is_ascii()), "{}", partial.body["conditions"]);

        // A qualification with no rule: its framework level answers.
        let new_master = app.post("/api/v1/qualifications", Some(&officer.access_token),
            json!({"jurisdiction": "HK", "level": "hkqf-6", "kind": "academic", "title": {"en": "MSc Quantum"}, "awarding_body": {"en": "U"}})).await;
        let master_id = new_master.body["id"].as_str().unwrap().to_owned();
        let by_level = resolve_as(&app, &user, &master_id, "CN", "en").await;
        assert_eq!(by_level.body["outcome"], "comparable");
        assert_eq!(by_level.body["via"], "framework_level");
        assert_eq!(by_level.body["to_level"], "cn-academic-master");
        assert!(by_level.body["equivalence_id"].is_null());

        // Nothing comparable at HKQF 2.
        let certificate = app.post("/api/v1/qualifications", Some(&officer.access_token),
            json!({"jurisdiction": "HK", "level": "hkqf-2", "kind": "vocational", "title": {"en": "Certificate in Welding"}, "awarding_body": {"en": "VTC"}})).await;
        let none = resolve_as(&app, &user, certificate.body["id"].as_str().unwrap(), "CN", "zh-HK").await;
        assert_eq!(none.body["outcome"], "none");
        assert!(none.body["via"].is_null());
        assert!(none.body["explanation"].as_str().unwrap().contains("登記冊"), "{}", none.body["explanation"]);

        // A rule not yet in force does not apply; once the direct rule is retired, the level answers.
        let future = app.post("/api/v1/equivalences", Some(&officer.access_token),
            json!({"from_qualification_id": master_id, "to_qualification_id": "cn-master", "relation": "equivalent",
                   "authority": "Future accord", "effective_from": "2099-01-01"})).await;
        assert_eq!(future.status, StatusCode::CREATED, "{}", future.body);
        assert_eq!(future.body["status"], "scheduled");
        assert_eq!(resolve_as(&app, &user, &master_id, "CN", "en").await.body["via"], "framework_level");
        let rule_id = "mou2004-hk-bachelor-engineering-to-cn-academic-bachelor";
        let retired = app.call(Method::DELETE, &format!("/api/v1/equivalences/{rule_id}"), Some(&officer.access_token), None).await;
        assert_eq!(retired.status, StatusCode::NO_CONTENT);
        let fallback = resolve_as(&app, &user, "hk-bachelor-engineering", "CN", "en").await;
        assert_eq!(fallback.body["via"], "framework_level");
        assert_eq!(fallback.body["to_level"], "cn-academic-bachelor");

        // At home a qualification counts as itself.
        let home = resolve_as(&app, &user, "cn-lawyer", "CN", "en").await;
        assert_eq!((home.body["outcome"].as_str(), home.body["via"].as_str()), (Some("equivalent"), Some("same_jurisdiction")));

        resolve_as(&app, &user, "no-such-qualification", "CN", "en").await.problem(404);
        let unknown_place = resolve_as(&app, &user, "hk-solicitor", "XX", "en").await;
        unknown_place.problem(422);
        assert_eq!(unknown_place.error_fields(), vec!["to_jurisdiction"]);
        app.get("/api/v1/equivalences/resolve?qualification_id=hk-solicitor", Some(&user.access_token)).await.problem(400);
    }
}

/// Polls `path` until `done` holds (the registry follows database changes within its poll time).
async fn eventually(app: &TestApp, session: &Session, path: &str, done: impl Fn(&Answer) -> bool) -> Answer {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let answer = app.get(path, Some(&session.access_token)).await;
        if done(&answer) {
            return answer;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never happened; last answer {}",
            answer.body
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
