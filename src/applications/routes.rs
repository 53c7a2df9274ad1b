//! HTTP endpoints of this area.

use actix_web::web;
use utoipa::OpenApi;

pub fn configure(_cfg: &mut web::ServiceConfig) {}

/// This area's part of the OpenAPI document (merged in `crate::openapi`).
#[derive(OpenApi)]
#[openapi(paths())]
pub struct Doc;
