//! `Page`: what every page handler starts from — the language, the signed-in person, the CSRF
//! token and the path asked for — and the one way pages answer: a rendered template, a redirect
//! or an error page, each carrying the session's cookies.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::Cookie;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{ContentType, LOCATION};
use actix_web::{FromRequest, HttpRequest, HttpResponse, HttpResponseBuilder, web};
use askama::Template;

use super::refusals;
use super::session::{self, LANGUAGE_COOKIE, Session};
use super::text::Common;
use crate::auth::{AuthUser, Role};
use crate::error::{AppError, FieldError};
use crate::i18n::Locale;
use crate::state::AppState;

pub struct Page {
    pub locale: Locale,
    pub t: &'static Common,
    pub viewer: Option<AuthUser>,
    pub csrf: String,
    /// The path and query asked for: where sign-in returns to.
    pub path: String,
    state: web::Data<AppState>,
    refresh: Option<String>,
    cookies: Vec<Cookie<'static>>,
}

impl FromRequest for Page {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("application state missing")))?;
            let Session {
                viewer,
                renewed,
                refresh_refused,
                csrf,
                new_csrf,
            } = session::open(&req, &state).await;
            let refresh = match &renewed {
                Some(pair) => Some(pair.refresh_token.clone()),
                None if refresh_refused => None,
                None => req.cookie(session::REFRESH_COOKIE).map(|c| c.value().to_string()),
            };
            let mut cookies = Vec::new();
            if let Some(pair) = &renewed {
                cookies.extend(session::sign_in_cookies(&state.settings, &state.jwt, pair));
            }
            if refresh_refused {
                cookies.extend(session::sign_out_cookies(&state.settings));
            }
            if new_csrf {
                cookies.push(session::csrf_cookie(&state.settings, csrf.clone()));
            }
            let locale = locale_of(&req);
            let path = match req.uri().path_and_query() {
                Some(pq) => pq.as_str().to_string(),
                None => "/".to_string(),
            };
            Ok(Page {
                locale,
                t: Common::of(locale),
                viewer,
                csrf,
                path,
                state,
                refresh,
                cookies,
            })
        })
    }
}

/// The language chosen with the switch, else the browser's.
fn locale_of(req: &HttpRequest) -> Locale {
    req.cookie(LANGUAGE_COOKIE)
        .and_then(|c| Locale::from_tag(c.value()))
        .unwrap_or_else(|| Locale::from_request(req))
}

impl Page {
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The state, to hold across an `.await` while the page itself moves on.
    pub fn state_data(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// The session's refresh token, for signing out.
    pub fn refresh_token(&self) -> Option<String> {
        self.refresh.clone()
    }

    pub fn role(&self) -> Option<Role> {
        self.viewer.as_ref().map(|v| v.role)
    }

    pub fn is(&self, role: Role) -> bool {
        self.role() == Some(role)
    }

    pub fn is_agency(&self) -> bool {
        matches!(self.role(), Some(Role::AgencyOfficer | Role::Admin))
    }

    /// The signed-in person, or the sign-in page (which comes back here).
    pub fn signed_in(&self) -> Result<&AuthUser, AppError> {
        self.viewer
            .as_ref()
            .ok_or_else(|| AppError::Unauthorized("sign in to see this page".into()))
    }

    /// A form sent by the signed-in person: both, or why not (the form's refusal first).
    pub fn signed_in_with<T>(&self, form: super::form::Posted<T>) -> Result<(T, AuthUser), AppError> {
        let form = form.accept()?;
        Ok((form, self.signed_in()?.clone()))
    }

    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }

    /// `next` for a link back to this page, percent-encoded.
    pub fn here(&self) -> String {
        encode(&self.path)
    }

    pub fn add_cookie(&mut self, cookie: Cookie<'static>) {
        self.cookies.push(cookie);
    }

    fn answer(self, status: StatusCode) -> HttpResponseBuilder {
        let mut builder = HttpResponse::build(status);
        for cookie in self.cookies {
            builder.cookie(cookie);
        }
        builder
    }

    /// The page's HTML (see `render`), or the page that says why not.
    pub fn respond(self, html: Result<String, AppError>) -> HttpResponse {
        self.respond_with(StatusCode::OK, html)
    }

    pub fn respond_with(self, status: StatusCode, html: Result<String, AppError>) -> HttpResponse {
        match html {
            Ok(html) => self.html(status, html),
            Err(error) => self.fail(error),
        }
    }

    pub fn html(self, status: StatusCode, html: String) -> HttpResponse {
        self.answer(status).content_type(ContentType::html()).body(html)
    }

    /// 303 See Other: after a form, the browser asks for `to` with GET.
    pub fn redirect(self, to: &str) -> HttpResponse {
        self.answer(StatusCode::SEE_OTHER)
            .insert_header((LOCATION, to.to_string()))
            .finish()
    }

    /// A service's refusal in the page's language.
    pub fn refusal(&self, message: &str) -> String {
        refusals::in_locale(message, self.locale).into_owned()
    }

    /// A form's field problems, as the service or the form reported them, in the page's language.
    pub fn form_errors(&self, errors: Vec<FieldError>) -> FormErrors {
        FormErrors(
            errors
                .into_iter()
                .map(|e| FieldError {
                    message: self.refusal(&e.message),
                    field: e.field,
                })
                .collect(),
        )
    }

    /// The field problems of an error page, in one line.
    fn describe(&self, errors: &[FieldError]) -> String {
        errors
            .iter()
            .map(|e| format!("{}: {}", e.field, self.refusal(&e.message)))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Signed out (or expired): the sign-in page, which returns here. Anything else: a page
    /// with the status the API would answer.
    pub fn fail(self, error: AppError) -> HttpResponse {
        if let AppError::Unauthorized(_) = error {
            let back = if self.path.starts_with("/sign-in") {
                "/".to_string()
            } else {
                self.path.clone()
            };
            let to = format!("/sign-in?next={}", encode(&back));
            let mut page = self;
            // A stale session is forgotten, so the sign-in page does not try it again.
            let forget = session::sign_out_cookies(&page.state.settings);
            page.cookies.extend(forget);
            return page.redirect(&to);
        }
        let t = self.t;
        let (status, title, text) = match &error {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                t.not_found_title,
                t.not_found_text.to_string(),
            ),
            AppError::Forbidden(why) => (StatusCode::FORBIDDEN, t.forbidden_title, self.refusal(why)),
            AppError::Conflict(why) => (StatusCode::CONFLICT, t.conflict_title, self.refusal(why)),
            AppError::Validation(errors) | AppError::BadRequest { errors, .. } if !errors.is_empty() => (
                StatusCode::UNPROCESSABLE_ENTITY,
                t.invalid_title,
                self.describe(errors),
            ),
            AppError::BadRequest { detail, .. } => {
                (StatusCode::BAD_REQUEST, t.invalid_title, self.refusal(detail))
            }
            AppError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, t.invalid_title, String::new()),
            AppError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, t.busy_title, String::new()),
            AppError::PayloadTooLarge { .. } | AppError::UnsupportedMediaType(_) => {
                (StatusCode::BAD_REQUEST, t.invalid_title, error.to_string())
            }
            AppError::Unavailable(_) | AppError::Unexpected(_) | AppError::Unauthorized(_) => {
                tracing::error!(error = %error, "a page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    t.error_title,
                    t.error_text.to_string(),
                )
            }
        };
        let template = ErrorPage {
            page: &self,
            title,
            text: &text,
        };
        match template.render() {
            Ok(html) => self.html(status, html),
            Err(_) => self.answer(status).finish(),
        }
    }
}

/// A template's HTML; a template that fails to render is a defect, answered 500.
pub fn render(template: &impl Template) -> Result<String, AppError> {
    template
        .render()
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("a page template failed to render: {e}")))
}

pub fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Where a sign-in may return to: a path of this site, never another site (`//host`, `/\host`).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(next) if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") => {
            next.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Template)]
#[template(path = "web/error.html")]
struct ErrorPage<'a> {
    page: &'a Page,
    title: &'a str,
    text: &'a str,
}

/// Field problems of a form, shown beside the fields, in the page's language
/// (`Page::form_errors`).
#[derive(Debug, Default)]
pub struct FormErrors(Vec<FieldError>);

impl FormErrors {
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems no field of the form shows.
    pub fn others<'a>(&'a self, fields: &'a [&str]) -> impl Iterator<Item = &'a FieldError> + 'a {
        self.0.iter().filter(move |e| !fields.contains(&e.field.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn sign_in_returns_only_to_this_site() {
        assert_eq!(safe_next(Some("/jobs/1?x=2")), "/jobs/1?x=2");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
