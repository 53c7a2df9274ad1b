//! `Posted<T>`: a submitted HTML form whose CSRF token matched the session's. The body is read
//! within the service's body limit; a form without the token, or with another session's, is
//! refused before the handler runs. Every field arrives as text, so a form with a mistyped value
//! is shown again with the problem beside the field instead of failing to parse.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest, web};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::session::{CSRF_COOKIE, same_token};
use crate::error::AppError;

pub struct Posted<T>(Result<T, AppError>);

impl<T> Posted<T> {
    /// The form, or why it was refused (shown by `Page::fail`).
    pub fn accept(self) -> Result<T, AppError> {
        self.0
    }
}

#[derive(Deserialize)]
struct Token {
    csrf: Option<String>,
}

impl<T: DeserializeOwned + 'static> FromRequest for Posted<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let form = match body.await {
                Ok(bytes) => read(&req, &bytes),
                Err(_) => Err(AppError::BadRequest {
                    detail: "the form could not be read (too large?)".into(),
                    errors: vec![],
                }),
            };
            Ok(Posted(form))
        })
    }
}

fn read<T: DeserializeOwned>(req: &HttpRequest, bytes: &[u8]) -> Result<T, AppError> {
    let urlencoded = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !urlencoded {
        return Err(AppError::UnsupportedMediaType(
            "send the form as application/x-www-form-urlencoded".into(),
        ));
    }
    let sent = serde_urlencoded::from_bytes::<Token>(bytes)
        .ok()
        .and_then(|t| t.csrf)
        .unwrap_or_default();
    let kept = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    if kept.is_empty() || !same_token(&sent, &kept) {
        return Err(AppError::Forbidden(
            "this form has expired or was not sent from this site: reload the page and send it again".into(),
        ));
    }
    serde_urlencoded::from_bytes::<T>(bytes).map_err(|e| AppError::BadRequest {
        detail: format!("the form is malformed: {e}"),
        errors: vec![],
    })
}
