//! Job endpoints, and an employer's job list. Open jobs need no sign-in; a token, when sent,
//! must be valid (401 otherwise) and lets members and agency staff see drafts and closed jobs.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};

use super::input::{JobInput, JobPatch, QualificationRequirement, SkillRequirement};
use super::views::{JobEmployerView, JobView};
use super::{lifecycle, service};
use crate::auth::AuthUser;
use crate::error::{AppError, Problem};
use crate::http::{JsonBody, problems};
use crate::paging::{Listing, Page, PageQuery};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Issue 5 adds `/jobs/search`: register it before `/jobs/{id}`.
    cfg.service(web::resource("/jobs").post(create))
        .service(web::resource("/jobs/{id}").get(get).patch(update))
        .service(web::resource("/jobs/{id}/publish").post(publish))
        .service(web::resource("/jobs/{id}/close").post(close))
        .service(web::resource("/employers/{id}/jobs").get(employer_jobs));
}

/// The caller when a bearer token is sent, or nobody.
pub struct MaybeUser(pub Option<AuthUser>);

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if req.headers().contains_key(AUTHORIZATION) {
            ready(
                AuthUser::from_request(req, payload)
                    .into_inner()
                    .map(|u| MaybeUser(Some(u))),
            )
        } else {
            ready(Ok(MaybeUser(None)))
        }
    }
}

#[utoipa::path(post, path = "/api/v1/jobs", tag = "jobs", security(("bearer" = [])),
    request_body = JobInput,
    responses((status = 201, description = "A draft", body = JobView),
              (status = 403, description = "Not an employer account, or not a member of `employer_id`", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Invalid values, each field named (an unknown `employer_id` too)", body = Problem, content_type = "application/problem+json"),
              problems::BadRequest, problems::Unauthorized))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: JsonBody<JobInput>,
) -> Result<HttpResponse, AppError> {
    let view = service::create(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs", security((), ("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "Open jobs: anyone; drafts, closed and expired jobs: members and agency staff", body = JobView),
              (status = 401, description = "A token was sent and is invalid", body = Problem, content_type = "application/problem+json"),
              problems::NotFound))]
pub async fn get(
    state: web::Data<AppState>,
    user: MaybeUser,
    id: web::Path<String>,
) -> Result<web::Json<JobView>, AppError> {
    Ok(web::Json(service::get(&state, user.0, id.into_inner()).await?))
}

#[utoipa::path(patch, path = "/api/v1/jobs/{id}", tag = "jobs", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = JobPatch,
    responses((status = 200, body = JobView),
              (status = 403, description = "Not a member (for a job the caller may see)", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "The job is closed", body = Problem, content_type = "application/problem+json"),
              problems::BadRequest, problems::NotFound, problems::Unprocessable))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: JsonBody<JobPatch>,
) -> Result<web::Json<JobView>, AppError> {
    Ok(web::Json(
        service::update(&state, &user, id.into_inner(), body.into_inner()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/jobs/{id}/publish", tag = "jobs", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "Open", body = JobView),
              (status = 409, description = "Not a draft, or the employer is not verified", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "The expiry has passed", body = Problem, content_type = "application/problem+json"),
              problems::Forbidden, problems::NotFound))]
pub async fn publish(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<JobView>, AppError> {
    Ok(web::Json(
        lifecycle::publish(&state, &user, id.into_inner()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/jobs/{id}/close", tag = "jobs", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "Closed", body = JobView),
              (status = 409, description = "Not open", body = Problem, content_type = "application/problem+json"),
              problems::Forbidden, problems::NotFound))]
pub async fn close(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<JobView>, AppError> {
    Ok(web::Json(lifecycle::close(&state, &user, id.into_inner()).await?))
}

#[utoipa::path(get, path = "/api/v1/employers/{id}/jobs", tag = "jobs", security((), ("bearer" = [])),
    params(("id" = String, Path), PageQuery),
    responses((status = 200, description = "Members and agency staff: every job, newest first; others: open jobs", body = Listing<JobView>),
              (status = 401, description = "A token was sent and is invalid", body = Problem, content_type = "application/problem+json"),
              problems::NotFound))]
pub async fn employer_jobs(
    state: web::Data<AppState>,
    user: MaybeUser,
    id: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Listing<JobView>>, AppError> {
    let page = Page::new(query.limit, query.offset);
    let (items, total) = service::list_for_employer(&state, user.0, id.into_inner(), page).await?;
    Ok(web::Json(Listing::new(items, total, page)))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(create, get, update, publish, close, employer_jobs),
    components(schemas(JobView, JobEmployerView, JobInput, JobPatch, SkillRequirement, QualificationRequirement)),
    tags((name = "jobs", description = "Job postings and their lifecycle"))
)]
pub struct Doc;
