//! One error type for the whole service, rendered as RFC 9457 `application/problem+json`.
//! Unexpected failures are logged with their cause chain and answered with an opaque 500.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// What a 503 tells clients to wait before trying again: outages worth a 503 (the database
/// restarting, the pool reconnecting) are seconds long.
pub const RETRY_UNAVAILABLE_AFTER_SECS: u64 = 5;

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `password` or `skills[2].level`.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Well-formed request with values that break a rule (422).
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// Malformed body, query or syntax (400).
    #[error("bad request: {detail}")]
    BadRequest { detail: String, errors: Vec<FieldError> },
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        AppError::BadRequest {
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            AppError::Validation(_) => ("validation-error", "Your request has invalid values"),
            AppError::BadRequest { .. } => ("bad-request", "The request is malformed"),
            AppError::Unauthorized(_) => ("unauthorized", "Authentication is required"),
            AppError::Forbidden(_) => ("forbidden", "You are not allowed to do this"),
            AppError::NotFound => ("not-found", "Not found"),
            AppError::Conflict(_) => ("conflict", "The request conflicts with the current state"),
            AppError::PayloadTooLarge { .. } => ("payload-too-large", "The request body is too large"),
            AppError::UnsupportedMediaType(_) => ("unsupported-media-type", "Unsupported content type"),
            AppError::TooManyRequests { .. } => ("too-many-requests", "Too many requests"),
            AppError::Unavailable(_) => ("unavailable", "The service is temporarily unavailable"),
            AppError::Unexpected(_) => ("internal", "Internal server error"),
        }
    }

    fn detail(&self) -> String {
        match self {
            AppError::Validation(errors) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                format!("invalid value for: {}", fields.join(", "))
            }
            AppError::BadRequest { detail, .. } => detail.clone(),
            AppError::Unauthorized(detail)
            | AppError::Forbidden(detail)
            | AppError::Conflict(detail)
            | AppError::UnsupportedMediaType(detail)
            | AppError::Unavailable(detail) => detail.clone(),
            AppError::NotFound => "the resource does not exist or you may not see it".into(),
            AppError::PayloadTooLarge { limit } => format!("the body exceeds the limit of {limit} bytes"),
            AppError::TooManyRequests { retry_after_secs } => {
                format!("slow down; try again in {retry_after_secs} seconds")
            }
            AppError::Unexpected(_) => "something went wrong on our side; it has been logged".into(),
        }
    }

    fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation(errors) | AppError::BadRequest { errors, .. } => errors,
            _ => &[],
        }
    }
}

/// The problem document as sent to clients.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(slug: &str, title: &str, status: StatusCode, detail: String) -> Self {
        Self {
            kind: format!("/problems/{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            errors: Vec::new(),
        }
    }

    pub fn into_response(self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        HttpResponse::build(status).content_type(PROBLEM_JSON).json(self)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Unexpected(cause) => tracing::error!(error = ?cause, "unexpected error"),
            AppError::Unavailable(detail) => tracing::warn!(%detail, "service unavailable"),
            _ => {}
        }
        let (slug, title) = self.slug_and_title();
        let mut problem = Problem::new(slug, title, self.status_code(), self.detail());
        problem.errors = self.field_errors().to_vec();
        let mut response = problem.into_response();
        let extra = match self {
            AppError::TooManyRequests { retry_after_secs } => {
                Some((header::RETRY_AFTER, retry_after_secs.to_string()))
            }
            AppError::Unauthorized(_) => Some((header::WWW_AUTHENTICATE, "Bearer".to_owned())),
            AppError::Unavailable(_) => Some((header::RETRY_AFTER, RETRY_UNAVAILABLE_AFTER_SECS.to_string())),
            _ => None,
        };
        if let Some((name, value)) = extra
            && let Ok(value) = HeaderValue::from_str(&value)
        {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

impl From<DieselError> for AppError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => AppError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::Conflict("a record with these values already exists".into())
            }
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            ) => AppError::Unavailable("the database connection was lost".into()),
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)
                if is_sqlite_storage_failure(info.message()) =>
            {
                tracing::warn!(error = info.message(), "the database cannot store anything now");
                AppError::Unavailable("the database cannot store anything now".into())
            }
            other => AppError::Unexpected(anyhow::Error::new(other)),
        }
    }
}

/// SQLite's words for a database it cannot write at the moment — a full or read-only disk, an
/// I/O error, a lock held past the busy timeout: the storage is unavailable, the request is not
/// wrong. diesel passes them on as `Unknown` with SQLite's message, one of SQLite's fixed texts
/// (`sqlite3_errstr`).
fn is_sqlite_storage_failure(message: &str) -> bool {
    const FAILURES: [&str; 5] = [
        "database or disk is full",
        "attempt to write a readonly database",
        "disk I/O error",
        "unable to open database file",
        "database is locked",
    ];
    FAILURES.iter().any(|failure| message.starts_with(failure))
}

impl From<diesel::r2d2::PoolError> for AppError {
    /// The pool's error names the database's host and port: logged, never sent.
    fn from(error: diesel::r2d2::PoolError) -> Self {
        tracing::warn!(%error, "no database connection");
        AppError::Unavailable("no database connection available".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    #[actix_web::test]
    async fn unexpected_errors_hide_their_cause() {
        let error = AppError::Unexpected(anyhow::anyhow!("SELECT secret FROM users failed"));
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = to_bytes(response.into_body()).await.unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(!text.contains("SELECT"), "{text}");
        assert!(text.contains("\"status\":500"), "{text}");
    }

    fn database_error(kind: DatabaseErrorKind, message: &str) -> AppError {
        AppError::from(DieselError::DatabaseError(kind, Box::new(message.to_owned())))
    }

    #[test]
    fn unique_violation_is_a_conflict() {
        let error = database_error(DatabaseErrorKind::UniqueViolation, "duplicate key");
        assert_eq!(error.status_code(), StatusCode::CONFLICT);
    }

    #[test]
    fn a_full_sqlite_disk_is_unavailable_not_unexpected() {
        let error = database_error(DatabaseErrorKind::Unknown, "database or disk is full");
        assert_eq!(error.status_code(), StatusCode::SERVICE_UNAVAILABLE);
        let error = database_error(DatabaseErrorKind::Unknown, "no such table: jobs");
        assert_eq!(error.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn unavailable_is_a_problem_with_retry_after() {
        let response = AppError::Unavailable("the database connection was lost".into()).error_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "5");
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_JSON
        );
    }

    #[test]
    fn too_many_requests_carries_retry_after() {
        let response = AppError::TooManyRequests { retry_after_secs: 42 }.error_response();
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "42");
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_JSON
        );
    }
}
