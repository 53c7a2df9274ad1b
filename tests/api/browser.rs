//! A browser for the web pages' tests: cookies kept, redirects not followed (a test looks at
//! where it is sent), forms sent with the CSRF token the last page carried.

use reqwest::StatusCode;
use reqwest::redirect::Policy;

use crate::helpers::TestApp;

pub struct Browser {
    client: reqwest::Client,
    address: String,
    /// The CSRF token of the last page that carried a form.
    csrf: Option<String>,
}

/// A page as the browser got it.
#[derive(Debug)]
pub struct Seen {
    pub status: StatusCode,
    pub html: String,
    /// Where a redirect points.
    pub location: Option<String>,
    pub headers: reqwest::header::HeaderMap,
}

impl Seen {
    pub fn contains(&self, text: &str) -> bool {
        self.html.contains(text)
    }
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self::speaking(app, "en")
    }

    /// A browser whose `Accept-Language` is `language`.
    pub fn speaking(app: &TestApp, language: &str) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("accept-language", language.parse().expect("a header value"));
        headers.insert("accept", "text/html".parse().expect("a header value"));
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .default_headers(headers)
            .build()
            .expect("a client");
        Browser {
            client,
            address: app.address.clone(),
            csrf: None,
        }
    }

    pub async fn get(&mut self, path: &str) -> Seen {
        let response = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("page fetched");
        self.seen(response).await
    }

    /// Sends a form (with the CSRF token of the last page) as a browser does.
    pub async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Seen {
        let csrf = self.csrf.clone().expect("a page with a form was opened first");
        self.submit_with_token(path, fields, &csrf).await
    }

    pub async fn submit_with_token(&mut self, path: &str, fields: &[(&str, &str)], csrf: &str) -> Seen {
        let mut form: Vec<(&str, &str)> = vec![("csrf", csrf)];
        form.extend_from_slice(fields);
        let response = self
            .client
            .post(format!("{}{path}", self.address))
            .form(&form)
            .send()
            .await
            .expect("form sent");
        self.seen(response).await
    }

    /// Signs in through the sign-in page; panics unless it is sent on.
    pub async fn sign_in(&mut self, email: &str, password: &str) {
        self.get("/sign-in").await;
        let seen = self
            .submit(
                "/sign-in",
                &[("email", email), ("password", password), ("next", "/")],
            )
            .await;
        assert_eq!(
            seen.status,
            StatusCode::SEE_OTHER,
            "sign-in refused: {}",
            seen.html
        );
    }

    async fn seen(&mut self, response: reqwest::Response) -> Seen {
        let status = response.status();
        let headers = response.headers().clone();
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let html = response.text().await.expect("a body");
        if let Some(token) = csrf_of(&html) {
            self.csrf = Some(token);
        }
        Seen {
            status,
            html,
            location,
            headers,
        }
    }
}

fn csrf_of(html: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}
