//! HTTP plumbing shared by every area: body and query extraction, the problem+json fallback for
//! errors actix produces itself, request ids, security headers and request metrics.

pub mod json;
pub mod metrics;
pub mod pagination;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{HttpMessage, HttpResponse, web};
use tracing_actix_web::RequestId;

use crate::error::{AppError, PROBLEM_JSON, Problem};

pub use json::{BodyLimit, JsonBody};

/// Query strings that do not parse are a 400 naming the problem.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|error, _req| AppError::bad_request(format!("invalid query string: {error}")).into())
}

/// A path segment that does not parse (e.g. a malformed id) names nothing that exists: 404.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_error, _req| AppError::NotFound.into())
}

/// Unknown routes.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// Errors that actix answers itself (405, 404 from a resource without that method, …) come with
/// an empty or plain body; give them the same problem+json shape as ours.
pub fn problem_for_bare_errors<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, original) = res.into_parts();
    let mut response = problem_for_status(status).into_response();
    if let Some(allow) = original.headers().get(header::ALLOW) {
        response.headers_mut().insert(header::ALLOW, allow.clone());
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}

fn problem_for_status(status: StatusCode) -> Problem {
    let (slug, detail) = match status {
        StatusCode::NOT_FOUND => ("not-found", "the resource does not exist or you may not see it"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method-not-allowed",
            "this method is not allowed on this resource",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload-too-large", "the request body is too large"),
        s if s.is_server_error() => ("internal", "something went wrong on our side; it has been logged"),
        _ => ("bad-request", "the request could not be processed"),
    };
    let title = status.canonical_reason().unwrap_or("Error");
    Problem::new(slug, title, status, detail.to_owned())
}

/// Echoes the request id (made by the tracing middleware) so a client can quote it, and sets
/// headers that keep browsers from sniffing or framing API answers.
pub async fn response_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        headers.insert(HeaderName::from_static("x-request-id"), id);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(res)
}

/// A 202 with a small JSON acknowledgement, for requests whose effect is deliberately not told.
pub fn accepted(message: &str) -> HttpResponse {
    HttpResponse::Accepted().json(serde_json::json!({ "status": "accepted", "message": message }))
}
