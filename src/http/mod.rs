//! HTTP plumbing shared by every area: body and query extraction, the problem+json fallback for
//! errors actix produces itself, request ids, security headers and request metrics.

pub mod client_addr;
pub mod json;
pub mod metrics;
pub mod problems;
pub mod request_span;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{HttpMessage, HttpResponse, web};
use tracing_actix_web::RequestId;

use crate::error::{AppError, PROBLEM_JSON, Problem};
use crate::settings::Environment;
use crate::state::AppState;

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
    // The web pages' own error pages are HTML and stay so.
    let is_answered = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()) || v.as_bytes().starts_with(b"text/html")
    });
    if is_answered {
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

/// The content security policy of the API's answers: JSON needs nothing loaded.
const CSP_API: &str = "default-src 'none'; frame-ancestors 'none'";
/// The web pages (src/web): their own stylesheet and script from the binary, no inline script or
/// style, forms only to this site, fetches (autocomplete) only to this site.
const CSP_WEB: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/// The API docs page (swagger-ui served from the binary): its own scripts, styles (swagger-ui
/// sets inline styles), images (some are data: URIs) and the OpenAPI document, nothing else.
const CSP_DOCS: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'none'";
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Echoes the request id (made by the tracing middleware) so a client can quote it, and sets
/// the security headers on every answer, errors included: no sniffing, no framing, no referrer,
/// a content security policy, `Cache-Control: no-store` on everything but the docs page (API
/// answers carry personal data and tokens; a handler that sets its own `Cache-Control` keeps
/// it), and HSTS in production (where the service is behind TLS).
pub async fn response_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let production = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.settings.environment == Environment::Production);
    let docs = req.path() == "/docs" || req.path().starts_with("/docs/");
    let api = req.path().starts_with("/api/")
        || req.path().starts_with("/healthz")
        || req.path().starts_with("/readyz");
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
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if docs {
            CSP_DOCS
        } else if api {
            CSP_API
        } else {
            CSP_WEB
        }),
    );
    if !docs && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if production {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    Ok(res)
}

/// The methods and request headers a cross-origin caller may use, and the answer headers it may read.
const CORS_METHODS: &str = "GET, POST, PUT, PATCH, DELETE";
const CORS_REQUEST_HEADERS: &str = "Authorization, Content-Type";
const CORS_EXPOSED_HEADERS: &str = "X-Request-Id, Retry-After, Location";

/// CORS, denied by default: an answer carries CORS headers only when the request's `Origin` is
/// one of `application.cors_allowed_origins` (exact match); a preflight from such an origin is
/// answered 204 here. Any other origin gets no CORS header at all, so browsers keep its pages
/// from reading the answers. Credentials (cookies) are never allowed: the API uses bearer tokens.
pub async fn cors<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let allowed_origin = req
        .headers()
        .get(header::ORIGIN)
        .filter(|origin| {
            req.app_data::<web::Data<AppState>>().is_some_and(|state| {
                state
                    .settings
                    .application
                    .cors_allowed_origins
                    .iter()
                    .any(|allowed| allowed.trim().trim_end_matches('/').as_bytes() == origin.as_bytes())
            })
        })
        .cloned();
    let Some(origin) = allowed_origin else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let preflight =
        req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let response = HttpResponse::NoContent()
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin))
            .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, CORS_METHODS))
            .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, CORS_REQUEST_HEADERS))
            .insert_header((header::ACCESS_CONTROL_MAX_AGE, "600"))
            .insert_header((header::VARY, "Origin"))
            .finish();
        return Ok(req.into_response(response).map_into_right_body());
    }
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(CORS_EXPOSED_HEADERS),
    );
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    Ok(res.map_into_left_body())
}

/// A 202 with a small JSON acknowledgement, for requests whose effect is deliberately not told.
pub fn accepted(message: &str) -> HttpResponse {
    HttpResponse::Accepted().json(serde_json::json!({ "status": "accepted", "message": message }))
}
