//! Editing an equivalence rule from its page: the stored rule shown, saved as the API's PATCH
//! saves it, mistakes beside their fields with what was typed kept, and only for agency staff.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::browser_for;
use crate::browser::Browser;
use crate::fixtures::{candidate, officer};
use crate::helpers::{Session, TestApp};
use crate::on_both_backends;

/// A rule created through the API: HKDSE counts as the Mainland's senior secondary level.
async fn hkdse_rule(app: &TestApp, officer: &Session, from: &str) -> String {
    let body = json!({
        "from_qualification_id": "hk-hkdse",
        "to_level": "cn-academic-senior-secondary",
        "relation": "comparable",
        "authority": "Test authority",
        "conditions": {"en": "For employment only"},
        "effective_from": from,
    });
    let created = app
        .post("/api/v1/equivalences", Some(&officer.access_token), body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body["id"].as_str().unwrap().to_owned()
}

async fn rule_by_api(app: &TestApp, officer: &Session, id: &str) -> Value {
    let answer = app
        .get(&format!("/api/v1/equivalences/{id}"), Some(&officer.access_token))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

/// The edit form's fields with the values the test gives, the others as the rule has them.
fn fields<'a>(changes: &[(&'a str, &'a str)], from: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("to_jurisdiction", "CN"),
        ("to_qualification_id", ""),
        ("to_level", "cn-academic-senior-secondary"),
        ("relation", "comparable"),
        ("authority", "Test authority"),
        ("source", ""),
        ("effective_from", from),
        ("effective_to", ""),
        ("conditions_en", "For employment only"),
        ("conditions_zh_hans", ""),
        ("conditions_zh_hant", ""),
    ];
    for &(name, value) in changes {
        match fields.iter().position(|field| field.0 == name) {
            Some(at) => fields[at].1 = value,
            None => fields.push((name, value)),
        }
    }
    fields
}

on_both_backends! {
    async fn an_officer_edits_a_rule_and_mistakes_are_shown_beside_their_fields(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        // The registry's day (a rule starts on a UTC day).
        let today = chrono::Utc::now().date_naive().to_string();
        let id = hkdse_rule(&app, &officer, &today).await;
        let path = format!("/agency/equivalences/{id}/edit");
        let mut browser = browser_for(&app, &officer).await;

        let list = browser.get("/agency/equivalences").await;
        assert!(list.contains(&format!("<a href=\"{path}\"")), "each rule links to its edit page");
        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        assert!(page.contains("<h1>Edit the rule</h1>") && page.contains("<h2 id=\"edit-rule-title\">Qualification: HK · "));
        assert!(!page.contains("name=\"from_qualification_id\""), "the source qualification is not asked again");
        assert!(page.contains("<option value=\"comparable\" selected>"));
        assert!(page.contains("<option value=\"cn-academic-senior-secondary\" selected>"));
        assert!(page.contains("<option value=\"CN\" selected>"));
        assert!(page.contains("name=\"authority\" maxlength=\"200\" required value=\"Test authority\""));
        assert!(page.contains(">For employment only</textarea>"));
        assert!(page.contains(&format!("name=\"effective_from\" required value=\"{today}\"")));

        let typed = fields(&[
            ("relation", "equivalent"), ("authority", "  "), ("source", "Kept source"), ("effective_from", ""),
            ("effective_to", "2030-02-30"), ("conditions_en", ""), ("conditions_zh_hans", "只限就业"),
        ], &today);
        let bad = browser.submit(&path, &typed).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
        assert!(bad.contains("<p class=\"error\" id=\"authority-error\">This is required.</p>"), "{}", bad.html);
        assert!(bad.contains("<p class=\"error\" id=\"effective_from-error\">This is required.</p>"));
        assert!(bad.contains("<p class=\"error\" id=\"effective_to-error\">Enter a date as YYYY-MM-DD"));
        assert!(bad.contains("<p class=\"error\" id=\"conditions_en-error\">Give the conditions in English too.</p>"));
        assert!(bad.contains("aria-invalid=\"true\" aria-describedby=\"authority-error\""));
        assert!(!bad.contains("id=\"relation-error\"") && !bad.contains("id=\"source-error\""), "good fields have no problem");
        assert!(bad.contains("value=\"Kept source\"") && bad.contains("value=\"2030-02-30\""), "what was typed is kept");
        assert!(bad.contains("<option value=\"equivalent\" selected>") && bad.contains(">只限就业</textarea>"));
        let stored = rule_by_api(&app, &officer, &id).await;
        assert_eq!((stored["relation"].as_str(), stored["authority"].as_str()), (Some("comparable"), Some("Test authority")), "nothing is saved");

        let backwards = browser.submit(&path, &fields(&[("effective_to", "2001-01-01"), ("source", "Kept too")], &today)).await;
        assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY, "the registry's own rules hold");
        assert!(backwards.contains("<p class=\"error\" id=\"effective_to-error\">Must be after the start date.</p>"), "{}", backwards.html);
        assert!(backwards.contains("value=\"Kept too\""));

        let saved = browser
            .submit(&path, &fields(&[
                ("relation", "equivalent"), ("authority", "Updated authority"), ("source", "Gazette 2026"),
                ("effective_to", "2099-12-31"), ("conditions_en", ""), ("verify_before_use", "on"),
            ], &today))
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
        assert_eq!(saved.location.as_deref(), Some(format!("/agency/equivalences?status=all&done=updated#rule-{id}").as_str()));
        let stored = rule_by_api(&app, &officer, &id).await;
        assert_eq!(stored["relation"], "equivalent");
        assert_eq!(stored["authority"], "Updated authority");
        assert_eq!(stored["source"], "Gazette 2026");
        assert_eq!(stored["effective_to"], "2099-12-31");
        assert_eq!(stored["conditions"], Value::Null, "an emptied field clears it");
        assert_eq!(stored["verify_before_use"], true);
        assert_eq!(stored["from_qualification_id"], "hk-hkdse");
        let list = browser.get("/agency/equivalences?status=all&done=updated").await;
        assert!(list.contains("The rule is saved.") && list.contains("Updated authority"));

        // A later rule for the same pair may not be moved into this one's period.
        let later = hkdse_rule(&app, &officer, "2099-12-31").await;
        let overlap = browser
            .submit(&format!("/agency/equivalences/{later}/edit"), &fields(&[], "2030-01-01"))
            .await;
        assert_eq!(overlap.status, StatusCode::CONFLICT, "{}", overlap.html);
        assert!(overlap.contains("Another rule covers this pair") && overlap.contains("value=\"2030-01-01\""));
        assert_eq!(rule_by_api(&app, &officer, &later).await["effective_from"], "2099-12-31");

        assert_eq!(browser.get("/agency/equivalences/no-such-rule/edit").await.status, StatusCode::NOT_FOUND);
    }
}

on_both_backends! {
    async fn only_agency_staff_may_edit_a_rule(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let id = hkdse_rule(&app, &officer, &chrono::Utc::now().date_naive().to_string()).await;
        let path = format!("/agency/equivalences/{id}/edit");

        let mut visitor = Browser::new(&app);
        let asked = visitor.get(&path).await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER);
        assert_eq!(asked.location, Some(format!("/sign-in?next=%2Fagency%2Fequivalences%2F{id}%2Fedit")));

        let (seeker, _) = candidate(&app, "CN").await;
        let employer = app.sign_up("employer").await;
        for session in [&seeker, &employer] {
            let mut outsider = browser_for(&app, session).await;
            let refused = outsider.get(&path).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN);
            assert!(refused.contains("Not allowed") && !refused.contains("Test authority"));
            let forced = outsider.submit(&path, &fields(&[("authority", "Forged")], "2030-01-01")).await;
            assert_eq!(forced.status, StatusCode::FORBIDDEN, "{}", forced.html);
        }
        assert_eq!(rule_by_api(&app, &officer, &id).await["authority"], "Test authority", "nothing changes");
    }
}
