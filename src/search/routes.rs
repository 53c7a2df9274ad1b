//! Search endpoints. Job search needs no sign-in.

use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use crate::auth::AuthUser;
use crate::error::{AppError, Problem};
use crate::http::problems;
use crate::i18n::Locale;
use crate::jobs::input::EmploymentType;
use crate::paging::Page;
use crate::search::job_search::on_index::{Facets, Highlights};
use crate::search::job_search::request::{self as job_request, JobFilters, JobHit, JobSearchResult};
use crate::search::talent_search::on_index::{TalentFacets, TalentHighlights, TalentQuery};
use crate::search::talent_search::request::{self as talent_request, TalentHitView, TalentSearchResult};
use crate::state::AppState;

/// Registered before the jobs area, so `/jobs/search` is not taken for a job id.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/jobs/search").get(search_jobs))
        .service(web::resource("/candidates/search").get(search_candidates));
}

/// This area's part of the OpenAPI document (merged in `crate::openapi`).
#[derive(OpenApi)]
#[openapi(
    paths(search_jobs, search_candidates),
    components(schemas(
        JobSearchResult,
        JobHit,
        Highlights,
        Facets,
        TalentSearchResult,
        TalentHitView,
        TalentHighlights,
        TalentFacets
    ))
)]
pub struct Doc;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct JobSearchQuery {
    /// Words in English, Simplified or Traditional Chinese; every word must match (`a OR b`
    /// for either); tantivy query syntax (`"exact phrase"`, `-not`) is understood. A word can
    /// be looked for in one field with `field:word`, where field is one of `title`, `skills`,
    /// `employer`, `description`; any other `name:` prefix is a 400 that lists these (put text
    /// with a colon in quotes: `"9:00"`). Hits come by relevance; without `q`, the newest
    /// published first. Filters narrow the hits and do not change their scores.
    pub q: Option<String>,
    #[param(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: Option<String>,
    pub location_id: Option<String>,
    pub skill_id: Option<String>,
    #[param(value_type = Option<EmploymentType>)]
    pub employment_type: Option<String>,
    pub sponsorship: Option<bool>,
    /// A date (`YYYY-MM-DD`) or RFC 3339 time: jobs published then or later.
    pub posted_since: Option<String>,
    /// Jobs paying at least this much per month (the top of their range), compared across
    /// currencies with the configured rates.
    #[param(minimum = 0, maximum = 1000000000)]
    pub salary_min: Option<i64>,
    /// `CNY` or `HKD`; needed with `salary_min`.
    #[param(pattern = "^[A-Z]{3}$")]
    pub salary_currency: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<u32>,
    /// At most 10,000 (`MAX_SEARCH_OFFSET`).
    #[param(maximum = 10000)]
    pub offset: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/jobs/search", tag = "search",
    params(JobSearchQuery),
    responses((status = 200, body = JobSearchResult),
              (status = 400, description = "Malformed query syntax or parameters", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Unknown filter values, each parameter named", body = Problem, content_type = "application/problem+json"),
              problems::SearchBusy))]
pub async fn search_jobs(
    state: web::Data<AppState>,
    query: web::Query<JobSearchQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let page = Page::of_search(query.limit, query.offset)?;
    let filters = JobFilters {
        q: query.q,
        jurisdiction: query.jurisdiction,
        location_id: query.location_id,
        skill_id: query.skill_id,
        employment_type: query.employment_type,
        sponsorship: query.sponsorship,
        posted_since: query.posted_since,
        salary_min: query.salary_min,
        salary_currency: query.salary_currency,
    };
    let answer = job_request::search_jobs(&state, &state.search, filters, page).await?;
    Ok(HttpResponse::Ok().content_type(ContentType::json()).body(answer))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TalentSearchQuery {
    /// Words in English, Simplified or Traditional Chinese over headline, summary and skills;
    /// every word must match (`a OR b` for either). A word can be looked for in one field with
    /// `field:word`, where field is one of `headline`, `skills`, `summary`; any other `name:`
    /// prefix is a 400 that lists these (put text with a colon in quotes: `"9:00"`).
    pub q: Option<String>,
    pub skill_id: Option<String>,
    /// Where the candidate lives.
    #[param(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: Option<String>,
    /// A language code the candidate speaks (`en`, `yue`, `zh`, …).
    pub language: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<u32>,
    /// At most 10,000 (`MAX_SEARCH_OFFSET`).
    #[param(maximum = 10000)]
    pub offset: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/candidates/search", tag = "search", security(("bearer" = [])),
    params(TalentSearchQuery),
    responses((status = 200, description = "For an employer, only candidates the consent rule lets it see", body = TalentSearchResult),
              (status = 403, description = "Candidates do not search candidates", body = Problem, content_type = "application/problem+json"),
              problems::BadRequest, problems::Unauthorized, problems::Unprocessable, problems::SearchBusy))]
pub async fn search_candidates(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<TalentSearchQuery>,
) -> Result<web::Json<TalentSearchResult>, AppError> {
    let query = query.into_inner();
    let page = Page::of_search(query.limit, query.offset)?;
    let talent = TalentQuery {
        text: query.q,
        skill_id: query.skill_id,
        jurisdiction: query.jurisdiction,
        language: query.language,
    };
    let result = talent_request::search_candidates(
        &state,
        &state.search,
        &user,
        talent,
        page,
        Locale::from_request(&req),
    )
    .await?;
    Ok(web::Json(result))
}
