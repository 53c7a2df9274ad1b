//! The span each request is logged under. tracing-actix-web's default span takes the client's
//! address from `Forwarded` / `X-Forwarded-For` whoever sent them, so a log line would name
//! whatever address a client chose; here it is the address the limits use ([`ClientAddr`]):
//! forwarding headers only from `application.trusted_proxies`.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing::field::{Empty, display};
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

use super::client_addr::ClientAddr;

pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        use actix_web::HttpMessage;
        let route = request.match_pattern().unwrap_or_else(|| "default".to_owned());
        let request_id = request.extensions().get::<RequestId>().copied();
        let client = ClientAddr::of(request.request()).0;
        let span = tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %request.uri().path(),
            http.client_ip = Empty,
            http.status_code = Empty,
            otel.status_code = Empty,
            request_id = Empty,
            exception.message = Empty,
            exception.details = Empty,
        );
        if let Some(client) = client {
            span.record("http.client_ip", display(client));
        }
        if let Some(request_id) = request_id {
            span.record("request_id", display(request_id));
        }
        span
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
