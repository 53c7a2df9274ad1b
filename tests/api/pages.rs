//! The web pages' tests (see browser.rs): the session, its cookies and CSRF, the security
//! headers, the language, and the links the emails carry.

use reqwest::StatusCode;

use crate::browser::Browser;
use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

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
