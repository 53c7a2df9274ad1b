//! The pages where a person opens an account and a job seeker keeps their profile, their
//! qualifications and their rights to work (see browser.rs).

use reqwest::StatusCode;
use serde_json::json;

use crate::browser::Browser;
use crate::fixtures::{HK_NUMBER, candidate, employer};
use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

on_both_backends! {
    async fn an_account_is_opened_on_the_page_and_verified_from_the_email(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let email = format!("page-{}@example.com", uuid::Uuid::new_v4().simple());
        let mut browser = Browser::speaking(&app, "zh-HK");
        let form = browser.get("/sign-up").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.contains("註冊帳戶"), "the page speaks the browser's language");

        let bad = browser
            .submit("/sign-up", &[("role", "admin"), ("display_name", "陳大文"), ("email", "not-an-email"), ("password", "short")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["role", "email", "password"] {
            assert!(bad.contains(&format!("id=\"{field}-error\"")), "a problem beside {field}: {}", bad.html);
        }
        assert!(bad.contains("至少需要 12 個字元"), "the service's refusal in the page's language: {}", bad.html);
        assert!(!bad.contains("must be at least"), "no English left beside the field");
        assert!(bad.contains("value=\"陳大文\""), "the name is kept");
        assert!(!bad.contains("value=\"short\""), "a password is never sent back");
        app.assert_no_mail(&email).await;

        let sent = browser
            .submit("/sign-up", &[("role", "candidate"), ("display_name", "陳大文"), ("email", &email), ("password", PASSWORD)])
            .await;
        assert_eq!(sent.status, StatusCode::OK);
        assert!(sent.contains(&email) && sent.contains("role=\"status\""), "{}", sent.html);
        let mail = app.wait_for_mail(&email, 1).await.remove(0);
        assert!(mail.link().contains("/verify-email?token="), "{}", mail.link());
        assert_eq!(app.login(&email, PASSWORD).await.status, StatusCode::UNAUTHORIZED, "not verified yet");
        browser.get(&format!("/verify-email?token={}", mail.token())).await;
        let verified = browser.submit("/verify-email", &[("token", &mail.token())]).await;
        assert_eq!(verified.status, StatusCode::OK, "{}", verified.html);
        let signed_in = app.sign_in(&email, PASSWORD).await;
        let me = app.me(&signed_in.access_token).await;
        assert_eq!(me.body["role"], "candidate");
        assert_eq!(me.body["display_name"], "陳大文");
        assert_eq!(me.body["locale"], "zh-Hant", "emails follow the page's language");

        // The same address again: the same answer, and the email says the account exists.
        browser.get("/sign-up").await;
        let again = browser
            .submit("/sign-up", &[("role", "employer"), ("display_name", "Someone"), ("email", &email), ("password", PASSWORD)])
            .await;
        assert_eq!(again.status, StatusCode::OK, "nobody learns who is registered");
        assert_eq!(app.wait_for_mail(&email, 2).await.len(), 2);
        assert_eq!(app.me(&signed_in.access_token).await.body["role"], "candidate", "the account is unchanged");
    }
}

on_both_backends! {
    async fn a_seeker_creates_and_edits_the_profile_on_the_page(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let seeker = app.sign_up_as("candidate", &format!("p-{}@example.com", uuid::Uuid::new_v4().simple()), "Lee Ka Yan").await;
        let mut browser = Browser::new(&app);
        browser.sign_in(&seeker.email, PASSWORD).await;
        let me = browser.get("/me").await;
        assert!(me.contains("href=\"/me/profile\""), "my page leads to the profile form");
        let form = browser.get("/me/profile").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.contains("Create my profile") && form.contains("value=\"Lee Ka Yan\""), "{}", form.html);

        let bad = browser
            .submit("/me/profile", &[
                ("display_name", "Lee Ka Yan"), ("headline", "Chip designer"), ("residence_jurisdiction", "HK"),
                ("location_id", "cn-sz-futian"), ("nationality", "HK"), ("dependent_children", "two"),
                ("language_1", "yue"), ("language_1_level", "5"),
                ("skill_1", "no such skill at all"), ("skill_1_id", ""), ("skill_1_level", "3"), ("skill_1_years", "2"),
                ("salary_amount", "lots"), ("salary_currency", "HKD"), ("salary_period", "month"), ("visibility", "employers"),
            ])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["location_id", "nationality", "dependent_children", "skill_1", "salary_amount"] {
            assert!(bad.contains(&format!("id=\"{field}-error\"")), "a problem beside {field}: {}", bad.html);
        }
        assert!(bad.contains("value=\"Chip designer\"") && bad.contains("value=\"no such skill at all\""), "what was typed is kept");
        assert_eq!(app.get("/api/v1/candidates/me", Some(&seeker.access_token)).await.status, StatusCode::NOT_FOUND, "nothing saved");

        // Without the script, a skill is named in any script and found in the registry.
        let saved = browser
            .submit("/me/profile", &[
                ("display_name", "Lee Ka Yan"), ("headline", "Chip designer"), ("summary", "Ten years of layout."),
                ("residence_jurisdiction", "HK"), ("location_id", ""), ("nationality", "cn"), ("dependent_children", "1"),
                ("language_1", "yue"), ("language_1_level", "5"), ("language_2", "cmn"), ("language_2_level", "4"),
                ("language_3", ""), ("language_3_level", "3"),
                ("skill_1", "集成電路設計"), ("skill_1_id", ""), ("skill_1_level", "4"), ("skill_1_years", "10"),
                ("skill_2", ""), ("skill_2_id", ""), ("skill_2_level", "3"), ("skill_2_years", "0"),
                ("desired_jurisdictions", "CN"), ("desired_jurisdictions", "HK"),
                ("desired_location_ids", "cn-sz-futian"), ("desired_location_ids", "cn-sz-luohu"),
                ("salary_amount", "45,000"), ("salary_currency", "HKD"), ("salary_period", "month"), ("visibility", "employers"),
            ])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
        assert_eq!(saved.location.as_deref(), Some("/me?saved=profile"));
        let profile = app.get("/api/v1/candidates/me", Some(&seeker.access_token)).await.body;
        assert_eq!(profile["headline"], "Chip designer");
        assert_eq!(profile["nationality"], "CN");
        assert_eq!(profile["dependent_children"], 1);
        assert_eq!(profile["skills"][0]["skill_id"], "integrated-circuit-design");
        assert_eq!(profile["skills"][0]["years"], 10);
        assert_eq!(profile["languages"], json!([{"code": "cmn", "level": 4}, {"code": "yue", "level": 5}]));
        assert_eq!(profile["desired_jurisdictions"], json!(["CN", "HK"]));
        assert_eq!(profile["desired_location_ids"], json!(["cn-sz-futian", "cn-sz-luohu"]));
        assert_eq!(profile["salary_expectation"], json!({"amount": 45000, "currency": "HKD", "period": "month"}));
        assert!(browser.get("/me?saved=profile").await.contains("Your profile is saved."));

        // The form comes back filled; emptying a skill's row removes the skill.
        let edit = browser.get("/me/profile").await;
        assert!(edit.contains("Edit my profile") && edit.contains("value=\"Integrated circuit design\""), "{}", edit.html);
        let changed = browser
            .submit("/me/profile", &[
                ("display_name", "Lee Ka Yan"), ("headline", "Senior chip designer"), ("residence_jurisdiction", "HK"),
                ("skill_1", ""), ("skill_1_id", "integrated-circuit-design"), ("skill_1_level", "4"), ("skill_1_years", "10"),
                ("salary_amount", ""), ("salary_currency", "HKD"), ("salary_period", "month"), ("visibility", "private"),
            ])
            .await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.html);
        let profile = app.get("/api/v1/candidates/me", Some(&seeker.access_token)).await.body;
        assert_eq!(profile["headline"], "Senior chip designer");
        assert_eq!(profile["skills"], json!([]));
        assert_eq!(profile["salary_expectation"], serde_json::Value::Null);
        assert_eq!(profile["visibility"], "private");
    }
}

on_both_backends! {
    async fn a_seeker_adds_and_removes_qualifications_and_rights_to_work(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let newcomer = app.sign_up("candidate").await;
        let mut browser = Browser::new(&app);
        browser.sign_in(&newcomer.email, PASSWORD).await;
        let empty = browser.get("/me/credentials").await;
        assert!(empty.contains("href=\"/me/profile\""), "without a profile, the page asks for one first");

        let (seeker, _) = candidate(&app, "CN").await;
        let mut browser = Browser::new(&app);
        browser.sign_in(&seeker.email, PASSWORD).await;
        browser.get("/me/credentials").await;
        let bad = browser.submit("/me/credentials", &[("qualification_id", ""), ("awarded_on", "01/07/2019")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.contains("id=\"awarded_on-error\"") && bad.contains("value=\"01/07/2019\""), "{}", bad.html);
        let added = browser.submit("/me/credentials", &[("qualification_id", "hk-higher-diploma"), ("awarded_on", "2019-07-01")]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);

        let no_date = browser.submit("/me/work-authorizations", &[("basis", "HK|HK_GEP"), ("valid_until", "")]).await;
        assert_eq!(no_date.status, StatusCode::UNPROCESSABLE_ENTITY, "a time-limited visa needs its end date");
        assert!(no_date.contains("id=\"valid_until-error\""), "{}", no_date.html);
        let wrong_side = browser.submit("/me/work-authorizations", &[("basis", "CN|HK_GEP"), ("valid_until", "2030-01-01")]).await;
        assert!(wrong_side.contains("id=\"basis-error\""), "{}", wrong_side.html);
        let permit = browser.submit("/me/work-authorizations", &[("basis", "HK|HK_GEP"), ("valid_until", "2030-01-01")]).await;
        assert_eq!(permit.status, StatusCode::SEE_OTHER, "{}", permit.html);

        let listed = browser.get("/me/credentials").await;
        assert!(listed.contains("badge warn\">Awaiting the agency"), "{}", listed.html);
        assert!(listed.contains("General Employment Policy (GEP)") && listed.contains("2030-01-01"));
        let credentials = app.get("/api/v1/candidates/me/credentials", Some(&seeker.access_token)).await.body;
        let credential_id = credentials["items"][0]["id"].as_str().unwrap_or_else(|| panic!("{credentials}")).to_owned();
        let permits = app.get("/api/v1/candidates/me/work-authorizations", Some(&seeker.access_token)).await.body;
        assert_eq!(permits["items"][0]["basis"], "HK_GEP", "{permits}");

        // Another seeker cannot remove it: not found, and it stays.
        let (other, _) = candidate(&app, "HK").await;
        let mut intruder = Browser::new(&app);
        intruder.sign_in(&other.email, PASSWORD).await;
        intruder.get("/me/credentials").await;
        let refused = intruder.submit(&format!("/me/credentials/{credential_id}/remove"), &[]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        let still = app.get("/api/v1/candidates/me/credentials", Some(&seeker.access_token)).await.body;
        assert_eq!(still["items"].as_array().map(Vec::len), Some(1));

        let removed = browser.submit(&format!("/me/credentials/{credential_id}/remove"), &[]).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        let gone = app.get("/api/v1/candidates/me/credentials", Some(&seeker.access_token)).await.body;
        assert_eq!(gone["items"].as_array().map(Vec::len), Some(0));
    }
}

on_both_backends! {
    async fn only_a_job_seeker_keeps_a_profile_on_the_pages(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (owner, _) = employer(&app, "HK", HK_NUMBER).await;
        let mut browser = Browser::new(&app);
        browser.sign_in(&owner.email, PASSWORD).await;
        assert_eq!(browser.get("/me/profile").await.status, StatusCode::FORBIDDEN);
        assert_eq!(browser.get("/me/credentials").await.status, StatusCode::FORBIDDEN);
        let mut speaking = Browser::speaking(&app, "zh-CN");
        speaking.sign_in(&owner.email, PASSWORD).await;
        let refused = speaking.get("/me/profile").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.contains("您的账户角色不能进行此操作"), "the refusal in Simplified Chinese: {}", refused.html);
        browser.get("/jobs").await;
        let posted = browser.submit("/me/profile", &[("display_name", "Employer"), ("residence_jurisdiction", "HK"), ("visibility", "private")]).await;
        assert_eq!(posted.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/api/v1/candidates/me", Some(&owner.access_token)).await.status, StatusCode::FORBIDDEN);

        let mut visitor = Browser::new(&app);
        let sent = visitor.get("/me/profile").await;
        assert_eq!(sent.location.as_deref(), Some("/sign-in?next=%2Fme%2Fprofile"));
    }
}
