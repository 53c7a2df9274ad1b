//! Employers through HTTP: registration numbers checked per jurisdiction and unique among
//! verified employers, who reads, renames and lists which employer, the agency's verification
//! (lost on renaming), and members joining by emailed invitation (verified employers only, a
//! limited number a day).

use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use talentbridge::db::schema::{employer_invitations, employers};
use talentbridge::error::AppError;

use crate::fixtures::*;
use crate::helpers::{Answer, Session, TestApp};
use crate::on_both_backends;
use crate::search::search_until;

fn register_body(jurisdiction: &str, number: &str) -> serde_json::Value {
    json!({"name": "Harbour Robotics Ltd", "jurisdiction": jurisdiction, "registration_number": number})
}

on_both_backends! {
    async fn registration_numbers_are_checked_and_unique(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let owner = app.sign_up("employer").await;
        let token = Some(owner.access_token.as_str());
        let invalid = [
            ("CN", "91440300708461136X", "registration_number"), // wrong check character
            ("CN", "9144030070846113IT", "registration_number"), // I is outside the alphabet
            ("CN", "91440300708461136O", "registration_number"), // O is outside the alphabet
            ("CN", "9144030070846113", "registration_number"),   // 16 characters
            ("CN", "91440300708461136TT", "registration_number"), // 19 characters
            ("HK", "1234567", "registration_number"),
            ("HK", "1234567A", "registration_number"),
            ("MO", "12345678", "jurisdiction"),
        ];
        for (jurisdiction, number, field) in invalid {
            let answer = app.post("/api/v1/employers", token, register_body(jurisdiction, number)).await;
            answer.problem(422);
            assert_eq!(answer.error_fields(), vec![field], "{jurisdiction} {number}: {}", answer.body);
        }
        let check = app.post("/api/v1/employers", token, register_body("CN", "91440300708461136X")).await;
        assert!(check.body["errors"][0]["message"].as_str().unwrap().contains("should be T"), "{}", check.body);
        let nameless = app.post("/api/v1/employers", token, json!({"name": " ", "jurisdiction": "HK", "registration_number": HK_NUMBER})).await;
        assert_eq!(nameless.problem(422)["errors"][0]["field"], "name");
        // A body cannot make itself verified.
        let mass = app.post("/api/v1/employers", token, json!({"name": "X", "jurisdiction": "HK", "registration_number": HK_NUMBER, "verified": true})).await;
        assert_eq!(mass.problem(400)["errors"][0]["field"], "verified");

        // Spaces and case are normalised away.
        let created = app.post("/api/v1/employers", token, register_body("CN", " 9144 0300 7084 6113 6t ")).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["registration_number"], CN_NUMBER);
        assert_eq!(created.body["jurisdiction"], "CN");
        assert_eq!(created.body["verified"], false);
        assert_eq!(created.body["my_role"], "owner");
        assert!(created.body["created_at"].as_str().unwrap().ends_with('Z'));
        let hk = app.post("/api/v1/employers", token, register_body("HK", "12345678-000-08-24-0")).await;
        assert_eq!(hk.status, StatusCode::CREATED, "{}", hk.body);
        assert_eq!(hk.body["registration_number"], HK_NUMBER);

        // Who holds a number is settled by verification (see `a_squatter_blocks_nobody`).
        let candidate = app.sign_up("candidate").await;
        app.post("/api/v1/employers", Some(&candidate.access_token), register_body("CN", CN_NUMBER_2)).await.problem(403);
        app.post("/api/v1/employers", None, register_body("CN", CN_NUMBER_2)).await.problem(401);

        let officer = officer(&app).await;
        let all = app.get("/api/v1/employers", Some(&officer.access_token)).await;
        assert_eq!(all.body["total"], 2, "nothing else was written: {}", all.body);
        let id = created.body["id"].as_str().unwrap();
        assert_eq!(audit_actions(&app, "employer", id).await, vec!["create"]);
    }
}

on_both_backends! {
    async fn anyone_signed_in_reads_owners_rename_lists_are_per_role(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (owner, id) = employer(&app, "HK", HK_NUMBER).await;
        let (stranger, stranger_id) = employer(&app, "HK", HK_NUMBER_2).await;
        let candidate = app.sign_up("candidate").await;
        let officer = officer(&app).await;
        let path = format!("/api/v1/employers/{id}");

        let mine = app.get(&path, Some(&owner.access_token)).await;
        assert_eq!(mine.status, StatusCode::OK);
        assert_eq!(mine.body["my_role"], "owner");
        for reader in [&stranger, &candidate, &officer] {
            let seen = app.get(&path, Some(&reader.access_token)).await;
            assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
            assert_eq!(seen.body["name"], "HK Tech Ltd");
            assert!(seen.body.get("my_role").is_none(), "{}", seen.body);
        }
        app.get(&path, None).await.problem(401);
        app.get("/api/v1/employers/no-such-employer", Some(&owner.access_token)).await.problem(404);

        let rename = json!({"name": "  Harbour Robotics (HK) Ltd "});
        app.call(Method::PATCH, &path, Some(&stranger.access_token), Some(rename.clone())).await.problem(403);
        app.call(Method::PATCH, &path, Some(&candidate.access_token), Some(rename.clone())).await.problem(403);
        app.call(Method::PATCH, &path, Some(&officer.access_token), Some(rename.clone())).await.problem(403);
        app.call(Method::PATCH, "/api/v1/employers/no-such-employer", Some(&owner.access_token), Some(rename.clone())).await.problem(404);
        let too_long = json!({"name": "x".repeat(201)});
        assert_eq!(app.call(Method::PATCH, &path, Some(&owner.access_token), Some(too_long)).await.error_fields(), vec!["name"]);
        let registration = json!({"registration_number": HK_NUMBER_2});
        app.call(Method::PATCH, &path, Some(&owner.access_token), Some(registration)).await.problem(400);
        let renamed = app.call(Method::PATCH, &path, Some(&owner.access_token), Some(rename)).await;
        assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
        assert_eq!(renamed.body["name"], "Harbour Robotics (HK) Ltd");

        let own = app.get("/api/v1/employers", Some(&owner.access_token)).await;
        assert_eq!(own.body["total"], 1);
        assert_eq!(own.body["items"][0]["id"], id.as_str());
        assert_eq!(own.body["items"][0]["my_role"], "owner");
        let theirs = app.get("/api/v1/employers", Some(&stranger.access_token)).await;
        assert_eq!(theirs.body["items"][0]["id"], stranger_id.as_str());
        assert_eq!(theirs.body["total"], 1);
        let all = app.get("/api/v1/employers?limit=1", Some(&officer.access_token)).await;
        assert_eq!(all.body["total"], 2);
        assert_eq!(all.body["items"].as_array().unwrap().len(), 1);
        app.get("/api/v1/employers", Some(&candidate.access_token)).await.problem(403);

        assert_eq!(audit_actions(&app, "employer", &id).await, vec!["create", "update"]);
    }
}

on_both_backends! {
    async fn the_agency_verifies_with_a_note(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (owner, id) = employer(&app, "CN", CN_NUMBER).await;
        let officer = officer(&app).await;
        let admin = app.admin().await;
        let path = format!("/api/v1/employers/{id}/verification");
        let body = json!({"verified": true, "note": "Checked against the national enterprise credit register"});
        app.post(&path, Some(&owner.access_token), body.clone()).await.problem(403);
        let candidate = app.sign_up("candidate").await;
        app.post(&path, Some(&candidate.access_token), body.clone()).await.problem(403);
        app.post("/api/v1/employers/nope/verification", Some(&officer.access_token), body.clone()).await.problem(404);
        app.post(&path, Some(&officer.access_token), json!({"verified": "yes"})).await.problem(400);

        let verified = app.post(&path, Some(&officer.access_token), body).await;
        assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
        assert_eq!(verified.body["verified"], true);
        assert_eq!(verified.body["verification_note"], "Checked against the national enterprise credit register");
        assert!(verified.body["verified_at"].is_string());
        let seen = app.get(&format!("/api/v1/employers/{id}"), Some(&owner.access_token)).await;
        assert_eq!(seen.body["verified"], true);

        let withdrawn = app.post(&path, Some(&admin.access_token), json!({"verified": false, "note": "Licence revoked"})).await;
        assert_eq!(withdrawn.status, StatusCode::OK);
        assert_eq!(withdrawn.body["verified"], false);
        assert!(withdrawn.body["verified_at"].is_null());
        assert_eq!(audit_actions(&app, "employer", &id).await, vec!["create", "verify", "unverify"]);
    }
}

/// The token of the latest invitation emailed to `email` (after `earlier` emails).
async fn invitation_token(app: &TestApp, email: &str, count: usize) -> String {
    let mails = app.wait_for_mail(email, count).await;
    let mail = mails.last().unwrap();
    assert!(
        mail.text.contains("/employers/invitations/accept?token="),
        "{}",
        mail.text
    );
    mail.token()
}

on_both_backends! {
    async fn owners_invite_by_email_and_the_invited_account_joins(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let recruiter = app.sign_up("employer").await;
        let someone_else = app.sign_up("employer").await;
        let candidate = app.sign_up("candidate").await;
        let members = format!("/api/v1/employers/{id}/members");
        let accept = "/api/v1/employers/invitations/accept";

        let invite = json!({"email": recruiter.email.to_uppercase(), "role": "recruiter"});
        app.post(&members, Some(&someone_else.access_token), invite.clone()).await.problem(403);
        app.post(&members, Some(&candidate.access_token), invite.clone()).await.problem(403);
        app.post("/api/v1/employers/nope/members", Some(&owner.access_token), invite.clone()).await.problem(404);
        let bad = app.post(&members, Some(&owner.access_token), json!({"email": "not-an-email", "role": "boss"})).await;
        bad.problem(422);
        assert_eq!(bad.error_fields(), vec!["email", "role"]);
        let invited = app.post(&members, Some(&owner.access_token), invite).await;
        assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);
        assert_eq!(invited.body["email"], recruiter.email.as_str());
        assert_eq!(invited.body["role"], "recruiter");
        // The sign-up email came first; the invitation second.
        let token = invitation_token(&app, &recruiter.email, 2).await;

        // Only the invited address may use the link, and only an employer account.
        app.post(accept, Some(&someone_else.access_token), json!({"token": token})).await.problem(403);
        app.post(accept, Some(&candidate.access_token), json!({"token": token})).await.problem(403);
        app.post(accept, Some(&recruiter.access_token), json!({"token": "forged"})).await.problem(404);
        let joined = app.post(accept, Some(&recruiter.access_token), json!({"token": token})).await;
        assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
        assert_eq!(joined.body["id"], id.as_str());
        assert_eq!(joined.body["my_role"], "recruiter");
        app.post(accept, Some(&recruiter.access_token), json!({"token": token})).await.problem(404);

        let list = app.get(&members, Some(&recruiter.access_token)).await;
        assert_eq!(list.status, StatusCode::OK);
        let roles: Vec<(&str, &str)> = list.body.as_array().unwrap().iter()
            .map(|m| (m["email"].as_str().unwrap(), m["role"].as_str().unwrap())).collect();
        assert_eq!(roles, vec![(owner.email.as_str(), "owner"), (recruiter.email.as_str(), "recruiter")]);
        assert_eq!(app.get(&members, Some(&officer.access_token)).await.status, StatusCode::OK);
        app.get(&members, Some(&someone_else.access_token)).await.problem(403);
        app.get(&members, Some(&candidate.access_token)).await.problem(403);

        // Recruiters neither invite nor rename; a member cannot be invited again.
        app.post(&members, Some(&recruiter.access_token), json!({"email": "x@example.com", "role": "recruiter"})).await.problem(403);
        app.call(Method::PATCH, &format!("/api/v1/employers/{id}"), Some(&recruiter.access_token), Some(json!({"name": "Mine"}))).await.problem(403);
        app.post(&members, Some(&owner.access_token), json!({"email": recruiter.email, "role": "owner"})).await.problem(409);
        let mine = app.get("/api/v1/employers", Some(&recruiter.access_token)).await;
        assert_eq!(mine.body["items"][0]["my_role"], "recruiter");

        // Removing: the last owner stays; recruiters remove no one else; owners remove members.
        let owner_path = format!("{members}/{}", owner.user_id);
        let recruiter_path = format!("{members}/{}", recruiter.user_id);
        app.call(Method::DELETE, &owner_path, Some(&owner.access_token), None).await.problem(409);
        app.call(Method::DELETE, &owner_path, Some(&recruiter.access_token), None).await.problem(403);
        app.call(Method::DELETE, &format!("{members}/{}", someone_else.user_id), Some(&owner.access_token), None).await.problem(404);
        assert_eq!(app.call(Method::DELETE, &recruiter_path, Some(&owner.access_token), None).await.status, StatusCode::NO_CONTENT);
        assert_eq!(app.get("/api/v1/employers", Some(&recruiter.access_token)).await.body["total"], 0);
        app.get(&members, Some(&recruiter.access_token)).await.problem(403);

        let actions = audit_actions(&app, "employer", &id).await;
        for action in ["create", "invite", "member_join", "member_remove"] {
            assert!(actions.iter().any(|a| a == action), "{action} missing from {actions:?}");
        }
    }
}

on_both_backends! {
    async fn invitations_are_listed_cancelled_replaced_and_expire(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, id) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let (stranger, _) = verified_employer(&app, &officer, "CN", CN_NUMBER_2).await;
        let invitee = app.sign_up("employer").await;
        let invitations = format!("/api/v1/employers/{id}/invitations");
        let members = format!("/api/v1/employers/{id}/members");
        let accept = "/api/v1/employers/invitations/accept";
        let invite = json!({"email": invitee.email, "role": "owner"});

        let first = app.post(&members, Some(&owner.access_token), invite.clone()).await;
        let first_token = invitation_token(&app, &invitee.email, 2).await;
        // Inviting again replaces the pending invitation: the earlier link stops working.
        let second = app.post(&members, Some(&owner.access_token), invite.clone()).await;
        let second_token = invitation_token(&app, &invitee.email, 3).await;
        assert_ne!(first.body["id"], second.body["id"]);
        app.post(accept, Some(&invitee.access_token), json!({"token": first_token})).await.problem(404);

        let pending = app.get(&invitations, Some(&owner.access_token)).await;
        assert_eq!(pending.status, StatusCode::OK);
        assert_eq!(pending.body.as_array().unwrap().len(), 1);
        assert_eq!(pending.body[0]["expired"], false);
        app.get(&invitations, Some(&stranger.access_token)).await.problem(403);
        let cancel = format!("{invitations}/{}", second.body["id"].as_str().unwrap());
        app.call(Method::DELETE, &cancel, Some(&stranger.access_token), None).await.problem(403);
        assert_eq!(app.call(Method::DELETE, &cancel, Some(&owner.access_token), None).await.status, StatusCode::NO_CONTENT);
        app.call(Method::DELETE, &cancel, Some(&owner.access_token), None).await.problem(404);
        app.post(accept, Some(&invitee.access_token), json!({"token": second_token})).await.problem(404);
        assert!(app.get(&invitations, Some(&owner.access_token)).await.body.as_array().unwrap().is_empty());

        // An invitation past its 7 days is gone (410), and nothing is joined.
        app.post(&members, Some(&owner.access_token), invite).await;
        let late_token = invitation_token(&app, &invitee.email, 4).await;
        let db = app.db().await;
        db.write(|conn| {
            diesel::update(employer_invitations::table)
                .set(employer_invitations::expires_at.eq(chrono::Utc::now().naive_utc() - chrono::Duration::hours(1)))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
        app.post(accept, Some(&invitee.access_token), json!({"token": late_token})).await.problem(410);
        assert_eq!(app.get(&invitations, Some(&owner.access_token)).await.body[0]["expired"], true);
        assert_eq!(app.get("/api/v1/employers", Some(&invitee.access_token)).await.body["total"], 0);
        assert!(audit_actions(&app, "employer", &id).await.iter().any(|a| a == "invitation_cancel"));
    }
}

on_both_backends! {
    async fn a_squatter_blocks_nobody_and_a_verified_number_is_taken(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        // Someone claims the company's number first; the claim stays unverified.
        let (_, squatter) = employer(&app, "CN", CN_NUMBER).await;
        // The real company registers the same number all the same, and the agency verifies it.
        let real = app.sign_up("employer").await;
        let registered = app.post("/api/v1/employers", Some(&real.access_token), register_body("CN", " 9144 0300 7084 6113 6t ")).await;
        assert_eq!(registered.status, StatusCode::CREATED, "{}", registered.body);
        let real_id = registered.body["id"].as_str().unwrap();
        let verified = app.post(&format!("/api/v1/employers/{real_id}/verification"), Some(&officer.access_token), json!({"verified": true})).await;
        assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);

        // From now on the number is taken: neither a new claim nor the squatter's verification.
        let late = app.sign_up("employer").await;
        let refused = app.post("/api/v1/employers", Some(&late.access_token), register_body("CN", CN_NUMBER)).await;
        assert!(refused.problem(409)["detail"].as_str().unwrap().contains("verified employer holds this registration number"), "{}", refused.body);
        let second = app.post(&format!("/api/v1/employers/{squatter}/verification"), Some(&officer.access_token), json!({"verified": true})).await;
        assert!(second.problem(409)["detail"].as_str().unwrap().contains("verified already"), "{}", second.body);
        assert_eq!(app.get(&format!("/api/v1/employers/{squatter}"), Some(&officer.access_token)).await.body["verified"], false);
        assert_eq!(audit_actions(&app, "employer", &squatter).await, vec!["create"]);
        // The database holds the rule too, for verifications racing past the check.
        let racing = squatter.clone();
        let forced = app.db().await.write(move |conn| {
            diesel::update(employers::table.find(racing)).set(employers::verified.eq(true)).execute(conn)?;
            Ok(())
        }).await;
        assert!(matches!(forced, Err(AppError::Conflict(_))), "{forced:?}");
        // Verifying the verified one again is no conflict with itself.
        let again = app.post(&format!("/api/v1/employers/{real_id}/verification"), Some(&officer.access_token), json!({"verified": true, "note": "Rechecked"})).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);

        // Once the agency withdraws the verification, the number is free for the other claim.
        let withdrawn = app.post(&format!("/api/v1/employers/{real_id}/verification"), Some(&officer.access_token), json!({"verified": false})).await;
        assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
        let now_squatter = app.post(&format!("/api/v1/employers/{squatter}/verification"), Some(&officer.access_token), json!({"verified": true})).await;
        assert_eq!(now_squatter.status, StatusCode::OK, "{}", now_squatter.body);
    }
}

on_both_backends! {
    async fn renaming_a_verified_employer_takes_its_verification_and_renames_its_jobs(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let job = open_job(&app, &owner, &id, "hk-wan-chai", "HKD").await;
        let finds = |answer: &Answer| answer.body["hits"].as_array().is_some_and(|hits| hits.iter().any(|h| h["job"]["id"] == job.as_str()));
        assert!(finds(&search_until(&app, "?q=Tech", finds).await));

        let path = format!("/api/v1/employers/{id}");
        let renamed = app.call(Method::PATCH, &path, Some(&owner.access_token), Some(json!({"name": "Lanternfish Robotics Ltd"}))).await;
        assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
        assert_eq!(renamed.body["verified"], false, "{}", renamed.body);
        assert!(renamed.body["verified_at"].is_null(), "{}", renamed.body);
        assert_eq!(app.get(&path, Some(&officer.access_token)).await.body["verified"], false);
        assert_eq!(audit_actions(&app, "employer", &id).await, vec!["create", "verify", "update"]);

        // The job carries the new name into search by the event log, with no reindex.
        let by_new = search_until(&app, "?q=Lanternfish", finds).await;
        assert!(finds(&by_new), "{}", by_new.body);
        let by_old = search_until(&app, "?q=Tech", |answer| !finds(answer)).await;
        assert!(!finds(&by_old), "{}", by_old.body);

        // Unverified, it publishes nothing new until the agency verifies the new name.
        let draft = draft_job(&app, &owner, job_body(&id, "hk-wan-chai", "HKD")).await;
        let unpublished = app.post(&format!("/api/v1/jobs/{draft}/publish"), Some(&owner.access_token), json!({})).await;
        assert!(unpublished.problem(409)["detail"].as_str().unwrap().contains("not verified"), "{}", unpublished.body);
        let again = app.post(&format!("{path}/verification"), Some(&officer.access_token), json!({"verified": true})).await;
        assert_eq!(again.body["name"], "Lanternfish Robotics Ltd");
        assert_eq!(again.body["verified"], true);
        // Renaming an unverified employer changes only its name.
        let (stranger, stranger_id) = employer(&app, "CN", CN_NUMBER).await;
        let plain = app.call(Method::PATCH, &format!("/api/v1/employers/{stranger_id}"), Some(&stranger.access_token), Some(json!({"name": "Quokka Ltd"}))).await;
        assert_eq!((plain.body["name"].as_str(), plain.body["verified"].as_bool()), (Some("Quokka Ltd"), Some(false)));
    }
}

/// Owner `owner` of `employer` invites `email` as a recruiter.
async fn invite(app: &TestApp, owner: &Session, employer: &str, email: &str) -> Answer {
    app.post(
        &format!("/api/v1/employers/{employer}/members"),
        Some(&owner.access_token),
        json!({"email": email, "role": "recruiter"}),
    )
    .await
}

on_both_backends! {
    async fn only_verified_employers_invite(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (owner, id) = employer(&app, "HK", HK_NUMBER).await;
        let refused = invite(&app, &owner, &id, "phished@example.com").await;
        assert!(refused.problem(403)["detail"].as_str().unwrap().contains("only a verified employer may invite"), "{}", refused.body);
        app.assert_no_mail("phished@example.com").await;
        assert!(app.get(&format!("/api/v1/employers/{id}/invitations"), Some(&owner.access_token)).await.body.as_array().unwrap().is_empty());
        assert_eq!(audit_actions(&app, "employer", &id).await, vec!["create"]);

        let officer = officer(&app).await;
        app.post(&format!("/api/v1/employers/{id}/verification"), Some(&officer.access_token), json!({"verified": true})).await;
        assert_eq!(invite(&app, &owner, &id, "recruiter@example.com").await.status, StatusCode::CREATED);
        app.wait_for_mail("recruiter@example.com", 1).await;
    }
}

on_both_backends! {
    async fn invitations_are_limited_per_employer_and_day(backend: Backend) {
        let app = TestApp::spawn_with(backend, |settings| settings.employers.invitations_per_day = 3).await;
        let officer = officer(&app).await;
        let (owner, id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (other_owner, other_id) = verified_employer(&app, &officer, "HK", HK_NUMBER_2).await;
        // Cancelling or re-inviting gives nothing back: every email sent counts.
        let first = invite(&app, &owner, &id, "one@example.com").await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        let cancel = format!("/api/v1/employers/{id}/invitations/{}", first.body["id"].as_str().unwrap());
        assert_eq!(app.call(Method::DELETE, &cancel, Some(&owner.access_token), None).await.status, StatusCode::NO_CONTENT);
        assert_eq!(invite(&app, &owner, &id, "two@example.com").await.status, StatusCode::CREATED);
        assert_eq!(invite(&app, &owner, &id, "two@example.com").await.status, StatusCode::CREATED);

        let refused = invite(&app, &owner, &id, "four@example.com").await;
        refused.problem(429);
        let retry_after: u64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((86_000..=86_400).contains(&retry_after), "{retry_after}");
        app.assert_no_mail("four@example.com").await;
        assert_eq!(app.get(&format!("/api/v1/employers/{id}/invitations"), Some(&owner.access_token)).await.body.as_array().unwrap().len(), 1);
        // The limit is per employer.
        assert_eq!(invite(&app, &other_owner, &other_id, "four@example.com").await.status, StatusCode::CREATED);

        // A day after the first invitation, one more may go.
        let db = app.db().await;
        let first_id = first.body["id"].as_str().unwrap().to_owned();
        db.write(move |conn| {
            diesel::update(employer_invitations::table.find(first_id))
                .set(employer_invitations::created_at.eq(chrono::Utc::now().naive_utc() - chrono::Duration::hours(25)))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
        assert_eq!(invite(&app, &owner, &id, "four@example.com").await.status, StatusCode::CREATED);
        invite(&app, &owner, &id, "five@example.com").await.problem(429);
    }
}
