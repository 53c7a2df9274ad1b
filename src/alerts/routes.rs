//! `GET/POST /api/v1/saved-searches`, `DELETE /api/v1/saved-searches/{id}`: thin handlers over
//! `service`.

use actix_web::{HttpResponse, web};
use utoipa::OpenApi;

use super::model::{Frequency, SavedFilters};
use super::service::{self, FiltersInput, SavedSearchInput, SavedSearchView};
use crate::auth::{AuthUser, Role};
use crate::error::{AppError, Problem};
use crate::http::{JsonBody, problems};
use crate::paging::{Listing, Page, PageQuery};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/saved-searches").get(list).post(create))
        .service(web::resource("/saved-searches/{id}").delete(delete));
}

/// This area's part of the OpenAPI document (merged in `crate::openapi`).
#[derive(OpenApi)]
#[openapi(
    paths(list, create, delete),
    components(schemas(
        SavedSearchInput, FiltersInput, SavedSearchView, SavedFilters, Frequency, service::SavedSearchExport
    )),
    tags((name = "saved-searches", description = "Candidates' saved job searches, emailed as alerts"))
)]
pub struct Doc;

fn candidate_only(user: &AuthUser) -> Result<(), AppError> {
    user.require(&[Role::Candidate])
}

#[utoipa::path(get, path = "/api/v1/saved-searches", tag = "saved-searches", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "The caller's saved searches, oldest first", body = Listing<SavedSearchView>),
              problems::Unauthorized, problems::NotCandidate))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Listing<SavedSearchView>>, AppError> {
    candidate_only(&user)?;
    let page = Page::new(query.limit, query.offset);
    let rows = service::list(&state, user.id).await?;
    let total = rows.len() as i64;
    let items = rows
        .iter()
        .skip(page.offset as usize)
        .take(page.limit as usize)
        .map(SavedSearchView::from)
        .collect();
    Ok(web::Json(Listing::new(items, total, page)))
}

#[utoipa::path(post, path = "/api/v1/saved-searches", tag = "saved-searches", security(("bearer" = [])),
    request_body = SavedSearchInput,
    responses((status = 201, description = "Saved; new jobs published from now on are mailed", body = SavedSearchView),
              (status = 400, description = "Malformed body or unknown field", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "The candidate keeps the most saved searches allowed (20)", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Bad frequency, query or filter values, each field named", body = Problem, content_type = "application/problem+json"),
              problems::Unauthorized, problems::NotCandidate))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: JsonBody<SavedSearchInput>,
) -> Result<HttpResponse, AppError> {
    candidate_only(&user)?;
    let row = service::create(&state, &state.search, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(SavedSearchView::from(&row)))
}

#[utoipa::path(delete, path = "/api/v1/saved-searches/{id}", tag = "saved-searches", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204, description = "Deleted; no more alerts from it"),
              problems::Unauthorized, problems::NotCandidate, problems::NotCallers))]
pub async fn delete(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    candidate_only(&user)?;
    service::delete(&state, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
