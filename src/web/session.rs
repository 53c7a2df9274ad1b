//! The browser's session: the API's own token pair, kept in HttpOnly cookies, so a page is allowed
//! exactly what the same person could do with the API and nothing is duplicated. The access token
//! lives 15 minutes; when it has expired, the refresh token (rotated, as the API rotates it)
//! renews the pair on the next page. Forms carry a CSRF token that must equal the `tb_csrf`
//! cookie (double submit); with `SameSite=Lax` cookies a cross-site form cannot reach a signed-in
//! action twice over.

use actix_web::cookie::time::Duration as CookieAge;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpMessage, HttpRequest};

use crate::auth::AuthUser;
use crate::auth::service::{self, TokenPair};
use crate::auth::tokens::{JwtKeys, generate_opaque};
use crate::error::AppError;
use crate::settings::{Environment, Settings};
use crate::state::AppState;

pub const ACCESS_COOKIE: &str = "tb_access";
pub const REFRESH_COOKIE: &str = "tb_refresh";
pub const CSRF_COOKIE: &str = "tb_csrf";
pub const LANGUAGE_COOKIE: &str = "tb_lang";

/// Who the request comes from, and the cookies the answer must set for it.
pub struct Session {
    pub viewer: Option<AuthUser>,
    pub renewed: Option<TokenPair>,
    /// The refresh cookie was refused (invalid, expired, revoked): the answer clears it, so the
    /// next pages do not try it again. A database that fails to answer does not clear it.
    pub refresh_refused: bool,
    pub csrf: String,
    pub new_csrf: bool,
}

pub async fn open(req: &HttpRequest, state: &AppState) -> Session {
    let (csrf, new_csrf) = match req.cookie(CSRF_COOKIE) {
        Some(c) if c.value().len() >= 32 => (c.value().to_string(), false),
        _ => (generate_opaque(), true),
    };
    let request_id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string());
    let from_access = req
        .cookie(ACCESS_COOKIE)
        .and_then(|c| state.jwt.verify(c.value()));
    let (claims, renewed, refresh_refused) = match from_access {
        Some(claims) => (Some(claims), None, false),
        None => match req.cookie(REFRESH_COOKIE).filter(|c| !c.value().is_empty()) {
            Some(refresh) => match service::refresh(state, &state.jwt, refresh.value().to_string()).await {
                Ok(pair) => (state.jwt.verify(&pair.access_token), Some(pair), false),
                Err(AppError::Unauthorized(_)) => (None, None, true),
                Err(_) => (None, None, false),
            },
            None => (None, None, false),
        },
    };
    Session {
        viewer: claims.map(|claims| AuthUser {
            id: claims.sub,
            role: claims.role,
            request_id,
        }),
        renewed,
        refresh_refused,
        csrf,
        new_csrf,
    }
}

/// The cookies that sign a browser in with `pair`.
pub fn sign_in_cookies(settings: &Settings, jwt: &JwtKeys, pair: &TokenPair) -> [Cookie<'static>; 2] {
    [
        cookie(settings, ACCESS_COOKIE, pair.access_token.clone(), jwt.ttl_secs()),
        cookie(
            settings,
            REFRESH_COOKIE,
            pair.refresh_token.clone(),
            settings.auth.refresh_token_ttl_days * 24 * 3600,
        ),
    ]
}

/// The cookies that forget the session.
pub fn sign_out_cookies(settings: &Settings) -> [Cookie<'static>; 2] {
    [
        cookie(settings, ACCESS_COOKIE, String::new(), 0),
        cookie(settings, REFRESH_COOKIE, String::new(), 0),
    ]
}

pub fn csrf_cookie(settings: &Settings, value: String) -> Cookie<'static> {
    // A browser session's worth: a form left open over a week is reloaded anyway.
    cookie(settings, CSRF_COOKIE, value, 7 * 24 * 3600)
}

pub fn language_cookie(settings: &Settings, value: &'static str) -> Cookie<'static> {
    let mut c = cookie(settings, LANGUAGE_COOKIE, value.to_string(), 365 * 24 * 3600);
    // Not a secret: the page's language is no one's business but neither is it sensitive.
    c.set_http_only(false);
    c
}

fn cookie(settings: &Settings, name: &'static str, value: String, max_age_secs: i64) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_path("/");
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(settings.environment == Environment::Production);
    c.set_max_age(CookieAge::seconds(max_age_secs.max(0)));
    c
}

/// Compares without stopping at the first difference, so timing tells nothing of the token.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::same_token;

    #[test]
    fn tokens_match_only_when_equal() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "abcd"));
        assert!(!same_token("", "a"));
    }
}
