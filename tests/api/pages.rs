//! The web pages' tests (see browser.rs): the session, its cookies and CSRF, the security
//! headers, the language, and the links the emails carry.

use reqwest::StatusCode;
use serde_json::json;

use crate::browser::Browser;
use crate::fixtures::{
    CN_NUMBER, HK_NUMBER, candidate, job_body, officer, open_job, publish, verified_employer,
};
use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;
use crate::search::{hit_ids, search_until};

on_both_backends! {
    async fn signing_in_sets_an_http_only_session_and_returns_to_the_page(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let candidate = app.sign_up("candidate").await;
        let mut browser = Browser::new(&app);

        let asked = browser.get("/me").await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER);
        assert_eq!(asked.location.as_deref(), Some("/sign-in?next=%2Fme"));

        let form = browser.get("/sign-in?next=%2Fme").await;
        assert!(form.contains("name=\"next\" value=\"/me\""), "{}", form.html);
        let wrong = browser
            .submit("/sign-in", &[("email", &candidate.email), ("password", "not-the-password"), ("next", "/me")])
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.contains("id=\"password-error\""), "the problem is shown beside the field");
        assert!(wrong.contains(&format!("value=\"{}\"", candidate.email)), "the email is kept");

        let signed_in = browser
            .submit("/sign-in", &[("email", &candidate.email), ("password", PASSWORD), ("next", "/me")])
            .await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
        assert_eq!(signed_in.location.as_deref(), Some("/me"));
        let cookies: Vec<&str> = signed_in
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let access = cookies.iter().find(|c| c.starts_with("tb_access=")).expect("an access cookie");
        assert!(access.contains("HttpOnly") && access.contains("SameSite=Lax"), "{access}");
        assert!(cookies.iter().any(|c| c.starts_with("tb_refresh=") && c.contains("HttpOnly")));

        let home = browser.get("/").await;
        assert!(home.contains("action=\"/sign-out\""), "signed in, the page offers to sign out");
    }
}

on_both_backends! {
    async fn a_refused_refresh_cookie_is_cleared_so_later_pages_do_not_try_it_again(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client");
        let page = client
            .get(format!("{}/", app.address))
            .header("accept", "text/html")
            .header("cookie", "tb_refresh=a-token-nobody-was-given-or-one-revoked")
            .send()
            .await
            .expect("page fetched");
        assert_eq!(page.status(), StatusCode::OK, "a visitor's page, not an error");
        let set: Vec<String> = page
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let refresh = set.iter().find(|c| c.starts_with("tb_refresh=")).expect("the refused cookie is answered");
        assert!(refresh.starts_with("tb_refresh=;") && refresh.contains("Max-Age=0"), "{refresh}");
        assert!(page.text().await.expect("a body").contains("href=\"/sign-in"), "shown as signed out");
    }
}

on_both_backends! {
    async fn a_form_without_this_sessions_token_is_refused(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let candidate = app.sign_up("candidate").await;
        let mut browser = Browser::new(&app);
        browser.get("/sign-in").await;
        let forged = browser
            .submit_with_token("/sign-in", &[("email", &candidate.email), ("password", PASSWORD)], "forged-token-from-another-site-00000")
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert!(!forged.headers.get_all("set-cookie").iter().any(|c| c.to_str().unwrap_or("").starts_with("tb_access=")));

        let mut stranger = Browser::new(&app);
        let no_cookie = stranger
            .submit_with_token("/sign-in", &[("email", &candidate.email), ("password", PASSWORD)], "x")
            .await;
        assert_eq!(no_cookie.status, StatusCode::FORBIDDEN, "no CSRF cookie, no form");
    }
}

on_both_backends! {
    async fn pages_carry_a_strict_content_security_policy(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let mut browser = Browser::new(&app);
        let page = browser.get("/sign-in").await;
        assert_eq!(page.status, StatusCode::OK);
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("form-action 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!page.html.contains("<script>"), "no inline script");
        assert!(!page.html.contains("style=\""), "no inline style");

        let stylesheet = page.html.split("href=\"/assets/").nth(1).and_then(|s| s.split('"').next()).expect("a stylesheet link");
        let asset = browser.get(&format!("/assets/{stylesheet}")).await;
        assert_eq!(asset.status, StatusCode::OK);
        assert!(asset.headers["content-type"].to_str().unwrap().starts_with("text/css"));
        assert!(asset.headers["cache-control"].to_str().unwrap().contains("immutable"));
        let icon = page.html.split("rel=\"icon\" type=\"image/svg+xml\" href=\"").nth(1).and_then(|s| s.split('"').next()).expect("an icon link");
        let served = browser.get(icon).await;
        assert_eq!(served.status, StatusCode::OK);
        assert_eq!(served.headers["content-type"], "image/svg+xml");
        let favicon = browser.get("/favicon.ico").await;
        assert_eq!(favicon.status, StatusCode::PERMANENT_REDIRECT);
        assert_eq!(favicon.location.as_deref(), Some(icon));

        let missing = browser.get("/no-such-page").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.headers["content-type"].to_str().unwrap().starts_with("text/html"));
        let api_missing = app.get("/api/v1/no-such-thing", None).await;
        assert_eq!(api_missing.status, StatusCode::NOT_FOUND);
        assert!(api_missing.content_type.starts_with("application/problem+json"));
    }
}

on_both_backends! {
    async fn the_language_follows_the_browser_then_the_switch(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let mut browser = Browser::speaking(&app, "zh-HK,zh;q=0.8");
        let page = browser.get("/sign-in").await;
        assert!(page.contains("<html lang=\"zh-Hant\">"), "Accept-Language zh-HK is Traditional");
        assert!(page.contains("登入"));

        let switched = browser.get("/language?to=zh-Hans&next=%2Fsign-in").await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
        assert_eq!(switched.location.as_deref(), Some("/sign-in"));
        let page = browser.get("/sign-in").await;
        assert!(page.contains("<html lang=\"zh-Hans\">"));
        assert!(page.contains("登录"));

        let elsewhere = browser.get("/language?to=en&next=https%3A%2F%2Fevil.example%2F").await;
        assert_eq!(elsewhere.location.as_deref(), Some("/"), "the switch returns only within the site");
    }
}

on_both_backends! {
    async fn the_email_links_open_pages_that_do_what_they_say(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let email = format!("link-{}@example.com", uuid::Uuid::new_v4().simple());
        app.register(&email, PASSWORD, "candidate").await;
        let mail = app.wait_for_mail(&email, 1).await.remove(0);
        let link = mail.link();
        assert!(link.starts_with(&app.settings.application.base_url), "{link}");
        let path = &link[app.settings.application.base_url.trim_end_matches('/').len()..];
        assert!(path.starts_with("/verify-email?token="), "{path}");

        let mut browser = Browser::new(&app);
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(app.login(&email, PASSWORD).await.status, StatusCode::UNAUTHORIZED, "opening the link changes nothing by itself");
        let done = browser.submit("/verify-email", &[("token", &mail.token())]).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.html);
        assert_eq!(app.login(&email, PASSWORD).await.status, StatusCode::OK);

        app.request_password_reset(&email).await;
        let reset = app.wait_for_mail(&email, 2).await.remove(1);
        let path = &reset.link()[app.settings.application.base_url.trim_end_matches('/').len()..];
        assert!(path.starts_with("/reset-password?token="), "{path}");
        browser.get(path).await;
        let short = browser.submit("/reset-password", &[("token", &reset.token()), ("password", "short")]).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(short.contains("id=\"password-error\""));
        let changed = browser
            .submit("/reset-password", &[("token", &reset.token()), ("password", "a-new-long-password-2026")])
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.html);
        assert_eq!(app.login(&email, "a-new-long-password-2026").await.status, StatusCode::OK);
    }
}

on_both_backends! {
    async fn a_seeker_finds_a_simplified_posting_in_traditional_applies_and_manages_consent(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let job = publish(
            &app,
            &owner,
            job_body(&employer, "cn-sz-nanshan", "CNY"),
            json!({"title": "高级软件工程师", "description": "负责跨境招聘平台的后端开发。\n\n欢迎香港人才。"}),
        )
        .await;
        search_until(&app, "?q=%E8%BB%9F%E4%BB%B6", |a| hit_ids(a).contains(&job)).await;

        let mut browser = Browser::speaking(&app, "zh-HK");
        let found = browser.get("/jobs?q=%E8%BB%9F%E4%BB%B6%E5%B7%A5%E7%A8%8B%E5%B8%AB").await; // 軟件工程師
        assert_eq!(found.status, StatusCode::OK);
        assert!(found.contains(&format!("href=\"/jobs/{job}\"")), "the Simplified posting is found: {}", found.html);
        assert!(found.contains("<b>"), "the matched words are highlighted");
        assert!(found.contains("1 個職位"));

        let mistyped = browser.get("/jobs?q=x&salary_min=lots").await;
        assert_eq!(mistyped.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(mistyped.contains("id=\"salary_min-error\"") && mistyped.contains("value=\"lots\""));

        let anonymous = browser.get(&format!("/jobs/{job}")).await;
        assert!(anonymous.contains("高级软件工程师"));
        assert!(anonymous.contains("英語 · 級別 4"), "languages by name, in the page's language");
        assert!(anonymous.contains(&format!("/sign-in?next=%2Fjobs%2F{job}")), "a visitor is offered to sign in first");
        let (seeker, seeker_id) = candidate(&app, "HK").await;
        browser.sign_in(&seeker.email, PASSWORD).await;
        let signed_in = browser.get(&format!("/jobs/{job}")).await;
        assert!(signed_in.contains("您的資歷在當地的認可"), "what the reader's qualifications count for");
        assert!(signed_in.contains("可讓您在當地工作的途徑"), "the routes into the job's jurisdiction");
        assert!(signed_in.contains("我同意向當地共享資料"), "across the boundary, the consent comes before Apply");
        let refused = browser
            .submit(&format!("/jobs/{job}/apply"), &[("cover_letter", "我想到深圳工作。")])
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "no application without the consent");
        assert!(refused.contains("我同意向當地共享資料"), "the page offers the consent again");
        let given = browser
            .submit("/me/consents", &[("to_jurisdiction", "CN"), ("next", &format!("/jobs/{job}"))])
            .await;
        assert_eq!(given.location.as_deref(), Some(format!("/jobs/{job}").as_str()), "back to the job");
        browser.get(&format!("/jobs/{job}")).await;
        let applied = browser
            .submit(&format!("/jobs/{job}/apply"), &[("cover_letter", "我想到深圳工作。")])
            .await;
        assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.html);
        let mine = app.get("/api/v1/applications", Some(&seeker.access_token)).await;
        assert_eq!(mine.body["items"][0]["job_id"], job.as_str());
        assert_eq!(mine.body["items"][0]["cover_letter"], "我想到深圳工作。");
        let me = browser.get("/me?applied=1").await;
        assert!(me.contains("高级软件工程师") && me.contains("已提交"), "{}", me.html);
        let again = browser.get(&format!("/jobs/{job}")).await;
        assert!(again.contains("您已申請"), "the job page knows the seeker has applied");

        // The agency opens the move to Shenzhen: the seeker's page names its direction, status
        // and steps in the page's language, not in the API's codes.
        let opened = app
            .post("/api/v1/cases", Some(&officer.access_token), json!({"candidate_id": seeker_id, "direction": "HK_TO_CN"}))
            .await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        let with_case = browser.get("/me").await;
        assert!(with_case.contains("香港特別行政區 → 中國內地 · 待處理"), "{}", with_case.html);
        assert!(with_case.contains("待辦"), "the steps' status in words");
        assert!(!with_case.contains("HK → CN") && !with_case.contains(">todo"), "{}", with_case.html);

        let consents = app.get("/api/v1/candidates/me/consents", Some(&seeker.access_token)).await;
        let consent_id = consents.body["items"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(consents.body["items"][0]["active"], true);
        let twice = browser.submit("/me/consents", &[("to_jurisdiction", "CN")]).await;
        assert_eq!(twice.status, StatusCode::CONFLICT, "a second active consent is refused beside the field");
        assert!(twice.contains("id=\"to_jurisdiction-error\""));
        let own = browser.submit("/me/consents", &[("to_jurisdiction", "HK")]).await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "no consent to one's own jurisdiction");
        let withdrawn = browser.submit(&format!("/me/consents/{consent_id}/withdraw"), &[]).await;
        assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
        let history = browser.get("/me").await;
        assert!(!history.contains(&format!("/me/consents/{consent_id}/withdraw")), "withdrawn: no button");
        assert!(history.contains("撤回於"), "the history keeps the withdrawn consent");
        let consents = app.get("/api/v1/candidates/me/consents", Some(&seeker.access_token)).await;
        assert_eq!(consents.body["items"][0]["active"], false);

        let saved = browser
            .submit("/jobs/alerts", &[("q", "軟件"), ("jurisdiction", "CN"), ("frequency", "weekly")])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
        let searches = app.get("/api/v1/saved-searches", Some(&seeker.access_token)).await;
        assert_eq!(searches.body["items"][0]["query"], "軟件");
        assert_eq!(searches.body["items"][0]["filters"]["jurisdiction"], "CN");
        let search_id = searches.body["items"][0]["id"].as_str().unwrap().to_owned();
        let listed = browser.get("/me").await;
        assert!(listed.contains("href=\"/jobs?q=%E8%BB%9F%E4%BB%B6&#38;jurisdiction=CN\""), "{}", listed.html);
        browser.submit(&format!("/me/saved-searches/{search_id}/delete"), &[]).await;
        let searches = app.get("/api/v1/saved-searches", Some(&seeker.access_token)).await;
        assert_eq!(searches.body["items"].as_array().unwrap().len(), 0);
    }
}

on_both_backends! {
    async fn another_persons_records_are_out_of_reach_from_the_pages(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (first, _) = candidate(&app, "HK").await;
        let (second, _) = candidate(&app, "HK").await;
        let given = app
            .post("/api/v1/candidates/me/consents", Some(&first.access_token), json!({"purpose": "cross_border_sharing", "to_jurisdiction": "CN"}))
            .await;
        let consent_id = given.body["id"].as_str().unwrap().to_owned();

        let mut browser = Browser::new(&app);
        browser.sign_in(&second.email, PASSWORD).await;
        let tried = browser.submit(&format!("/me/consents/{consent_id}/withdraw"), &[]).await;
        assert_eq!(tried.status, StatusCode::NOT_FOUND, "another person's consent is not found");
        let consents = app.get("/api/v1/candidates/me/consents", Some(&first.access_token)).await;
        assert_eq!(consents.body["items"][0]["active"], true, "and stays as it was");

        let employer = app.sign_up("employer").await;
        let mut employer_browser = Browser::new(&app);
        employer_browser.sign_in(&employer.email, PASSWORD).await;
        let refused = employer_browser.get("/me").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "the seeker's page is a seeker's");
    }
}

on_both_backends! {
    async fn every_link_the_emails_carry_opens_a_page(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (owner, employer) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let job = open_job(&app, &owner, &employer, "hk-wan-chai", "HKD").await;
        let (seeker, _) = candidate(&app, "HK").await;
        let applied = app.post(&format!("/api/v1/jobs/{job}/applications"), Some(&seeker.access_token), json!({})).await;
        assert_eq!(applied.status, StatusCode::CREATED);
        let application = applied.body["id"].as_str().unwrap().to_owned();
        app.call(
            reqwest::Method::PATCH,
            &format!("/api/v1/applications/{application}"),
            Some(&owner.access_token),
            Some(json!({"status": "screening"})),
        )
        .await;
        let mut mails = app.wait_for_mail(&owner.email, 2).await;
        mails.extend(app.wait_for_mail(&seeker.email, 2).await);
        let base = app.settings.application.base_url.trim_end_matches('/').to_string();
        let mut opened = 0;
        for mail in &mails {
            for word in mail.text.split_whitespace() {
                let Some(path) = word.strip_prefix(&base) else { continue };
                let signed_in_as = if mail.to == owner.email { &owner.email } else { &seeker.email };
                let mut browser = Browser::new(&app);
                browser.sign_in(signed_in_as, PASSWORD).await;
                let mut seen = browser.get(path).await;
                let mut hops = 0;
                while seen.status == StatusCode::SEE_OTHER && hops < 3 {
                    let to = seen.location.clone().unwrap();
                    seen = browser.get(to.split('#').next().unwrap()).await;
                    hops += 1;
                }
                assert_eq!(seen.status, StatusCode::OK, "{} in “{}” opens no page", path, mail.subject);
                assert!(seen.headers["content-type"].to_str().unwrap().starts_with("text/html"));
                opened += 1;
            }
        }
        assert!(opened >= 3, "the welcome, application and stage emails carry links ({opened} opened)");
    }
}
