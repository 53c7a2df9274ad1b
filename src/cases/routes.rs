//! Case and case-template endpoints: thin handlers over `service` and `templates`.

use actix_web::{HttpResponse, web};
use utoipa::OpenApi;

use super::opening;
use super::service::{self, ListRequest};
use super::status::{CaseStatus, TaskStatus};
use super::templates;
use super::views::*;
use crate::auth::AuthUser;
use crate::error::{AppError, Problem};
use crate::http::{JsonBody, problems};
use crate::i18n::LocalizedText;
use crate::money::Money;
use crate::paging::{Listing, Page};
use crate::registry::route::{Anchor, Channel, ChecklistItem, DayRange, DueRule, Party};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/cases").get(list).post(open))
        .service(web::resource("/cases/{id}").get(get).patch(change))
        .service(web::resource("/cases/{id}/tasks/{task_id}").patch(change_task))
        .service(web::resource("/cases/{id}/notes").post(add_note))
        .service(web::resource("/cases/{id}/timeline").get(timeline))
        .service(
            web::resource("/case-templates/{direction}")
                .get(get_template)
                .put(put_template),
        );
}

/// This area's part of the OpenAPI document (merged in `crate::openapi`).
#[derive(OpenApi)]
#[openapi(
    paths(open, list, get, change, change_task, add_note, timeline, get_template, put_template),
    components(schemas(
        OpenCase, ChangeCase, ChangeTask, AddNote, CaseView, TaskView, NoteView, TimelineEntry,
        ChecklistItem, Milestones, MilestonesInput, Party, Anchor, Channel, DayRange, DueRule, Money, CaseStatus, TaskStatus, LocalizedText
    )),
    tags((name = "cases", description = "One-stop cross-border employment cases (agency; the candidate reads their own)"))
)]
pub struct Doc;

#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", security(("bearer" = [])),
    request_body = OpenCase,
    responses((status = 201, description = "The case with its checklist", body = CaseView),
              (status = 403, description = "Employers have no access to cases", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "Candidate: no profile, or an unfinished case in this direction already", body = Problem, content_type = "application/problem+json"),
              problems::Unauthorized, problems::Unprocessable))]
pub async fn open(
    state: web::Data<AppState>,
    user: AuthUser,
    body: JsonBody<OpenCase>,
) -> Result<HttpResponse, AppError> {
    let case = opening::open(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(case))
}

#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", security(("bearer" = [])),
    params(CaseQuery),
    responses((status = 200, description = "Agency: every case; a candidate: their own. Newest first.", body = Listing<CaseView>),
              problems::BadRequest, problems::Unauthorized, problems::Forbidden))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<CaseQuery>,
) -> Result<web::Json<Listing<CaseView>>, AppError> {
    let query = query.into_inner();
    let page = Page::new(query.limit, query.offset);
    let request = ListRequest {
        status: query.status,
        assignee: query.assignee,
        overdue: query.overdue.unwrap_or(false),
        page,
    };
    let (items, total) = service::list(&state, &user, request).await?;
    Ok(web::Json(Listing::new(items, total, page)))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = CaseView),
              problems::Unauthorized, problems::Forbidden, problems::NotFound))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<CaseView>, AppError> {
    Ok(web::Json(service::get(&state, &user, id.into_inner()).await?))
}

#[utoipa::path(patch, path = "/api/v1/cases/{id}", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = ChangeCase,
    responses((status = 200, body = CaseView),
              (status = 409, description = "The status machine does not allow this move", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "The assignee is not agency staff", body = Problem, content_type = "application/problem+json"),
              problems::Unauthorized, problems::AgencyOnly, problems::NotFound))]
pub async fn change(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: JsonBody<ChangeCase>,
) -> Result<web::Json<CaseView>, AppError> {
    Ok(web::Json(
        service::change(&state, &user, id.into_inner(), body.into_inner()).await?,
    ))
}

#[utoipa::path(patch, path = "/api/v1/cases/{id}/tasks/{task_id}", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path), ("task_id" = String, Path)),
    request_body = ChangeTask,
    responses((status = 200, body = TaskView),
              (status = 409, description = "The case is closed", body = Problem, content_type = "application/problem+json"),
              problems::Unauthorized, problems::AgencyOnly, problems::NotFound, problems::Unprocessable))]
pub async fn change_task(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
    body: JsonBody<ChangeTask>,
) -> Result<web::Json<TaskView>, AppError> {
    let (case_id, task_id) = path.into_inner();
    Ok(web::Json(
        service::change_task(&state, &user, case_id, task_id, body.into_inner()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/notes", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = AddNote,
    responses((status = 201, body = NoteView),
              problems::Unauthorized, problems::AgencyOnly, problems::NotFound, problems::Unprocessable))]
pub async fn add_note(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: JsonBody<AddNote>,
) -> Result<HttpResponse, AppError> {
    let note = service::add_note(&state, &user, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(note))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/timeline", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "Every change, oldest first; the candidate's leaves out internal notes", body = Vec<TimelineEntry>),
              problems::Unauthorized, problems::Forbidden, problems::NotFound))]
pub async fn timeline(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Vec<TimelineEntry>>, AppError> {
    Ok(web::Json(
        service::timeline(&state, &user, id.into_inner()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/case-templates/{direction}", tag = "cases", security(("bearer" = [])),
    params(("direction" = String, Path, description = "`<FROM>_TO_<TO>` over two jurisdiction codes of the registry")),
    responses((status = 200, description = "The checklist, in order", body = Vec<ChecklistItem>),
              (status = 404, description = "No template for this direction", body = Problem, content_type = "application/problem+json"),
              problems::Unauthorized, problems::AgencyOnly))]
pub async fn get_template(
    state: web::Data<AppState>,
    user: AuthUser,
    direction: web::Path<String>,
) -> Result<web::Json<Vec<ChecklistItem>>, AppError> {
    Ok(web::Json(
        templates::get(&state, &user, direction.into_inner()).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/case-templates/{direction}", tag = "cases", security(("bearer" = [])),
    params(("direction" = String, Path, description = "`<FROM>_TO_<TO>` over two jurisdiction codes of the registry")),
    request_body = Vec<ChecklistItem>,
    responses((status = 200, description = "The checklist as stored; cases opened from now on use it", body = Vec<ChecklistItem>),
              (status = 403, description = "Agency admins only", body = Problem, content_type = "application/problem+json"),
              problems::Unauthorized, problems::Unprocessable))]
pub async fn put_template(
    state: web::Data<AppState>,
    user: AuthUser,
    direction: web::Path<String>,
    body: JsonBody<Vec<ChecklistItem>>,
) -> Result<web::Json<Vec<ChecklistItem>>, AppError> {
    Ok(web::Json(
        templates::put(&state, &user, direction.into_inner(), body.into_inner()).await?,
    ))
}
