//! The route finder's endpoints.

use actix_web::{HttpRequest, web};
use utoipa::OpenApi;

use super::finder::RouteStatus;
use super::views::{ChannelView, RouteView, RoutesAnswer, RoutesQuery, StepView};
use super::{Whose, routes};
use crate::auth::AuthUser;
use crate::error::{AppError, Problem};
use crate::http::problems;
use crate::i18n::Locale;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `me` first: `/candidates/{id}/routes` would take it as an id.
    cfg.service(web::resource("/candidates/me/routes").get(own_routes))
        .service(web::resource("/candidates/{id}/routes").get(candidate_routes));
}

/// This area's part of the OpenAPI document (merged in `crate::openapi`).
#[derive(OpenApi)]
#[openapi(
    paths(own_routes, candidate_routes),
    components(schemas(RoutesAnswer, RouteView, RouteStatus, StepView, ChannelView)),
    tags((name = "routes", description = "Which permit or visa routes let a candidate work across the boundary, judged on their situation and a job"))
)]
pub struct Doc;

#[utoipa::path(get, path = "/api/v1/candidates/me/routes", tag = "routes", security(("bearer" = [])),
    params(RoutesQuery),
    responses((status = 200, description = "Every route into `to`, ranked already_authorised, eligible, possible, not_eligible; texts in the caller's language", body = RoutesAnswer),
              (status = 404, description = "No profile yet, or a job the caller may not see", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "`to` is not a jurisdiction of the registry", body = Problem, content_type = "application/problem+json"),
              problems::Unauthorized, problems::NotCandidate))]
pub async fn own_routes(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<RoutesQuery>,
) -> Result<web::Json<RoutesAnswer>, AppError> {
    let locale = Locale::from_request(&req);
    Ok(web::Json(
        routes(&state, &user, Whose::Me, query.into_inner(), locale).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/candidates/{id}/routes", tag = "routes", security(("bearer" = [])),
    params(("id" = String, Path), RoutesQuery),
    responses((status = 200, description = "The candidate's routes into `to` (agency staff; the reading is audited)", body = RoutesAnswer),
              (status = 404, description = "No such candidate, or no such job", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "`to` is not a jurisdiction of the registry", body = Problem, content_type = "application/problem+json"),
              problems::Unauthorized, problems::NotStaff))]
pub async fn candidate_routes(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<String>,
    query: web::Query<RoutesQuery>,
) -> Result<web::Json<RoutesAnswer>, AppError> {
    let locale = Locale::from_request(&req);
    let whose = Whose::Candidate(id.into_inner());
    Ok(web::Json(
        routes(&state, &user, whose, query.into_inner(), locale).await?,
    ))
}
