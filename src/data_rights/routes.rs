//! The data-rights endpoints, registered on the candidate's own resources by
//! `candidates::routes` (`/candidates/me` answers GET, PUT and DELETE as one resource).

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::{
    AccountExport, ApplicationEventExport, ApplicationExport, CandidateExport, CrossBorderReadExport,
};
use crate::auth::{AuthUser, Role};
use crate::error::{AppError, Problem};
use crate::http::problems;
use crate::i18n::Locale;
use crate::state::AppState;

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(erase, export),
    components(schemas(
        CandidateExport,
        AccountExport,
        ApplicationExport,
        CrossBorderReadExport,
        ApplicationEventExport
    ))
)]
pub struct Doc;

#[utoipa::path(delete, path = "/api/v1/candidates/me", tag = "candidates", security(("bearer" = [])),
    responses((status = 204, description = "Erased: profile and personal data removed, account disabled"),
              (status = 401, description = "Already erased", body = Problem, content_type = "application/problem+json"),
              problems::NotCandidate))]
pub async fn erase(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Candidate])?;
    super::erase(&state, &user).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/candidates/me/export", tag = "candidates", security(("bearer" = [])),
    responses((status = 200, description = "Everything stored about the caller, as an attachment", body = CandidateExport),
              (status = 401, description = "No token, or the account was erased", body = Problem, content_type = "application/problem+json"),
              problems::NotCandidate))]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Candidate])?;
    let export = super::export(&state, user.id, Locale::from_request(&req)).await?;
    let filename = format!("talentbridge-export-{}.json", Utc::now().format("%Y%m%d"));
    Ok(HttpResponse::Ok()
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(export))
}
