//! Application endpoints.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::service::{self, Seen};
use super::status::Status;
use crate::auth::AuthUser;
use crate::error::{AppError, Problem};
use crate::http::{JsonBody, problems};
use crate::paging::{Listing, Page};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/jobs/{id}/applications").post(apply))
        .service(web::resource("/applications").get(list))
        .service(web::resource("/applications/{id}").get(get).patch(change_status));
}

/// This area's part of the OpenAPI document (merged in `crate::openapi`).
#[derive(OpenApi)]
#[openapi(
    paths(apply, list, get, change_status),
    components(schemas(ApplicationView, ApplicantView, HistoryEntry, Status))
)]
pub struct Doc;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyRequest {
    #[schema(max_length = 10000)]
    pub cover_letter: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// Employer: `screening`, `interview`, `offer`, `hired`, `rejected`; candidate: `withdrawn`.
    pub status: Status,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// The applicant as the reader may see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantView {
    pub id: String,
    pub display_name: String,
    pub headline: String,
    #[schema(pattern = "^[A-Z]{2}$")]
    pub residence_jurisdiction: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// `null` for the application's first entry.
    pub from_status: Option<Status>,
    pub to_status: Status,
    /// Who made the move; null for a hidden applicant's own moves.
    pub actor_id: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: String,
    pub job_id: String,
    pub job_title: String,
    pub employer_id: String,
    /// Null, like `candidate`, when the applicant is hidden from the reader.
    pub candidate_id: Option<String>,
    /// Null when the reader is an employer the candidate does not share their data with (across
    /// the boundary without consent, or erased): then nothing in the application identifies them
    /// (no candidate id, no cover letter, no actor on their own moves in `history`).
    pub candidate: Option<ApplicantView>,
    pub cover_letter: Option<String>,
    pub status: Status,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Every transition, oldest first, with who made it and when.
    pub history: Vec<HistoryEntry>,
}

impl From<Seen> for ApplicationView {
    fn from(seen: Seen) -> Self {
        let Seen {
            application,
            job,
            candidate,
            history,
        } = seen;
        ApplicationView {
            id: application.id,
            job_id: job.id,
            job_title: job.title,
            employer_id: job.employer_id,
            candidate_id: candidate.as_ref().map(|c| c.id.clone()),
            candidate: candidate.map(|c| ApplicantView {
                id: c.id,
                display_name: c.display_name,
                headline: c.headline,
                residence_jurisdiction: c.residence_jurisdiction,
            }),
            cover_letter: application.cover_letter,
            status: Status::stored(&application.status),
            created_at: application.created_at.and_utc(),
            updated_at: application.updated_at.and_utc(),
            history: history
                .into_iter()
                .map(|e| HistoryEntry {
                    from_status: e.from_status.as_deref().map(Status::stored),
                    to_status: Status::stored(&e.to_status),
                    actor_id: e.actor_id,
                    at: e.at.and_utc(),
                })
                .collect(),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/jobs/{id}/applications", tag = "applications", security(("bearer" = [])),
    params(("id" = String, Path, description = "Job id")),
    request_body = ApplyRequest,
    responses((status = 201, body = ApplicationView),
              (status = 404, description = "No such open job", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "Already applied, job closed, no profile, or consent needed across the boundary", body = Problem, content_type = "application/problem+json"),
              problems::Unauthorized, problems::NotCandidate, problems::Unprocessable))]
pub async fn apply(
    state: web::Data<crate::state::AppState>,
    user: AuthUser,
    job_id: web::Path<String>,
    body: JsonBody<ApplyRequest>,
) -> Result<HttpResponse, AppError> {
    let seen = service::apply(&state, &user, job_id.into_inner(), body.into_inner().cover_letter).await?;
    Ok(HttpResponse::Created().json(ApplicationView::from(seen)))
}

#[utoipa::path(get, path = "/api/v1/applications", tag = "applications", security(("bearer" = [])),
    params(ListQuery),
    responses((status = 200, body = Listing<ApplicationView>),
              (status = 403, description = "Agency staff have no applications", body = Problem, content_type = "application/problem+json"),
              problems::Unauthorized))]
pub async fn list(
    state: web::Data<crate::state::AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Listing<ApplicationView>>, AppError> {
    let page = Page::new(query.limit, query.offset);
    let (items, total) = service::list(&state, &user, page).await?;
    Ok(web::Json(Listing::new(
        items.into_iter().map(ApplicationView::from).collect(),
        total,
        page,
    )))
}

#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ApplicationView),
              problems::NotFound))]
pub async fn get(
    state: web::Data<crate::state::AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<ApplicationView>, AppError> {
    Ok(web::Json(
        service::get(&state, &user, id.into_inner()).await?.into(),
    ))
}

#[utoipa::path(patch, path = "/api/v1/applications/{id}", tag = "applications", security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = StatusRequest,
    responses((status = 200, body = ApplicationView),
              (status = 409, description = "The pipeline does not allow this move", body = Problem, content_type = "application/problem+json"),
              problems::BadRequest, problems::NotFound))]
pub async fn change_status(
    state: web::Data<crate::state::AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: JsonBody<StatusRequest>,
) -> Result<web::Json<ApplicationView>, AppError> {
    Ok(web::Json(
        service::change_status(&state, &user, id.into_inner(), body.into_inner().status)
            .await?
            .into(),
    ))
}
