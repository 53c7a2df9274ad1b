//! `GET /api/v1/analytics/overview` for the agency.

use actix_web::web;
use chrono::Utc;
use utoipa::OpenApi;

use super::store::{self, Overview};
use crate::auth::AuthUser;
use crate::error::{AppError, Problem};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/analytics/overview").get(overview));
}

/// This area's part of the OpenAPI document (merged in `crate::openapi`).
#[derive(OpenApi)]
#[openapi(
    paths(overview),
    components(schemas(Overview)),
    tags((name = "analytics", description = "Counts over the marketplace and the agency's cases"))
)]
pub struct Doc;

#[utoipa::path(get, path = "/api/v1/analytics/overview", tag = "analytics", security(("bearer" = [])),
    responses(
        (status = 200, body = Overview),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Agency only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn overview(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Overview>, AppError> {
    user.require_agency()?;
    let overview = state
        .db
        .read(|conn| {
            Ok(store::overview(
                conn,
                Utc::now().naive_utc(),
                crate::cases::today(),
            )?)
        })
        .await?;
    Ok(web::Json(overview))
}
