//! Registry endpoints. Reads: anyone signed in, answered from the in-memory snapshot. Writes:
//! agency officers and admins.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::fold::fold;
use super::resolve::{Names, Rules, explain, resolve};
use super::route::Route;
use super::service::{self, EquivalenceInput, EquivalencePatch, QualificationInput, QualificationKind};
use super::snapshot::Registry;
use super::views::*;
use crate::audit::Actor;
use crate::auth::{AuthUser, Role};
use crate::error::{AppError, Problem};
use crate::http::{JsonBody, problems};
use crate::i18n::Locale;
use crate::paging::{Listing, Page, PageQuery};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/jurisdictions").get(jurisdictions))
        .service(web::resource("/locations").get(locations))
        .service(web::resource("/skills").get(skills))
        .service(
            web::resource("/qualifications")
                .get(qualifications)
                .post(create_qualification),
        )
        .service(web::resource("/qualifications/{id}").get(qualification))
        .service(
            web::resource("/equivalences")
                .get(equivalences)
                .post(create_equivalence),
        )
        .service(web::resource("/equivalences/resolve").get(resolve_equivalence))
        .service(
            web::resource("/equivalences/{id}")
                .get(equivalence)
                .patch(update_equivalence)
                .delete(retire_equivalence),
        )
        .service(web::resource("/work-authorization-bases").get(work_authorization_bases))
        .service(web::resource("/work-authorization-bases/{code}/route").put(replace_route))
        .service(web::resource("/situation-groups").get(situation_groups));
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct JurisdictionQuery {
    /// A jurisdiction code of the registry.
    #[param(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/jurisdictions", tag = "registry", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Listing<JurisdictionView>),
              problems::Unauthorized))]
pub async fn jurisdictions(
    state: web::Data<AppState>,
    _user: AuthUser,
    req: HttpRequest,
    query: web::Query<PageQuery>,
) -> web::Json<Listing<JurisdictionView>> {
    let registry = state.registry.get();
    let locale = Locale::from_request(&req);
    let page = Page::new(query.limit, query.offset);
    web::Json(Listing::paged(registry.jurisdictions.iter(), page, |j| {
        JurisdictionView::new(j, locale)
    }))
}

#[utoipa::path(get, path = "/api/v1/locations", tag = "registry", security(("bearer" = [])),
    params(JurisdictionQuery),
    responses((status = 200, body = Listing<LocationView>),
              problems::UnknownJurisdiction,
              problems::Unauthorized))]
pub async fn locations(
    state: web::Data<AppState>,
    _user: AuthUser,
    req: HttpRequest,
    query: web::Query<JurisdictionQuery>,
) -> Result<web::Json<Listing<LocationView>>, AppError> {
    let registry = state.registry.get();
    let locale = Locale::from_request(&req);
    let page = Page::new(query.limit.or(Some(100)), query.offset);
    let wanted = registry.filter_jurisdiction("jurisdiction", query.jurisdiction.as_deref())?;
    let matching = registry
        .locations
        .iter()
        .filter(|l| wanted.is_none_or(|j| l.jurisdiction == j));
    Ok(web::Json(Listing::paged(matching, page, |l| {
        LocationView::new(l, locale)
    })))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SkillQuery {
    /// Any label or alias, or its beginning, in English, Simplified or Traditional Chinese.
    pub q: Option<String>,
    /// 1–50, default 10.
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/skills", tag = "registry", security(("bearer" = [])),
    params(SkillQuery),
    responses((status = 200, description = "Best matches first; labels in the caller's Accept-Language", body = Listing<SkillView>),
              problems::Unauthorized))]
pub async fn skills(
    state: web::Data<AppState>,
    _user: AuthUser,
    req: HttpRequest,
    query: web::Query<SkillQuery>,
) -> Result<web::Json<Listing<SkillView>>, AppError> {
    let q = query.q.as_deref().unwrap_or("");
    if q.chars().count() > 100 {
        return Err(AppError::invalid("q", "must be at most 100 characters"));
    }
    let registry = state.registry.get();
    let locale = Locale::from_request(&req);
    let limit = query.limit.unwrap_or(10).clamp(1, 50) as usize;
    let found = registry.search_skills(q, usize::MAX);
    let total = found.len() as i64;
    let items = found
        .into_iter()
        .take(limit)
        .map(|s| SkillView::new(s, locale))
        .collect();
    Ok(web::Json(Listing::new(
        items,
        total,
        Page {
            limit: limit as i64,
            offset: 0,
        },
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct QualificationQuery {
    #[param(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: Option<String>,
    pub kind: Option<QualificationKind>,
    /// Words of the title, in any script.
    pub q: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/qualifications", tag = "registry", security(("bearer" = [])),
    params(QualificationQuery),
    responses((status = 200, body = Listing<QualificationView>),
              problems::UnknownJurisdiction,
              problems::Unauthorized))]
pub async fn qualifications(
    state: web::Data<AppState>,
    _user: AuthUser,
    req: HttpRequest,
    query: web::Query<QualificationQuery>,
) -> Result<web::Json<Listing<QualificationView>>, AppError> {
    let registry = state.registry.get();
    let wanted = registry.filter_jurisdiction("jurisdiction", query.jurisdiction.as_deref())?;
    let locale = Locale::from_request(&req);
    let page = Page::new(query.limit, query.offset);
    let needle = query.q.as_deref().map(fold).filter(|q| !q.is_empty());
    let mut matching: Vec<_> = registry
        .qualifications
        .values()
        .filter(|q| wanted.is_none_or(|j| q.jurisdiction == j))
        .filter(|q| query.kind.is_none_or(|k| q.kind == k.as_str()))
        .filter(|q| {
            needle.as_ref().is_none_or(|n| {
                [&q.title_en, &q.title_zh_hans, &q.title_zh_hant]
                    .iter()
                    .any(|t| fold(t).contains(n))
            })
        })
        .collect();
    matching.sort_by(|a, b| (&a.jurisdiction, &a.title_en).cmp(&(&b.jurisdiction, &b.title_en)));
    Ok(web::Json(Listing::paged(matching, page, |q| {
        QualificationView::new(q, &registry, locale)
    })))
}

#[utoipa::path(get, path = "/api/v1/qualifications/{id}", tag = "registry", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = QualificationView),
              problems::NotFound))]
pub async fn qualification(
    state: web::Data<AppState>,
    _user: AuthUser,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<web::Json<QualificationView>, AppError> {
    let registry = state.registry.get();
    let row = registry
        .qualifications
        .get(id.as_str())
        .ok_or(AppError::NotFound)?;
    Ok(web::Json(QualificationView::new(
        row,
        &registry,
        Locale::from_request(&req),
    )))
}

#[utoipa::path(post, path = "/api/v1/qualifications", tag = "registry", security(("bearer" = [])),
    request_body = QualificationInput,
    responses((status = 201, body = QualificationView),
              problems::BadRequest, problems::Unauthorized, problems::NotStaff, problems::Unprocessable))]
pub async fn create_qualification(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    body: JsonBody<QualificationInput>,
) -> Result<HttpResponse, AppError> {
    user.require_agency()?;
    let row =
        service::create_qualification(&state.db, &state.registry, Actor::from(&user), body.into_inner())
            .await?;
    let registry = state.registry.get();
    Ok(HttpResponse::Created().json(QualificationView::new(
        &row,
        &registry,
        Locale::from_request(&req),
    )))
}

/// Which rules a listing shows, by where they stand today.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleFilter {
    Active,
    Scheduled,
    Retired,
    All,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EquivalenceQuery {
    pub from_qualification_id: Option<String>,
    #[param(pattern = "^[A-Z]{2}$")]
    pub to_jurisdiction: Option<String>,
    /// Default `active`.
    pub status: Option<RuleFilter>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/equivalences", tag = "registry", security(("bearer" = [])),
    params(EquivalenceQuery),
    responses((status = 200, body = Listing<EquivalenceView>),
              problems::Unauthorized, problems::Unprocessable))]
pub async fn equivalences(
    state: web::Data<AppState>,
    _user: AuthUser,
    query: web::Query<EquivalenceQuery>,
) -> Result<web::Json<Listing<EquivalenceView>>, AppError> {
    let status = match query.status.unwrap_or(RuleFilter::Active) {
        RuleFilter::Active => Some(RuleStatus::Active),
        RuleFilter::Scheduled => Some(RuleStatus::Scheduled),
        RuleFilter::Retired => Some(RuleStatus::Retired),
        RuleFilter::All => None,
    };
    let registry = state.registry.get();
    let to = registry.filter_jurisdiction("to_jurisdiction", query.to_jurisdiction.as_deref())?;
    let today = Utc::now().date_naive();
    let page = Page::new(query.limit, query.offset);
    let matching = registry
        .equivalences
        .iter()
        .filter(|e| {
            query
                .from_qualification_id
                .as_deref()
                .is_none_or(|q| e.from_qualification_id == q)
        })
        .filter(|e| to.is_none_or(|j| e.to_jurisdiction == j))
        .map(|e| EquivalenceView::new(e, today))
        .filter(|view| status.is_none_or(|s| view.status == s));
    Ok(web::Json(Listing::paged(matching, page, |view| view)))
}

#[utoipa::path(get, path = "/api/v1/equivalences/{id}", tag = "registry", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = EquivalenceView),
              problems::NotFound))]
pub async fn equivalence(
    state: web::Data<AppState>,
    _user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<EquivalenceView>, AppError> {
    let registry = state.registry.get();
    let row = registry.equivalence(&id).ok_or(AppError::NotFound)?;
    Ok(web::Json(EquivalenceView::new(row, Utc::now().date_naive())))
}

#[utoipa::path(post, path = "/api/v1/equivalences", tag = "registry", security(("bearer" = [])),
    request_body = EquivalenceInput,
    responses((status = 201, body = EquivalenceView),
              (status = 409, description = "Another rule covers this pair in the same period", body = Problem, content_type = "application/problem+json"),
              problems::BadRequest, problems::Unauthorized, problems::NotStaff, problems::Unprocessable))]
pub async fn create_equivalence(
    state: web::Data<AppState>,
    user: AuthUser,
    body: JsonBody<EquivalenceInput>,
) -> Result<HttpResponse, AppError> {
    user.require_agency()?;
    let row = service::create_equivalence(&state.db, &state.registry, Actor::from(&user), body.into_inner())
        .await?;
    Ok(HttpResponse::Created().json(EquivalenceView::new(&row, Utc::now().date_naive())))
}

#[utoipa::path(patch, path = "/api/v1/equivalences/{id}", tag = "registry", security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = EquivalencePatch,
    responses((status = 200, body = EquivalenceView),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              problems::BadRequest, problems::Forbidden, problems::NotFound, problems::Unprocessable))]
pub async fn update_equivalence(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: JsonBody<EquivalencePatch>,
) -> Result<web::Json<EquivalenceView>, AppError> {
    user.require_agency()?;
    let row = service::update_equivalence(
        &state.db,
        &state.registry,
        Actor::from(&user),
        id.into_inner(),
        body.into_inner(),
    )
    .await?;
    Ok(web::Json(EquivalenceView::new(&row, Utc::now().date_naive())))
}

#[utoipa::path(delete, path = "/api/v1/equivalences/{id}", tag = "registry", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204, description = "Retired from today; kept with its history"),
              problems::Forbidden, problems::NotFound))]
pub async fn retire_equivalence(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require_agency()?;
    service::retire_equivalence(&state.db, &state.registry, Actor::from(&user), id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ResolveQuery {
    pub qualification_id: String,
    /// `CN` or `HK`.
    #[param(pattern = "^[A-Z]{2}$")]
    pub to_jurisdiction: String,
}

#[utoipa::path(get, path = "/api/v1/equivalences/resolve", tag = "registry", security(("bearer" = [])),
    params(ResolveQuery),
    responses((status = 200, body = ResolutionView),
              (status = 404, description = "Unknown qualification", body = Problem, content_type = "application/problem+json"),
              problems::UnknownJurisdiction,
              problems::BadRequest))]
pub async fn resolve_equivalence(
    state: web::Data<AppState>,
    _user: AuthUser,
    req: HttpRequest,
    query: web::Query<ResolveQuery>,
) -> Result<web::Json<ResolutionView>, AppError> {
    let registry = state.registry.get();
    let locale = Locale::from_request(&req);
    Ok(web::Json(resolution(
        &registry,
        &query.qualification_id,
        &query.to_jurisdiction,
        locale,
    )?))
}

/// What `qualification_id` counts for in `to_jurisdiction` today, explained in `locale`. The web
/// pages show the same answer beside a job.
pub fn resolution(
    registry: &Registry,
    qualification_id: &str,
    to_jurisdiction: &str,
    locale: Locale,
) -> Result<ResolutionView, AppError> {
    let qualification = registry
        .qualifications
        .get(qualification_id)
        .ok_or(AppError::NotFound)?;
    let jurisdiction = registry
        .jurisdiction(to_jurisdiction)
        .ok_or_else(|| AppError::invalid("to_jurisdiction", "names no jurisdiction"))?;
    let rules = Rules {
        equivalences: &registry.equivalences,
        comparabilities: &registry.comparabilities,
        levels: &registry.levels,
    };
    let resolution = resolve(&rules, qualification, &jurisdiction.code, Utc::now().date_naive());
    let target = resolution
        .to_qualification_id
        .as_ref()
        .and_then(|id| registry.qualifications.get(id))
        .map(|q| q.title().get(locale).to_owned())
        .or_else(|| {
            resolution
                .to_level_id
                .as_ref()
                .and_then(|id| registry.levels.get(id))
                .map(|l| level_name(l).get(locale).to_owned())
        });
    let jurisdiction_name = JurisdictionView::new(jurisdiction, locale).name;
    let title = qualification.title();
    let names = Names {
        qualification: title.get(locale),
        jurisdiction: &jurisdiction_name,
        target: target.as_deref(),
    };
    let explanation = explain(&resolution, &names, locale);
    Ok(ResolutionView {
        qualification_id: qualification.id.clone(),
        to_jurisdiction: jurisdiction.code.clone(),
        outcome: resolution.outcome,
        via: resolution.via,
        equivalence_id: resolution.equivalence_id,
        comparability_id: resolution.comparability_id,
        to_qualification_id: resolution.to_qualification_id,
        to_level: resolution.to_level_id,
        conditions: resolution.conditions.map(|c| c.get(locale).to_owned()),
        authority: resolution.authority,
        verify_before_use: resolution.verify_before_use,
        explanation,
    })
}

#[utoipa::path(get, path = "/api/v1/work-authorization-bases", tag = "registry", security(("bearer" = [])),
    params(JurisdictionQuery),
    responses((status = 200, body = Listing<WorkAuthorizationBasisView>),
              problems::UnknownJurisdiction,
              problems::Unauthorized))]
pub async fn work_authorization_bases(
    state: web::Data<AppState>,
    _user: AuthUser,
    req: HttpRequest,
    query: web::Query<JurisdictionQuery>,
) -> Result<web::Json<Listing<WorkAuthorizationBasisView>>, AppError> {
    let registry = state.registry.get();
    let locale = Locale::from_request(&req);
    let page = Page::new(query.limit.or(Some(100)), query.offset);
    let wanted = registry.filter_jurisdiction("jurisdiction", query.jurisdiction.as_deref())?;
    let matching = registry
        .bases
        .iter()
        .filter(|b| wanted.is_none_or(|j| b.jurisdiction == j));
    Ok(web::Json(Listing::paged(matching, page, |b| {
        WorkAuthorizationBasisView::new(b, registry.routes.get(&b.code), locale)
    })))
}

#[utoipa::path(put, path = "/api/v1/work-authorization-bases/{code}/route", tag = "registry", security(("bearer" = [])),
    params(("code" = String, Path, description = "A work-authorisation basis code")),
    request_body = Route,
    responses((status = 200, description = "The route as stored; the route finder and cases opened from now on use it", body = Route),
              (status = 403, description = "Agency admins only", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such basis", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Each problem named by its field, e.g. a condition naming an unknown group", body = Problem, content_type = "application/problem+json"),
              problems::Unauthorized))]
pub async fn replace_route(
    state: web::Data<AppState>,
    user: AuthUser,
    code: web::Path<String>,
    body: JsonBody<Route>,
) -> Result<web::Json<Route>, AppError> {
    user.require(&[Role::Admin])?;
    let saved = service::replace_route(
        &state.db,
        &state.registry,
        Actor::from(&user),
        code.into_inner(),
        body.into_inner(),
    )
    .await?;
    Ok(web::Json(saved))
}

#[utoipa::path(get, path = "/api/v1/situation-groups", tag = "registry", security(("bearer" = [])),
    responses((status = 200, description = "The closed vocabulary route conditions use to say who a person is", body = Vec<SituationGroupView>),
              problems::Unauthorized))]
pub async fn situation_groups(
    state: web::Data<AppState>,
    _user: AuthUser,
    req: HttpRequest,
) -> web::Json<Vec<SituationGroupView>> {
    let locale = Locale::from_request(&req);
    let registry = state.registry.get();
    web::Json(
        registry
            .groups
            .iter()
            .map(|g| SituationGroupView::new(g, locale))
            .collect(),
    )
}
