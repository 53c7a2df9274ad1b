//! An employer's organisations through the pages: registering one, its members and
//! invitations, and what another employer may not touch.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::signed_in;
use crate::browser::{Browser, Seen};
use crate::fixtures::{CN_NUMBER, HK_NUMBER, officer, verified_employer};
use crate::helpers::{PASSWORD, Session, TestApp};
use crate::on_both_backends;

async fn employers_of(app: &TestApp, who: &Session) -> Value {
    let listed = app.get("/api/v1/employers", Some(&who.access_token)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    listed.body
}

async fn members_of(app: &TestApp, owner: &Session, employer_id: &str) -> Vec<String> {
    let listed = app
        .get(
            &format!("/api/v1/employers/{employer_id}/members"),
            Some(&owner.access_token),
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let mut emails: Vec<String> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap().to_owned())
        .collect();
    emails.sort();
    emails
}

async fn invited(app: &TestApp, owner: &Session, employer_id: &str) -> Vec<String> {
    let listed = app
        .get(
            &format!("/api/v1/employers/{employer_id}/invitations"),
            Some(&owner.access_token),
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["email"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_beside(seen: &Seen, field: &str, message: &str) {
    let marker = format!("<p class=\"error\" id=\"{field}-error\">");
    let at = seen
        .html
        .find(&marker)
        .unwrap_or_else(|| panic!("no problem beside {field}: {}", seen.html));
    let beside: String = seen.html[at..].chars().take(300).collect();
    assert!(beside.starts_with(&format!("{marker}{message}")), "{beside}");
    assert!(
        seen.contains(&format!("aria-describedby=\"{field}-error")),
        "{field} is marked invalid"
    );
}

on_both_backends! {
    async fn an_employer_account_registers_its_organisation_from_the_pages(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (_, _) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let newcomer = app.sign_up("employer").await;
        let mut browser = signed_in(&app, &newcomer).await;

        let jobs = browser.get("/employer/jobs").await;
        assert!(jobs.contains("You are not a member of any employer yet"), "{}", jobs.html);
        assert!(jobs.contains("href=\"/employer/organisations/new\""), "a link to register");
        let form = browser.get("/employer/organisations/new").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.html);
        assert!(form.contains("<option value=\"HK\">") && form.contains("<option value=\"CN\">"), "{}", form.html);
        assert!(form.contains("Business registration number"), "the number's format is explained");

        let refused = browser.submit("/employer/organisations/new", &[
            ("name", "  "), ("jurisdiction", "HK"), ("registration_number", "12AB"),
        ]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
        assert_beside(&refused, "name", "is required");
        assert!(refused.contains("id=\"registration_number-error\""), "{}", refused.html);
        assert!(!refused.contains("id=\"jurisdiction-error\""), "no problem where there is none");
        assert!(refused.contains("value=\"12AB\"") && refused.contains("<option value=\"HK\" selected>"), "kept");
        assert_eq!(employers_of(&app, &newcomer).await["total"], 0, "nothing registered");

        // A verified organisation holds the Mainland number: a conflict, said beside the number.
        let taken = browser.submit("/employer/organisations/new", &[
            ("name", "Shenzhen Copy Ltd"), ("jurisdiction", "CN"), ("registration_number", CN_NUMBER),
        ]).await;
        assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.html);
        assert_beside(&taken, "registration_number", "A verified organisation already holds this registration number");
        assert!(taken.contains("value=\"Shenzhen Copy Ltd\""), "what was typed is kept");
        assert_eq!(employers_of(&app, &newcomer).await["total"], 0);

        let created = browser.submit("/employer/organisations/new", &[
            ("name", "Harbour Robotics Ltd"), ("jurisdiction", "HK"), ("registration_number", "87654321-000-08-24-0"),
        ]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
        let listed = employers_of(&app, &newcomer).await;
        assert_eq!(listed["total"], 1);
        let employer = &listed["items"][0];
        assert_eq!(employer["name"], "Harbour Robotics Ltd");
        assert_eq!(employer["registration_number"], "87654321");
        assert_eq!(employer["my_role"], "owner");
        let id = employer["id"].as_str().unwrap();
        assert_eq!(created.location.as_deref(), Some(format!("/employer/organisations/{id}").as_str()));
        let page = browser.get(&format!("/employer/organisations/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        assert!(page.contains("<h1>Harbour Robotics Ltd</h1>") && page.contains("Awaiting the agency"), "{}", page.html);
        assert!(page.contains("You can invite colleagues once the agency has verified"), "no invitations before");
        assert!(!page.contains(&format!("action=\"/employer/organisations/{id}/invitations\"")));
        let jobs = browser.get("/employer/jobs").await;
        assert!(jobs.contains(&format!("href=\"/employer/organisations/{id}\">Harbour Robotics Ltd</a>")), "{}", jobs.html);

        let candidate = app.sign_up("candidate").await;
        let mut someone = Browser::new(&app);
        someone.sign_in(&candidate.email, PASSWORD).await;
        assert_eq!(someone.get("/employer/organisations/new").await.status, StatusCode::FORBIDDEN);
    }
}

on_both_backends! {
    async fn owners_invite_cancel_and_remove_members_as_the_service_allows(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let recruiter = app.sign_up("employer").await;
        let mut browser = signed_in(&app, &owner).await;
        let path = format!("/employer/organisations/{id}");
        let invite = format!("{path}/invitations");

        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        assert!(page.contains(&owner.email) && page.contains("<td>Owner</td>"), "{}", page.html);
        assert!(!page.contains(&format!("/members/{}/remove", owner.user_id)), "the last owner stays");
        assert!(page.contains("No pending invitations."));

        let refused = browser.submit(&invite, &[("email", "not-an-email"), ("role", "recruiter")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
        assert!(refused.contains("id=\"email-error\"") && refused.contains("value=\"not-an-email\""), "{}", refused.html);
        assert!(invited(&app, &owner, &id).await.is_empty(), "nothing sent");

        let sent = browser.submit(&invite, &[("email", &recruiter.email), ("role", "recruiter")]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.html);
        assert_eq!(sent.location.as_deref(), Some(path.as_str()));
        let later = browser.submit(&invite, &[("email", "later@example.com"), ("role", "owner")]).await;
        assert_eq!(later.status, StatusCode::SEE_OTHER, "{}", later.html);
        let mut pending = invited(&app, &owner, &id).await;
        pending.sort();
        let mut expected = vec!["later@example.com".to_owned(), recruiter.email.clone()];
        expected.sort();
        assert_eq!(pending, expected);
        let listed = app.get(&format!("/api/v1/employers/{id}/invitations"), Some(&owner.access_token)).await;
        let later_id = listed.body.as_array().unwrap().iter()
            .find(|i| i["email"] == "later@example.com").unwrap()["id"].as_str().unwrap().to_owned();
        let page = browser.get(&path).await;
        assert!(page.contains(&format!("id=\"invitation-{later_id}\"")), "{}", page.html);
        let cancelled = browser.submit(&format!("{invite}/{later_id}/cancel"), &[]).await;
        assert_eq!(cancelled.status, StatusCode::SEE_OTHER, "{}", cancelled.html);
        assert_eq!(invited(&app, &owner, &id).await, vec![recruiter.email.clone()]);

        // The invited account follows the emailed link and joins.
        let mail = app.wait_for_mail(&recruiter.email, 2).await.pop().unwrap();
        let link = mail.link();
        let accept = &link[link.find("/employers/invitations/accept").expect("the link opens the page")..];
        let mut colleague = signed_in(&app, &recruiter).await;
        assert_eq!(colleague.get(accept).await.status, StatusCode::OK);
        let joined = colleague.submit("/employers/invitations/accept", &[("token", &mail.token())]).await;
        assert!(joined.status.is_success() || joined.status.is_redirection(), "{}", joined.html);
        assert_eq!(members_of(&app, &owner, &id).await.len(), 2);

        let again = browser.submit(&invite, &[("email", &recruiter.email), ("role", "owner")]).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.html);
        assert!(again.contains("This address belongs to a member already."));
        assert!(again.contains("<option value=\"owner\" selected>"), "the choice is kept");

        // A recruiter sees the members, may leave, and manages nothing.
        let theirs = colleague.get(&path).await;
        assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.html);
        assert!(theirs.contains(&format!("/members/{}/remove", recruiter.user_id)), "they may leave");
        assert!(!theirs.contains(&format!("/members/{}/remove", owner.user_id)));
        assert!(!theirs.contains("Pending invitations") && !theirs.contains(&format!("action=\"{invite}\"")));
        let ousting = colleague.submit(&format!("{path}/members/{}/remove", owner.user_id), &[]).await;
        assert_eq!(ousting.status, StatusCode::FORBIDDEN);
        let inviting = colleague.submit(&invite, &[("email", "friend@example.com"), ("role", "owner")]).await;
        assert_eq!(inviting.status, StatusCode::FORBIDDEN);
        assert_eq!(members_of(&app, &owner, &id).await.len(), 2, "nobody removed");
        assert_eq!(invited(&app, &owner, &id).await, Vec::<String>::new(), "nobody invited");

        let page = browser.get(&path).await;
        assert!(page.contains(&format!("/members/{}/remove", recruiter.user_id)), "the owner may remove them");
        let removed = browser.submit(&format!("{path}/members/{}/remove", recruiter.user_id), &[]).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.html);
        assert_eq!(members_of(&app, &owner, &id).await, vec![owner.email.clone()]);
        assert_eq!(colleague.get(&path).await.status, StatusCode::FORBIDDEN, "no longer a member");
    }
}

on_both_backends! {
    async fn another_employers_organisation_is_out_of_reach(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (rival, _) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let pending = app.post(&format!("/api/v1/employers/{id}/members"), Some(&owner.access_token),
            json!({"email": "pending@example.com", "role": "recruiter"})).await;
        assert_eq!(pending.status, StatusCode::CREATED, "{}", pending.body);
        let invitation = pending.body["id"].as_str().unwrap();
        let path = format!("/employer/organisations/{id}");

        let mut browser = signed_in(&app, &rival).await;
        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(!page.contains(&owner.email) && !page.contains("pending@example.com"));
        let unknown = browser.get(&format!("/employer/organisations/{}", uuid::Uuid::new_v4())).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        let invite = browser.submit(&format!("{path}/invitations"), &[("email", "mole@example.com"), ("role", "owner")]).await;
        assert_eq!(invite.status, StatusCode::FORBIDDEN);
        let cancel = browser.submit(&format!("{path}/invitations/{invitation}/cancel"), &[]).await;
        assert_eq!(cancel.status, StatusCode::FORBIDDEN);
        let remove = browser.submit(&format!("{path}/members/{}/remove", owner.user_id), &[]).await;
        assert_eq!(remove.status, StatusCode::FORBIDDEN);
        assert_eq!(invited(&app, &owner, &id).await, vec!["pending@example.com".to_owned()], "unchanged");
        assert_eq!(members_of(&app, &owner, &id).await, vec![owner.email.clone()]);
        app.assert_no_mail("mole@example.com").await;

        // The owner's own form, sent without this session's token, is refused before anything.
        let mut owners = signed_in(&app, &owner).await;
        assert_eq!(owners.get(&path).await.status, StatusCode::OK);
        let forged = owners
            .submit_with_token(&format!("{path}/invitations"), &[("email", "x@example.com"), ("role", "owner")], "forged")
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(invited(&app, &owner, &id).await, vec!["pending@example.com".to_owned()]);
    }
}
