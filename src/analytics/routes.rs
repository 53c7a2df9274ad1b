//! `GET /api/v1/analytics/overview` and `/analytics/skill-gap` for the agency.

use actix_web::{HttpRequest, web};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use super::skill_gap::{self, SkillGap};
use super::store::{self, Overview};
use crate::auth::AuthUser;
use crate::error::{AppError, Problem};
use crate::http::problems;
use crate::i18n::Locale;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/analytics/overview").get(overview))
        .service(web::resource("/analytics/skill-gap").get(skill_gap));
}

/// This area's part of the OpenAPI document (merged in `crate::openapi`).
#[derive(OpenApi)]
#[openapi(
    paths(overview, skill_gap),
    components(schemas(Overview, SkillGap)),
    tags((name = "analytics", description = "Counts over the marketplace and the agency's cases"))
)]
pub struct Doc;

#[utoipa::path(get, path = "/api/v1/analytics/overview", tag = "analytics", security(("bearer" = [])),
    responses((status = 200, body = Overview),
              problems::Unauthorized, problems::AgencyOnly))]
pub async fn overview(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Overview>, AppError> {
    user.require_agency()?;
    Ok(web::Json(store::current_overview(&state.db).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SkillGapQuery {
    /// A jurisdiction code (`CN`, `HK`); absent: every jurisdiction, one row per skill and
    /// jurisdiction.
    #[param(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/analytics/skill-gap", tag = "analytics", security(("bearer" = [])),
    params(SkillGapQuery),
    responses((status = 200, description = "Per skill and jurisdiction, open jobs against candidates, the greatest shortage first; labels in the Accept-Language locale", body = Vec<SkillGap>),
              (status = 400, description = "Unknown query parameter", body = Problem, content_type = "application/problem+json"),
              problems::UnknownJurisdiction,
              problems::Unauthorized, problems::AgencyOnly))]
pub async fn skill_gap(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<SkillGapQuery>,
) -> Result<web::Json<Vec<SkillGap>>, AppError> {
    user.require_agency()?;
    let registry = state.registry.get();
    let jurisdiction = query.into_inner().jurisdiction;
    registry.filter_jurisdiction("jurisdiction", jurisdiction.as_deref())?;
    let locale = Locale::from_request(&req);
    let rows = skill_gap::current(&state.db, registry, jurisdiction, locale).await?;
    Ok(web::Json(rows))
}
