//! The authorization matrix: every endpoint of the marketplace, called by every kind of caller
//! against objects that belong to someone else, with the exact status each must get. 404 where
//! the caller may not learn that the object exists, 403 where it may (public objects, role
//! checks). Later areas add their endpoints to `endpoints()`.
//!
//! Writes are tried only by callers that must be refused, so the world stays as it was built; a
//! closing check proves nothing a refused call touched changed.

use reqwest::Method;
use serde_json::{Value, json};

use crate::fixtures::{
    CN_NUMBER, HK_NUMBER, HK_NUMBER_2, candidate, job_body, officer, open_job, verified_employer,
};
use crate::helpers::{Session, TestApp};
use crate::on_both_backends;

/// Who calls. The object owners are `Candidate` (the candidate's records) and `Owner` (the
/// employer, its jobs, and the applications to them); the others are strangers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    /// Owns the candidate records; lives in Hong Kong, visible to employers, no consents.
    Candidate,
    /// Another candidate with a profile of their own.
    OtherCandidate,
    /// Owner of the Hong Kong employer, its jobs and the application made to them.
    Owner,
    /// Owner of another Hong Kong employer: same role, same side of the boundary.
    OtherEmployer,
    /// Owner of a Shenzhen employer: the candidate has not consented to the Mainland.
    CrossBorderEmployer,
    Officer,
    Admin,
}

use Caller::*;

const CALLERS: [Caller; 8] = [
    Anonymous,
    Candidate,
    OtherCandidate,
    Owner,
    OtherEmployer,
    CrossBorderEmployer,
    Officer,
    Admin,
];

/// The objects the calls aim at.
struct World {
    sessions: Vec<(Caller, Session)>,
    candidate_id: String,
    other_candidate_id: String,
    credential_id: String,
    authorization_id: String,
    consent_id: String,
    employer_id: String,
    owner_user_id: String,
    invitation_id: String,
    open_job_id: String,
    draft_job_id: String,
    application_id: String,
    /// The candidate's one-stop case, opened by the officer, with one task and an internal note.
    case_id: String,
    task_id: String,
    /// The candidate's saved search.
    saved_search_id: String,
}

impl World {
    fn token(&self, caller: Caller) -> Option<&str> {
        self.sessions
            .iter()
            .find(|(c, _)| *c == caller)
            .map(|(_, s)| s.access_token.as_str())
    }
}

async fn ok(answer: crate::helpers::Answer) -> Value {
    assert!(answer.status.is_success(), "{}", answer.body);
    answer.body
}

async fn build_world(app: &TestApp) -> World {
    let officer = officer(app).await;
    let admin = app.admin().await;
    let (owner, employer_id) = verified_employer(app, &officer, "HK", HK_NUMBER).await;
    let (other_employer, _) = verified_employer(app, &officer, "HK", HK_NUMBER_2).await;
    let (cross_border, _) = verified_employer(app, &officer, "CN", CN_NUMBER).await;
    let (other_candidate, other_candidate_id) = candidate(app, "HK").await;
    let (candidate, candidate_id) = candidate(app, "HK").await;
    let token = Some(candidate.access_token.as_str());

    let credential = ok(app
        .post(
            "/api/v1/candidates/me/credentials",
            token,
            json!({"qualification_id": "hk-bachelor-engineering"}),
        )
        .await)
    .await;
    let authorization = ok(app
        .post(
            "/api/v1/candidates/me/work-authorizations",
            token,
            json!({"jurisdiction": "HK", "basis": "HK_PR"}),
        )
        .await)
    .await;
    let consent = ok(app
        .post(
            "/api/v1/candidates/me/consents",
            token,
            json!({"purpose": "cross_border_sharing", "to_jurisdiction": "CN"}),
        )
        .await)
    .await;
    let consent_id = consent["id"].as_str().unwrap().to_owned();
    // Withdrawn again: the Shenzhen employer must not see the candidate.
    let withdrawn = app
        .call(
            Method::DELETE,
            &format!("/api/v1/candidates/me/consents/{consent_id}"),
            token,
            None,
        )
        .await;
    assert_eq!(withdrawn.status.as_u16(), 204, "{}", withdrawn.body);

    let open_job_id = open_job(app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
    let draft = ok(app
        .post(
            "/api/v1/jobs",
            Some(&owner.access_token),
            job_body(&employer_id, "hk-central-and-western", "HKD"),
        )
        .await)
    .await;
    let application = ok(app
        .post(
            &format!("/api/v1/jobs/{open_job_id}/applications"),
            token,
            json!({}),
        )
        .await)
    .await;
    let invitation = ok(app
        .post(
            &format!("/api/v1/employers/{employer_id}/members"),
            Some(&owner.access_token),
            json!({"email": "recruiter@example.com", "role": "recruiter"}),
        )
        .await)
    .await;

    let case = ok(app
        .post(
            "/api/v1/cases",
            Some(&officer.access_token),
            json!({"candidate_id": candidate_id, "direction": "HK_TO_CN"}),
        )
        .await)
    .await;
    let case_id = case["id"].as_str().unwrap().to_owned();
    ok(app
        .post(
            &format!("/api/v1/cases/{case_id}/notes"),
            Some(&officer.access_token),
            json!({"body": "internal only"}),
        )
        .await)
    .await;

    let saved_search = ok(app
        .post(
            "/api/v1/saved-searches",
            token,
            json!({"query": "engineer", "filters": {"jurisdiction": "HK"}, "frequency": "daily"}),
        )
        .await)
    .await;

    World {
        saved_search_id: saved_search["id"].as_str().unwrap().to_owned(),
        task_id: case["tasks"][0]["id"].as_str().unwrap().to_owned(),
        case_id,
        owner_user_id: owner.user_id.clone(),
        sessions: vec![
            (Candidate, candidate),
            (OtherCandidate, other_candidate),
            (Owner, owner),
            (OtherEmployer, other_employer),
            (CrossBorderEmployer, cross_border),
            (Officer, officer),
            (Admin, admin),
        ],
        candidate_id,
        other_candidate_id,
        credential_id: credential["id"].as_str().unwrap().to_owned(),
        authorization_id: authorization["id"].as_str().unwrap().to_owned(),
        consent_id,
        employer_id,
        invitation_id: invitation["id"].as_str().unwrap().to_owned(),
        open_job_id,
        draft_job_id: draft["id"].as_str().unwrap().to_owned(),
        application_id: application["id"].as_str().unwrap().to_owned(),
    }
}

/// One endpoint and what each caller gets. `None`: not tried (an allowed write, tested in the
/// area's own module, would change the world).
struct Endpoint {
    method: Method,
    path: String,
    body: Option<Value>,
    expect: Vec<(Caller, u16)>,
}

fn endpoint(method: Method, path: String, body: Option<Value>, expect: &[(Caller, u16)]) -> Endpoint {
    Endpoint {
        method,
        path,
        body,
        expect: expect.to_vec(),
    }
}

fn endpoints(w: &World) -> Vec<Endpoint> {
    let candidate = &w.candidate_id;
    let employer = &w.employer_id;
    let open = &w.open_job_id;
    let draft = &w.draft_job_id;
    let case = &w.case_id;
    let profile = json!({"display_name": "X", "headline": "", "summary": "", "residence_jurisdiction": "HK",
                         "languages": [], "skills": [], "desired_jurisdictions": [], "visibility": "private"});
    let job_patch = json!({"title": "Taken over"});
    let verification = json!({"status": "verified"});
    vec![
        // Candidates: the caller's own records, by role.
        endpoint(
            Method::GET,
            "/api/v1/candidates/me".into(),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 200),
                (OtherCandidate, 200),
                (Owner, 403),
                (Officer, 403),
                (Admin, 403),
            ],
        ),
        endpoint(
            Method::PUT,
            "/api/v1/candidates/me".into(),
            Some(profile),
            &[(Anonymous, 401), (Owner, 403), (Officer, 403), (Admin, 403)],
        ),
        endpoint(
            Method::GET,
            "/api/v1/candidates/me/export".into(),
            None,
            &[(Anonymous, 401), (Candidate, 200), (Owner, 403), (Officer, 403)],
        ),
        endpoint(
            Method::DELETE,
            "/api/v1/candidates/me".into(),
            None,
            &[(Anonymous, 401), (Owner, 403), (Officer, 403), (Admin, 403)],
        ),
        // A candidate by id: the consent rule decides; no one learns an invisible one exists.
        endpoint(
            Method::GET,
            format!("/api/v1/candidates/{candidate}"),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 200),
                (OtherCandidate, 404),
                (Owner, 200),
                (OtherEmployer, 200),
                (CrossBorderEmployer, 404),
                (Officer, 200),
                (Admin, 200),
            ],
        ),
        // Talent search: employers and the agency; the consent rule decides the hits (its own tests).
        endpoint(
            Method::GET,
            "/api/v1/candidates/search".into(),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherCandidate, 403),
                (Owner, 200),
                (CrossBorderEmployer, 200),
                (Officer, 200),
                (Admin, 200),
            ],
        ),
        // Matches: the candidate's own; a job's for its employer and the agency.
        endpoint(
            Method::GET,
            "/api/v1/candidates/me/matches".into(),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 200),
                (Owner, 403),
                (Officer, 403),
                (Admin, 403),
            ],
        ),
        endpoint(
            Method::GET,
            format!("/api/v1/jobs/{open}/matches"),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (Owner, 200),
                (OtherEmployer, 403),
                (CrossBorderEmployer, 403),
                (Officer, 200),
                (Admin, 200),
            ],
        ),
        endpoint(
            Method::GET,
            format!("/api/v1/jobs/{draft}/matches"),
            None,
            &[
                (Candidate, 403),
                (Owner, 200),
                (OtherEmployer, 404),
                (CrossBorderEmployer, 404),
                (Officer, 200),
            ],
        ),
        endpoint(
            Method::GET,
            "/api/v1/jobs/search".into(),
            None,
            &[(Anonymous, 200), (Candidate, 200), (Owner, 200), (Officer, 200)],
        ),
        // Someone else's credential, authorisation and consent through the `me` paths.
        endpoint(
            Method::DELETE,
            format!("/api/v1/candidates/me/credentials/{}", w.credential_id),
            None,
            &[
                (Anonymous, 401),
                (OtherCandidate, 404),
                (Owner, 403),
                (Officer, 403),
            ],
        ),
        endpoint(
            Method::DELETE,
            format!("/api/v1/candidates/me/work-authorizations/{}", w.authorization_id),
            None,
            &[
                (Anonymous, 401),
                (OtherCandidate, 404),
                (Owner, 403),
                (Officer, 403),
            ],
        ),
        endpoint(
            Method::DELETE,
            format!("/api/v1/candidates/me/consents/{}", w.consent_id),
            None,
            &[
                (Anonymous, 401),
                (OtherCandidate, 404),
                (Owner, 403),
                (Officer, 403),
            ],
        ),
        // Verification is the agency's; a credential reached through the wrong candidate is unknown.
        endpoint(
            Method::POST,
            format!(
                "/api/v1/candidates/{candidate}/credentials/{}/verification",
                w.credential_id
            ),
            Some(verification.clone()),
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherCandidate, 403),
                (Owner, 403),
                (OtherEmployer, 403),
            ],
        ),
        endpoint(
            Method::POST,
            format!(
                "/api/v1/candidates/{}/credentials/{}/verification",
                w.other_candidate_id, w.credential_id
            ),
            Some(verification.clone()),
            &[(Officer, 404), (Admin, 404)],
        ),
        endpoint(
            Method::GET,
            "/api/v1/candidates/no-such-candidate".into(),
            None,
            &[(Candidate, 404), (Owner, 404), (Officer, 404)],
        ),
        endpoint(
            Method::POST,
            format!(
                "/api/v1/candidates/{candidate}/work-authorizations/{}/verification",
                w.authorization_id
            ),
            Some(verification.clone()),
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherCandidate, 403),
                (Owner, 403),
                (OtherEmployer, 403),
            ],
        ),
        endpoint(
            Method::POST,
            format!(
                "/api/v1/candidates/{}/work-authorizations/{}/verification",
                w.other_candidate_id, w.authorization_id
            ),
            Some(verification),
            &[(Officer, 404), (Admin, 404)],
        ),
        // Employers are public company facts; only members change them, only the agency verifies.
        endpoint(
            Method::POST,
            "/api/v1/employers".into(),
            Some(json!({"name": "Another", "jurisdiction": "HK", "registration_number": "87654321"})),
            &[(Anonymous, 401), (Candidate, 403), (Officer, 403), (Admin, 403)],
        ),
        endpoint(
            Method::GET,
            format!("/api/v1/employers/{employer}"),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 200),
                (Owner, 200),
                (OtherEmployer, 200),
                (Officer, 200),
                (Admin, 200),
            ],
        ),
        endpoint(
            Method::PATCH,
            format!("/api/v1/employers/{employer}"),
            Some(json!({"name": "Taken over"})),
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherEmployer, 403),
                (Officer, 403),
            ],
        ),
        endpoint(
            Method::POST,
            format!("/api/v1/employers/{employer}/verification"),
            Some(json!({"verified": false})),
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (Owner, 403),
                (OtherEmployer, 403),
            ],
        ),
        endpoint(
            Method::GET,
            format!("/api/v1/employers/{employer}/members"),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (Owner, 200),
                (OtherEmployer, 403),
            ],
        ),
        endpoint(
            Method::POST,
            format!("/api/v1/employers/{employer}/members"),
            Some(json!({"email": "intruder@example.com", "role": "owner"})),
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherEmployer, 403),
                (Officer, 403),
            ],
        ),
        endpoint(
            Method::DELETE,
            format!("/api/v1/employers/{employer}/members/{}", w.owner_user_id),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherEmployer, 403),
                (Officer, 403),
            ],
        ),
        endpoint(
            Method::GET,
            format!("/api/v1/employers/{employer}/invitations"),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (Owner, 200),
                (OtherEmployer, 403),
            ],
        ),
        endpoint(
            Method::DELETE,
            format!("/api/v1/employers/{employer}/invitations/{}", w.invitation_id),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherEmployer, 403),
                (Officer, 403),
            ],
        ),
        // Jobs: open ones are public, drafts exist only for their employer and the agency.
        endpoint(
            Method::POST,
            "/api/v1/jobs".into(),
            Some(job_body(employer, "hk-wan-chai", "HKD")),
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherEmployer, 403),
                (Officer, 403),
            ],
        ),
        endpoint(
            Method::GET,
            format!("/api/v1/jobs/{open}"),
            None,
            &[
                (Anonymous, 200),
                (Candidate, 200),
                (OtherEmployer, 200),
                (Officer, 200),
            ],
        ),
        endpoint(
            Method::GET,
            format!("/api/v1/jobs/{draft}"),
            None,
            &[
                (Anonymous, 404),
                (Candidate, 404),
                (Owner, 200),
                (OtherEmployer, 404),
                (Officer, 200),
                (Admin, 200),
            ],
        ),
        endpoint(
            Method::PATCH,
            format!("/api/v1/jobs/{open}"),
            Some(job_patch.clone()),
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherEmployer, 403),
                (Officer, 403),
            ],
        ),
        // A role that may never edit jobs is refused before any lookup, so its 403 says nothing
        // about whether the draft exists: a made-up id gets the same answer.
        endpoint(
            Method::PATCH,
            format!("/api/v1/jobs/{draft}"),
            Some(job_patch.clone()),
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherEmployer, 404),
                (Officer, 403),
            ],
        ),
        endpoint(
            Method::PATCH,
            "/api/v1/jobs/no-such-job".into(),
            Some(job_patch),
            &[(Candidate, 403), (OtherEmployer, 404), (Officer, 403)],
        ),
        endpoint(
            Method::POST,
            format!("/api/v1/jobs/{draft}/publish"),
            Some(json!({})),
            &[(Anonymous, 401), (Candidate, 403), (OtherEmployer, 404)],
        ),
        endpoint(
            Method::POST,
            format!("/api/v1/jobs/{open}/close"),
            Some(json!({})),
            &[(Anonymous, 401), (Candidate, 403), (OtherEmployer, 403)],
        ),
        // Applications: the applicant's and the employer's, nobody else's.
        endpoint(
            Method::POST,
            format!("/api/v1/jobs/{open}/applications"),
            Some(json!({})),
            &[
                (Anonymous, 401),
                (Owner, 403),
                (OtherEmployer, 403),
                (Officer, 403),
                (Admin, 403),
            ],
        ),
        endpoint(
            Method::GET,
            format!("/api/v1/applications/{}", w.application_id),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 200),
                (OtherCandidate, 404),
                (Owner, 200),
                (OtherEmployer, 404),
                (CrossBorderEmployer, 404),
                (Officer, 404),
                (Admin, 404),
            ],
        ),
        endpoint(
            Method::PATCH,
            format!("/api/v1/applications/{}", w.application_id),
            Some(json!({"status": "rejected"})),
            &[
                (Anonymous, 401),
                (OtherCandidate, 404),
                (OtherEmployer, 404),
                (CrossBorderEmployer, 404),
                (Officer, 404),
            ],
        ),
        endpoint(
            Method::GET,
            "/api/v1/applications".into(),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 200),
                (Owner, 200),
                (Officer, 403),
                (Admin, 403),
            ],
        ),
        // Cases: the agency's; the candidate reads their own; employers see nothing of cases.
        endpoint(
            Method::POST,
            "/api/v1/cases".into(),
            Some(json!({"candidate_id": candidate, "direction": "CN_TO_HK"})),
            &[
                (Anonymous, 401),
                (Owner, 403),
                (OtherEmployer, 403),
                (CrossBorderEmployer, 403),
            ],
        ),
        endpoint(
            Method::GET,
            "/api/v1/cases".into(),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 200),
                (OtherCandidate, 200),
                (Owner, 403),
                (CrossBorderEmployer, 403),
                (Officer, 200),
                (Admin, 200),
            ],
        ),
        endpoint(
            Method::GET,
            format!("/api/v1/cases/{case}"),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 200),
                (OtherCandidate, 404),
                (Owner, 403),
                (OtherEmployer, 403),
                (CrossBorderEmployer, 403),
                (Officer, 200),
                (Admin, 200),
            ],
        ),
        endpoint(
            Method::GET,
            format!("/api/v1/cases/{case}/timeline"),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 200),
                (OtherCandidate, 404),
                (Owner, 403),
                (OtherEmployer, 403),
                (CrossBorderEmployer, 403),
                (Officer, 200),
                (Admin, 200),
            ],
        ),
        // Writes are the agency's: a candidate, even the case's own, is refused by role.
        endpoint(
            Method::PATCH,
            format!("/api/v1/cases/{case}"),
            Some(json!({"status": "closed"})),
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherCandidate, 403),
                (Owner, 403),
                (CrossBorderEmployer, 403),
            ],
        ),
        endpoint(
            Method::PATCH,
            format!("/api/v1/cases/{case}/tasks/{}", w.task_id),
            Some(json!({"status": "done"})),
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherCandidate, 403),
                (Owner, 403),
            ],
        ),
        endpoint(
            Method::POST,
            format!("/api/v1/cases/{case}/notes"),
            Some(json!({"body": "intrusion", "visible_to_candidate": true})),
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherCandidate, 403),
                (Owner, 403),
            ],
        ),
        endpoint(
            Method::GET,
            "/api/v1/case-templates/HK_TO_CN".into(),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (Owner, 403),
                (Officer, 200),
                (Admin, 200),
            ],
        ),
        // Templates shape every later case: agency admins only.
        endpoint(
            Method::PUT,
            "/api/v1/case-templates/HK_TO_CN".into(),
            Some(
                json!([{"code": "x", "title": {"en": "X", "zh-Hans": "", "zh-Hant": ""}, "category": "other", "actor": "agency",
                "authority": {"en": "Agency", "zh-Hans": "", "zh-Hant": ""}, "due_rule": {"anchor": "opened", "days": 1},
                "source_url": "https://www.gov.hk/", "checked_on": "2026-12-03"}]),
            ),
            &[(Anonymous, 401), (Candidate, 403), (Owner, 403), (Officer, 403)],
        ),
        // A route decides what every candidate is told: agency admins only.
        endpoint(
            Method::PUT,
            "/api/v1/work-authorization-bases/HK_GEP/route".into(),
            Some(
                json!({"open_to_application": true, "authority": {"en": "ImmD", "zh-Hans": "", "zh-Hant": ""},
                        "source_url": "https://www.immd.gov.hk/", "checked_on": "2026-12-03"}),
            ),
            &[(Anonymous, 401), (Candidate, 403), (Owner, 403), (Officer, 403)],
        ),
        // A candidate's routes read their private situation: their own, or the agency's reading.
        endpoint(
            Method::GET,
            format!("/api/v1/candidates/{}/routes?to=CN", w.candidate_id),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (OtherCandidate, 403),
                (Owner, 403),
                (CrossBorderEmployer, 403),
                (Officer, 200),
                (Admin, 200),
            ],
        ),
        endpoint(
            Method::GET,
            "/api/v1/candidates/me/routes?to=CN".into(),
            None,
            &[(Anonymous, 401), (Candidate, 200), (Owner, 403), (Officer, 403)],
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/overview".into(),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (Owner, 403),
                (Officer, 200),
                (Admin, 200),
            ],
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/skill-gap?jurisdiction=HK".into(),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 403),
                (Owner, 403),
                (CrossBorderEmployer, 403),
                (Officer, 200),
                (Admin, 200),
            ],
        ),
        // Saved searches: a candidate's own; every other role is refused by role.
        endpoint(
            Method::GET,
            "/api/v1/saved-searches".into(),
            None,
            &[
                (Anonymous, 401),
                (Candidate, 200),
                (OtherCandidate, 200),
                (Owner, 403),
                (Officer, 403),
                (Admin, 403),
            ],
        ),
        endpoint(
            Method::POST,
            "/api/v1/saved-searches".into(),
            Some(json!({"query": "intrusion", "frequency": "instant"})),
            &[(Anonymous, 401), (Owner, 403), (Officer, 403), (Admin, 403)],
        ),
        endpoint(
            Method::DELETE,
            format!("/api/v1/saved-searches/{}", w.saved_search_id),
            None,
            &[
                (Anonymous, 401),
                (OtherCandidate, 404),
                (Owner, 403),
                (CrossBorderEmployer, 403),
                (Officer, 403),
                (Admin, 403),
            ],
        ),
    ]
}

on_both_backends! {
    async fn every_caller_gets_exactly_its_status(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let world = build_world(&app).await;
        let mut wrong = Vec::new();
        for endpoint in endpoints(&world) {
            for (caller, expected) in &endpoint.expect {
                assert!(CALLERS.contains(caller));
                let answer = app.call(endpoint.method.clone(), &endpoint.path, world.token(*caller), endpoint.body.clone()).await;
                let status = answer.status.as_u16();
                if status != *expected {
                    wrong.push(format!("{} {} as {caller:?}: {status}, expected {expected}: {}", endpoint.method, endpoint.path, answer.body));
                } else if status >= 400 {
                    answer.problem(status);
                }
            }
        }
        assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));

        // Nothing a refused caller tried changed anything.
        let owner = world.token(Owner);
        let employer = app.get(&format!("/api/v1/employers/{}", world.employer_id), owner).await;
        assert_ne!(employer.body["name"], "Taken over");
        assert_eq!(employer.body["verified"], true);
        let job = app.get(&format!("/api/v1/jobs/{}", world.open_job_id), owner).await;
        assert_eq!(job.body["status"], "open");
        assert_ne!(job.body["title"], "Taken over");
        let application = app.get(&format!("/api/v1/applications/{}", world.application_id), owner).await;
        assert_eq!(application.body["status"], "submitted");
        let credentials = app.get("/api/v1/candidates/me/credentials", world.token(Candidate)).await;
        assert_eq!(credentials.body["items"][0]["status"], "pending", "{}", credentials.body);
        let members = app.get(&format!("/api/v1/employers/{}/members", world.employer_id), owner).await;
        assert_eq!(members.body.as_array().map(Vec::len), Some(1), "{}", members.body);
        let invitations = app.get(&format!("/api/v1/employers/{}/invitations", world.employer_id), owner).await;
        assert_eq!(invitations.body.as_array().map(Vec::len), Some(1), "{}", invitations.body);
        let officer = world.token(Officer);
        let case = app.get(&format!("/api/v1/cases/{}", world.case_id), officer).await;
        assert_eq!(case.body["status"], "open");
        assert_eq!(case.body["tasks"][0]["status"], "todo");
        assert_eq!(case.body["notes"].as_array().map(Vec::len), Some(1), "{}", case.body);
        let cases = app.get("/api/v1/cases", officer).await;
        assert_eq!(cases.body["total"], 1, "{}", cases.body);
        let template = app.get("/api/v1/case-templates/HK_TO_CN", officer).await;
        assert_ne!(template.body[0]["code"], "x");
        let searches = app.get("/api/v1/saved-searches", world.token(Candidate)).await;
        assert_eq!(searches.body["total"], 1, "{}", searches.body);
        assert_eq!(searches.body["items"][0]["id"], world.saved_search_id.as_str());
        assert_eq!(app.get("/api/v1/saved-searches", world.token(OtherCandidate)).await.body["total"], 0);
        // The candidate's view of their case leaves the internal note out.
        let own = app.get(&format!("/api/v1/cases/{}", world.case_id), world.token(Candidate)).await;
        assert_eq!(own.body["notes"], json!([]));
    }
}
