//! A JSON body extractor that names the offending field in its errors and enforces the content
//! type and a size limit, answering with problem+json like everything else.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldError};

/// The largest body accepted, stored as app data; 64 KiB unless configured.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

impl Default for BodyLimit {
    fn default() -> Self {
        BodyLimit(64 * 1024)
    }
}

/// `JsonBody<T>`: the request body parsed as JSON into `T`.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T> JsonBody<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<BodyLimit>>()
            .map(|l| l.0)
            .unwrap_or_else(|| BodyLimit::default().0);
        let checks = check_content_type(req).and_then(|()| check_declared_length(req, limit));
        let mut payload = payload.take();
        Box::pin(async move {
            checks?;
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk =
                    chunk.map_err(|e| AppError::bad_request(format!("could not read the body: {e}")))?;
                if body.len() + chunk.len() > limit {
                    return Err(AppError::PayloadTooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(JsonBody)
        })
    }
}

fn check_content_type(req: &HttpRequest) -> Result<(), AppError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json")) {
        Ok(())
    } else {
        Err(AppError::UnsupportedMediaType(format!(
            "expected Content-Type application/json, got {:?}",
            if content_type.is_empty() {
                "nothing"
            } else {
                content_type
            }
        )))
    }
}

fn check_declared_length(req: &HttpRequest, limit: usize) -> Result<(), AppError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    match declared {
        Some(length) if length > limit => Err(AppError::PayloadTooLarge { limit }),
        _ => Ok(()),
    }
}

/// Parses JSON, turning serde's message into a field error: the field is the path to the value
/// that failed, or the name of a missing or unknown field.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let mut value: serde_json::Value = serde_json::from_slice(body).map_err(|error| {
        let message = strip_position(&error.to_string());
        AppError::bad_request(format!("the body is not valid JSON: {message}"))
    })?;
    integral_numbers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = strip_position(&error.into_inner().to_string());
        let field = match missing_field(&message) {
            Some(name) if path == "." => name.to_owned(),
            Some(name) => format!("{path}.{name}"),
            None => path,
        };
        AppError::BadRequest {
            detail: format!("the body does not match the expected shape at `{field}`: {message}"),
            errors: vec![FieldError::new(field, message)],
        }
    })
}

/// JSON has one number type: `1000.0` is the integer 1000 (JSON Schema says so too), and clients
/// that hold numbers as floats send it that way. serde refuses a float for an integer field, so
/// whole numbers within the integer range become integers first (found by the API fuzzer: a
/// salary of `947406840.0` was a 400). Floats still deserialize from them where one is wanted.
fn integral_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(number) => {
            let whole = number.as_f64().filter(|f| number.is_f64() && f.fract() == 0.0);
            // -2^63 and 2^63 are exact as f64, so this range is exactly i64's.
            let range = i64::MIN as f64..-(i64::MIN as f64);
            if let Some(f) = whole.filter(|f| range.contains(f)) {
                *number = (f as i64).into();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(fields) => fields.values_mut().for_each(integral_numbers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// serde's path stops at the object that lacks a field; "missing field `email`" names it.
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        email: String,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        level: u8,
    }

    fn field_of(error: AppError) -> String {
        match error {
            AppError::BadRequest { errors, .. } => errors[0].field.clone(),
            other => panic!("expected a bad request, got {other:?}"),
        }
    }

    #[test]
    fn wrong_type_names_the_nested_field() {
        let error = parse_json::<Body>(br#"{"email":"a@b.c","inner":{"level":"high"}}"#).unwrap_err();
        assert_eq!(field_of(error), "inner.level");
    }

    #[test]
    fn missing_and_unknown_fields_are_named() {
        assert_eq!(field_of(parse_json::<Body>(b"{}").unwrap_err()), "email");
        let error = parse_json::<Body>(br#"{"email":"a@b.c","role":"admin"}"#).unwrap_err();
        assert_eq!(field_of(error), "role");
    }

    #[test]
    fn whole_numbers_written_as_floats_are_integers() {
        let body = parse_json::<Body>(br#"{"email":"a@b.c","inner":{"level":3.0}}"#).unwrap();
        assert_eq!(body.inner.unwrap().level, 3);
        let error = parse_json::<Body>(br#"{"email":"a@b.c","inner":{"level":3.5}}"#).unwrap_err();
        assert_eq!(field_of(error), "inner.level");
        let error = parse_json::<Body>(br#"{"email":"a@b.c","inner":{"level":1e300}}"#).unwrap_err();
        assert_eq!(field_of(error), "inner.level");
    }

    #[test]
    fn syntax_errors_have_no_field() {
        match parse_json::<Body>(b"{\"email\":").unwrap_err() {
            AppError::BadRequest { errors, detail } => {
                assert!(errors.is_empty());
                assert!(detail.contains("not valid JSON"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
    }
}
