//! The route finder and the checklists built from it, through HTTP on both backends: who may
//! take which permit route into Hong Kong or Shenzhen, judged on the candidate's situation and a
//! job; a case's route, milestones and the due dates they give; licensing items that appear only
//! when credentials call for them.

use chrono::{Duration, NaiveDate};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{CN_NUMBER, HK_NUMBER, audit_actions, officer, open_job, task, verified_employer};
use crate::helpers::{Session, TestApp};
use crate::on_both_backends;

/// A candidate with a stated situation; returns the session and the candidate id.
async fn situated(app: &TestApp, residence: &str, nationality: &str, children: u32) -> (Session, String) {
    let session = app.sign_up("candidate").await;
    let profile = json!({
        "display_name": "Lee Ka Yan",
        "headline": "Engineer",
        "summary": "Moving for work.",
        "residence_jurisdiction": residence,
        "nationality": nationality,
        "dependent_children": children,
        "languages": [{"code": "en", "level": 4}],
        "skills": [{"skill_id": "software-engineering", "level": 4, "years": 6}],
        "desired_jurisdictions": ["CN", "HK"],
        "visibility": "employers"
    });
    let saved = app
        .call(
            Method::PUT,
            "/api/v1/candidates/me",
            Some(&session.access_token),
            Some(profile),
        )
        .await;
    assert!(saved.status.is_success(), "{}", saved.body);
    let id = saved.body["id"].as_str().unwrap().to_owned();
    (session, id)
}

/// Adds a credential and has the agency verify it.
async fn verified_credential(
    app: &TestApp,
    officer: &Session,
    who: &(Session, String),
    qualification: &str,
    awarded_on: NaiveDate,
) {
    let added = app
        .post(
            "/api/v1/candidates/me/credentials",
            Some(&who.0.access_token),
            json!({"qualification_id": qualification, "awarded_on": awarded_on.to_string()}),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let path = format!(
        "/api/v1/candidates/{}/credentials/{}/verification",
        who.1,
        added.body["id"].as_str().unwrap()
    );
    let verified = app
        .post(&path, Some(&officer.access_token), json!({"status": "verified"}))
        .await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
}

async fn holds(app: &TestApp, who: &Session, jurisdiction: &str, basis: &str) {
    let held = app
        .post(
            "/api/v1/candidates/me/work-authorizations",
            Some(&who.access_token),
            json!({"jurisdiction": jurisdiction, "basis": basis}),
        )
        .await;
    assert_eq!(held.status, StatusCode::CREATED, "{}", held.body);
}

async fn routes(app: &TestApp, who: &Session, query: &str) -> Value {
    let answer = app
        .get(
            &format!("/api/v1/candidates/me/routes?{query}"),
            Some(&who.access_token),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

/// The item of a basis in a finder's answer.
fn route<'a>(answer: &'a Value, basis: &str) -> &'a Value {
    answer["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["basis"] == basis)
        .unwrap_or_else(|| panic!("no route {basis} in {answer}"))
}

fn status(answer: &Value, basis: &str) -> String {
    route(answer, basis)["status"].as_str().unwrap().to_owned()
}

fn usable(status: &str) -> bool {
    status == "eligible" || status == "possible"
}

/// Statuses come ranked: already_authorised, eligible, possible, not_eligible.
fn assert_ranked(answer: &Value) {
    let rank = |s: &str| {
        ["already_authorised", "eligible", "possible", "not_eligible"]
            .iter()
            .position(|r| *r == s)
            .unwrap()
    };
    let ranks: Vec<usize> = answer["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| rank(r["status"].as_str().unwrap()))
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{answer}");
}

fn years_ago(years: i64) -> NaiveDate {
    talentbridge::cases::today() - Duration::days(365 * years)
}

on_both_backends! {
    async fn routes_into_hong_kong_follow_nationality_residence_credentials_and_the_job(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let job_id = open_job(&app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
        let with_job = format!("to=HK&job_id={job_id}");

        // A Mainland resident with a verified Mainland bachelor's and a sponsoring offer.
        let mainland = situated(&app, "CN", "CN", 0).await;
        verified_credential(&app, &officer, &mainland, "cn-bachelor-engineering", years_ago(4)).await;
        let answer = routes(&app, &mainland.0, &with_job).await;
        assert_eq!((answer["to"].as_str(), answer["job_id"].as_str()), (Some("HK"), Some(job_id.as_str())));
        assert_ranked(&answer);
        assert!(usable(&status(&answer, "HK_ASMTP")), "{answer}");
        let asmtp = route(&answer, "HK_ASMTP");
        assert!(!asmtp["met"].as_array().unwrap().is_empty() && asmtp["unmet"].as_array().unwrap().is_empty(), "{asmtp}");
        assert!(!asmtp["steps"].as_array().unwrap().is_empty(), "{asmtp}");
        assert!(asmtp["authority"].as_str().unwrap().contains("Immigration"), "{asmtp}");
        let gep = route(&answer, "HK_GEP");
        assert_eq!(gep["status"], "not_eligible", "{gep}");
        let reason = gep["unmet"].as_array().unwrap().iter().map(|u| u.as_str().unwrap()).collect::<Vec<_>>().join(" | ");
        assert!(reason.contains("Mainland"), "GEP names the Mainland residence as its reason: {reason}");
        // Without the offer, the employer's routes are left to verify, never met.
        let exploring = routes(&app, &mainland.0, "to=HK").await;
        assert_eq!(status(&exploring, "HK_ASMTP"), "possible", "{exploring}");

        // A US national with the same degree and offer: GEP, not ASMTP.
        let american = situated(&app, "HK", "US", 0).await;
        verified_credential(&app, &officer, &american, "cn-bachelor-engineering", years_ago(4)).await;
        let answer = routes(&app, &american.0, &with_job).await;
        assert!(usable(&status(&answer, "HK_GEP")), "{answer}");
        assert_eq!(status(&answer, "HK_ASMTP"), "not_eligible", "{answer}");

        // A graduate of a Hong Kong master's two months ago: IANG without a job.
        let graduate = situated(&app, "CN", "CN", 0).await;
        verified_credential(&app, &officer, &graduate, "hk-master-science", talentbridge::cases::today() - Duration::days(60)).await;
        let answer = routes(&app, &graduate.0, "to=HK").await;
        assert!(usable(&status(&answer, "HK_IANG")), "{answer}");
        // The same degree six years ago is outside the window.
        let earlier = situated(&app, "CN", "CN", 0).await;
        verified_credential(&app, &officer, &earlier, "hk-master-science", years_ago(6)).await;
        let answer = routes(&app, &earlier.0, "to=HK").await;
        assert_ne!(status(&answer, "HK_IANG"), "eligible", "{answer}");

        // A Hong Kong permanent resident is already authorised, first in the list.
        let local = situated(&app, "HK", "CN", 0).await;
        holds(&app, &local.0, "HK", "HK_PR").await;
        let answer = routes(&app, &local.0, &with_job).await;
        assert_eq!(answer["items"][0]["basis"], "HK_PR", "{answer}");
        assert_eq!(answer["items"][0]["status"], "already_authorised");

        // Texts in the caller's language.
        let chinese = app.get_in(&format!("/api/v1/candidates/me/routes?{with_job}"), &mainland.0.access_token, "zh-Hant").await;
        let explanation = route(&chinese.body, "HK_ASMTP")["explanation"].as_str().unwrap().to_owned();
        assert!(explanation.contains("輸入內地人才計劃"), "{explanation}");
    }
}

on_both_backends! {
    async fn routes_into_shenzhen_tell_chinese_nationals_from_foreign_hong_kong_residents(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let job_id = open_job(&app, &owner, &employer_id, "cn-sz-nanshan", "CNY").await;
        let query = format!("to=CN&job_id={job_id}");

        let chinese = situated(&app, "HK", "CN", 0).await;
        holds(&app, &chinese.0, "HK", "HK_PR").await;
        let answer = routes(&app, &chinese.0, &query).await;
        assert_ranked(&answer);
        assert!(usable(&status(&answer, "CN_HKMO_RESIDENT")), "{answer}");
        assert_eq!(status(&answer, "CN_FOREIGN_WORK_PERMIT"), "not_eligible", "{answer}");

        let british = situated(&app, "HK", "GB", 0).await;
        holds(&app, &british.0, "HK", "HK_PR").await;
        verified_credential(&app, &officer, &british, "hk-bachelor-engineering", years_ago(8)).await;
        let answer = routes(&app, &british.0, &query).await;
        assert!(usable(&status(&answer, "CN_FOREIGN_WORK_PERMIT")), "{answer}");
        assert_eq!(status(&answer, "CN_HKMO_RESIDENT"), "not_eligible", "{answer}");
        // The permit for non-Chinese residents is named, and said not to allow work.
        let visit = route(&answer, "CN_HK_NONCHINESE");
        assert_eq!(visit["status"], "not_eligible");
        assert!(visit["unmet"].to_string().contains("does not allow work"), "{visit}");

        // The agency asks for a candidate's routes; the reading is on the record.
        let read = app.get(&format!("/api/v1/candidates/{}/routes?{query}", british.1), Some(&officer.access_token)).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        assert_eq!(read.body["items"], answer["items"]);
        assert!(audit_actions(&app, "candidate", &british.1).await.contains(&"candidate.routes_read".to_owned()));
    }
}

on_both_backends! {
    async fn the_route_finder_refuses_what_it_cannot_answer(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let draft = crate::fixtures::draft_job(&app, &owner, crate::fixtures::job_body(&employer_id, "hk-wan-chai", "HKD")).await;
        let (me, me_id) = situated(&app, "CN", "CN", 1).await;
        let token = Some(me.access_token.as_str());

        let unknown = app.get("/api/v1/candidates/me/routes?to=XX", token).await;
        assert_eq!(unknown.problem(422)["errors"][0]["field"], "to", "{}", unknown.body);
        app.get("/api/v1/candidates/me/routes", token).await.problem(400);
        // A draft job the candidate may not see, and a job that does not exist: 404.
        app.get(&format!("/api/v1/candidates/me/routes?to=HK&job_id={draft}"), token).await.problem(404);
        app.get("/api/v1/candidates/me/routes?to=HK&job_id=no-such-job", token).await.problem(404);
        // Another's routes are the agency's to read, not a candidate's or an employer's.
        app.get(&format!("/api/v1/candidates/{me_id}/routes?to=HK"), token).await.problem(403);
        app.get(&format!("/api/v1/candidates/{me_id}/routes?to=HK"), Some(&owner.access_token)).await.problem(403);
        app.get("/api/v1/candidates/me/routes?to=HK", Some(&owner.access_token)).await.problem(403);
        app.get("/api/v1/candidates/no-such-candidate/routes?to=HK", Some(&officer.access_token)).await.problem(404);
        app.get("/api/v1/candidates/me/routes?to=HK", None).await.problem(401);
    }
}

fn codes(case: &Value) -> Vec<String> {
    case["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_owned())
        .collect()
}

on_both_backends! {
    async fn a_case_takes_the_first_route_and_dates_its_items_from_milestones(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer_id) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let job_id = open_job(&app, &owner, &employer_id, "hk-wan-chai", "HKD").await;
        let mainland = situated(&app, "CN", "CN", 0).await;
        verified_credential(&app, &officer, &mainland, "cn-bachelor-engineering", years_ago(4)).await;
        let opened = app
            .post("/api/v1/cases", Some(&officer.access_token),
                  json!({"candidate_id": mainland.1, "direction": "CN_TO_HK", "job_id": job_id}))
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        let case = opened.body;
        let case_id = case["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/cases/{case_id}");

        // The finder's first usable route, with its steps in the checklist.
        let finder = routes(&app, &mainland.0, &format!("to=HK&job_id={job_id}")).await;
        let first = finder["items"].as_array().unwrap().iter().find(|r| r["status"] != "not_eligible").unwrap();
        assert_eq!(case["route"], first["basis"], "{case}");
        assert_eq!(case["route"], "HK_ASMTP");
        let steps: Vec<&Value> = case["tasks"].as_array().unwrap().iter().filter(|t| t["route"] == "HK_ASMTP").collect();
        assert_eq!(steps.len(), first["steps"].as_array().unwrap().len(), "{case}");
        // Every item says who acts, where, with what, at what cost and when.
        for item in case["tasks"].as_array().unwrap() {
            assert!(["candidate", "employer", "agency"].contains(&item["actor"].as_str().unwrap()), "{item}");
            assert!(!item["authority"]["en"].as_str().unwrap().is_empty(), "{item}");
            assert!(item["source_url"].as_str().unwrap().starts_with("https://"), "{item}");
            assert!(item["due_rule"]["anchor"].is_string() && item["checked_on"].is_string(), "{item}");
        }
        assert!(steps.iter().any(|s| !s["documents"].as_array().unwrap().is_empty()), "steps list documents");
        assert!(steps.iter().any(|s| s["fee"]["currency"] == "HKD"), "a visa step has its fee");
        assert!(steps.iter().any(|s| s["processing_days"]["max"].is_u64()), "a step has its processing time");
        // HKID counts from arrival, unknown yet; schooling does not apply to a person without children.
        let hkid = task(&case, "hkid_registration");
        assert_eq!((hkid["due_rule"]["anchor"].as_str(), hkid["due_on"].clone()), (Some("arrival"), Value::Null), "{hkid}");
        let schooling = task(&case, "school_places");
        assert_eq!(schooling["status"], "not_applicable", "{schooling}");
        assert!(schooling["reason"]["en"].as_str().unwrap().contains("dependent child"), "{schooling}");
        assert!(!codes(&case).iter().any(|c| c.contains("hkicpa")), "no licensing item without a credential calling for it");

        // Arrival set: HKID registration falls due 30 days after it.
        let set = app.call(Method::PATCH, &path, Some(&officer.access_token), Some(json!({"milestones": {"arrival": "2027-01-10"}}))).await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        assert_eq!(set.body["milestones"]["arrival"], "2027-01-10");
        assert_eq!(task(&set.body, "hkid_registration")["due_on"], "2027-02-09");

        // Bad parts write nothing: a milestone that is not a date, a basis that does not exist
        // or leads elsewhere.
        let bad = app.call(Method::PATCH, &path, Some(&officer.access_token),
                           Some(json!({"status": "in_progress", "milestones": {"arrival": "soon", "visa_approved": "2027-13-01"}}))).await;
        assert_eq!(bad.problem(422)["errors"].as_array().unwrap().len(), 2, "{}", bad.body);
        assert_eq!(bad.error_fields(), ["milestones.visa_approved", "milestones.arrival"]);
        for basis in ["HK_NO_SUCH_SCHEME", "CN_FOREIGN_WORK_PERMIT"] {
            let refused = app.call(Method::PATCH, &path, Some(&officer.access_token), Some(json!({"status": "in_progress", "route": basis}))).await;
            assert_eq!(refused.error_fields(), ["route"], "{}", refused.body);
            assert!(refused.body["errors"][0]["message"].as_str().unwrap().contains(basis));
        }
        let unchanged = app.get(&path, Some(&officer.access_token)).await.body;
        assert_eq!((unchanged["status"].as_str(), unchanged["route"].as_str()), (Some("open"), Some("HK_ASMTP")));
        assert_eq!(unchanged["milestones"]["arrival"], "2027-01-10");

        // Another route: its steps replace the previous route's.
        let moved = app.call(Method::PATCH, &path, Some(&officer.access_token), Some(json!({"route": "HK_TTPS"}))).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        assert_eq!(moved.body["route"], "HK_TTPS");
        let routes_in_list: Vec<String> = moved.body["tasks"].as_array().unwrap().iter().filter_map(|t| t["route"].as_str().map(str::to_owned)).collect();
        assert!(!routes_in_list.is_empty() && routes_in_list.iter().all(|r| r == "HK_TTPS"), "{routes_in_list:?}");

        // A first working day in the past makes the employer's MPF enrolment overdue, and the
        // case joins the overdue list.
        let started = (talentbridge::cases::today() - Duration::days(90)).to_string();
        let late = app.call(Method::PATCH, &path, Some(&officer.access_token), Some(json!({"milestones": {"employment_start": started}}))).await;
        assert_eq!(task(&late.body, "mpf_enrolment")["overdue"], true, "{}", late.body);
        let overdue = app.get("/api/v1/cases?overdue=true", Some(&officer.access_token)).await;
        assert!(overdue.body["items"].as_array().unwrap().iter().any(|c| c["id"] == case_id.as_str()));
        // Cleared, the date is unknown again.
        let cleared = app.call(Method::PATCH, &path, Some(&officer.access_token), Some(json!({"milestones": {"employment_start": null}}))).await;
        assert_eq!(task(&cleared.body, "mpf_enrolment")["due_on"], Value::Null);

        let timeline = app.get(&format!("{path}/timeline"), Some(&officer.access_token)).await;
        let actions: Vec<&str> = timeline.body.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"case.route_changed") && actions.contains(&"case.milestones_changed"), "{actions:?}");
    }
}

on_both_backends! {
    async fn licensing_items_appear_when_credentials_call_for_them_and_ended_rules_do_not(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        // A Hong Kong architect and solicitor moving to Shenzhen.
        let professional = situated(&app, "HK", "CN", 2).await;
        holds(&app, &professional.0, "HK", "HK_PR").await;
        verified_credential(&app, &officer, &professional, "hk-registered-architect", years_ago(10)).await;
        verified_credential(&app, &officer, &professional, "hk-solicitor", years_ago(10)).await;
        let opened = app.post("/api/v1/cases", Some(&officer.access_token),
                              json!({"candidate_id": professional.1, "direction": "HK_TO_CN"})).await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        let case = &opened.body;
        let construction = task(case, "cepa_construction_registration");
        assert_eq!(construction["category"], "licensing");
        assert_eq!(construction["status"], "todo");
        // The GBA lawyers pilot ended on 4 Oct 2026: its item is gone from cases opened after.
        assert!(!codes(case).contains(&"gba_lawyer_licence".to_owned()), "{:?}", codes(case));
        // Children on file: the schooling items apply.
        assert_eq!(task(case, "school_places_shenzhen")["status"], "todo");
        // A Chinese national: the Home Return Permit item applies; the route is the HK/Macao
        // resident basis (no work permit).
        assert_eq!(task(case, "home_return_permit")["status"], "todo");
        assert_eq!(case["route"], "CN_HKMO_RESIDENT", "{case}");

        // Without such credentials, no licensing item at all.
        let engineer = situated(&app, "HK", "CN", 0).await;
        let opened = app.post("/api/v1/cases", Some(&officer.access_token),
                              json!({"candidate_id": engineer.1, "direction": "HK_TO_CN"})).await;
        assert!(!opened.body["tasks"].as_array().unwrap().iter().any(|t| t["category"] == "licensing"), "{}", opened.body);
    }
}

on_both_backends! {
    async fn admins_edit_a_route_with_audit_and_the_finder_follows(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let admin = app.admin().await;
        let bases = app.get("/api/v1/work-authorization-bases?jurisdiction=HK", Some(&officer.access_token)).await;
        let techtas = bases.body["items"].as_array().unwrap().iter().find(|b| b["code"] == "HK_TECHTAS").unwrap().clone();
        let mut route = techtas["route"].clone();
        assert!(route["steps"].as_array().is_some_and(|s| !s.is_empty()), "{techtas}");
        let groups = app.get("/api/v1/situation-groups", Some(&officer.access_token)).await;
        assert!(groups.body.as_array().unwrap().iter().any(|g| g["code"] == "mainland_resident"), "{}", groups.body);

        // A condition naming a group the registry lacks, an insecure link, a step of no known
        // category: each named, nothing stored.
        let mut broken = route.clone();
        broken["conditions"] = json!([{"group_any": ["martians"]}]);
        broken["source_url"] = json!("http://example.org");
        broken["steps"][0]["category"] = json!("paperwork");
        let refused = app.call(Method::PUT, "/api/v1/work-authorization-bases/HK_TECHTAS/route", Some(&admin.access_token), Some(broken)).await;
        refused.problem(422);
        assert_eq!(refused.error_fields(), ["source_url", "conditions[0]", "steps[0].category"]);
        app.call(Method::PUT, "/api/v1/work-authorization-bases/HK_NOPE/route", Some(&admin.access_token), Some(route.clone())).await.problem(404);
        app.call(Method::PUT, "/api/v1/work-authorization-bases/HK_TECHTAS/route", Some(&officer.access_token), Some(route.clone())).await.problem(403);

        // Closed to Mainland residents from now on: the finder says so at once.
        route["conditions"] = json!([{"not": {"group_any": ["mainland_resident"]}}]);
        let saved = app.call(Method::PUT, "/api/v1/work-authorization-bases/HK_TECHTAS/route", Some(&admin.access_token), Some(route.clone())).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let mainland = situated(&app, "CN", "CN", 0).await;
        let answer = routes(&app, &mainland.0, "to=HK").await;
        assert_eq!(status(&answer, "HK_TECHTAS"), "not_eligible", "{answer}");
        assert_eq!(audit_actions(&app, "work_authorization_basis", "HK_TECHTAS").await, ["work_authorization_basis.route_replaced"]);
    }
}
