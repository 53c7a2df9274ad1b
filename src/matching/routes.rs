//! Match endpoints.

use actix_web::{HttpRequest, web};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use super::score::{
    AuthorizationFit, AuthorizationStatus, Explanation, LanguageFit, SalaryFit, SalaryStatus, SkillFit,
    SkillMatch,
};
use super::service::{
    self, CandidateMatch, CandidateMatches, DEFAULT_LIMIT, JobMatch, JobMatches, MAX_LIMIT, MatchOptions,
};
use crate::auth::AuthUser;
use crate::error::{AppError, Problem};
use crate::http::problems;
use crate::i18n::Locale;
use crate::registry::fit::{QualificationFit, QualificationStatus};
use crate::state::AppState;

/// Registered before the candidates area, so `/candidates/me/matches` is never read as an id.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/candidates/me/matches").get(matches_for_candidate))
        .service(web::resource("/jobs/{id}/matches").get(matches_for_job));
}

#[derive(OpenApi)]
#[openapi(
    paths(matches_for_candidate, matches_for_job),
    components(schemas(
        JobMatches,
        JobMatch,
        CandidateMatches,
        CandidateMatch,
        Explanation,
        SkillFit,
        SkillMatch,
        QualificationFit,
        QualificationStatus,
        AuthorizationFit,
        AuthorizationStatus,
        LanguageFit,
        SalaryFit,
        SalaryStatus
    ))
)]
pub struct Doc;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MatchQuery {
    /// 1–50, default 20.
    pub limit: Option<u32>,
    /// Leave out hits with neither a work authorisation for the job's jurisdiction nor a
    /// sponsoring job (by default they are listed after all others).
    pub authorized_only: Option<bool>,
}

impl MatchQuery {
    fn options(&self) -> MatchOptions {
        MatchOptions {
            limit: self
                .limit
                .map_or(DEFAULT_LIMIT, |l| l as usize)
                .clamp(1, MAX_LIMIT),
            authorized_only: self.authorized_only.unwrap_or(false),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/candidates/me/matches", tag = "matching", security(("bearer" = [])),
    params(MatchQuery),
    responses((status = 200, description = "Open jobs for the caller, best first, each explained", body = JobMatches),
              (status = 403, description = "Only candidates have job matches", body = Problem, content_type = "application/problem+json"),
              problems::BadRequest, problems::Unauthorized, problems::NoProfileYet, problems::SearchBusy))]
pub async fn matches_for_candidate(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<MatchQuery>,
) -> Result<web::Json<JobMatches>, AppError> {
    let options = query.options();
    let matches =
        service::jobs_for_candidate(&state, &state.search, &user, options, Locale::from_request(&req))
            .await?;
    Ok(web::Json(matches))
}

#[utoipa::path(get, path = "/api/v1/jobs/{id}/matches", tag = "matching", security(("bearer" = [])),
    params(("id" = String, Path, description = "Job id"), MatchQuery),
    responses((status = 200, description = "Candidates the caller may see, best first, each explained", body = CandidateMatches),
              (status = 403, description = "Not a member of the job's employer nor agency staff", body = Problem, content_type = "application/problem+json"),
              problems::BadRequest, problems::Unauthorized, problems::NotFound, problems::SearchBusy))]
pub async fn matches_for_job(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<MatchQuery>,
) -> Result<web::Json<CandidateMatches>, AppError> {
    let options = query.options();
    let locale = Locale::from_request(&req);
    let matches =
        service::candidates_for_job(&state, &state.search, &user, path.into_inner(), options, locale).await?;
    Ok(web::Json(matches))
}
