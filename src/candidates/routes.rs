//! Candidate endpoints: thin handlers over `profile`, `holdings` and `consents` (export and
//! erasure are `crate::data_rights`, registered on these resources here).
//! `/candidates/me…` belongs to the candidate role; `/candidates/{id}` is for any signed-in reader
//! the visibility rule admits (404 for the rest); verification is for agency staff.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDate, Utc};

use super::consents::{self, ConsentInput};
use super::holdings::{self, CredentialInput, Kind, VerdictInput, Verified, WorkAuthorizationInput};
use super::model::{CredentialRow, WorkAuthorizationRow};
use super::profile;
use super::validation::{self, ProfileInput};
use super::views::*;
use crate::auth::{AuthUser, Role};
use crate::error::{AppError, Problem};
use crate::http::{JsonBody, problems};
use crate::i18n::Locale;
use crate::paging::{Listing, PageQuery};
use crate::registry::Registry;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `/candidates/me…` first: resources match in the order they are registered.
    cfg.service(
        web::resource("/candidates/me")
            .get(own_profile)
            .put(put_profile)
            .delete(crate::data_rights::routes::erase),
    )
    .service(web::resource("/candidates/me/export").get(crate::data_rights::routes::export))
    .service(
        web::resource("/candidates/me/credentials")
            .get(own_credentials)
            .post(add_credential),
    )
    .service(web::resource("/candidates/me/credentials/{id}").delete(remove_credential))
    .service(
        web::resource("/candidates/me/work-authorizations")
            .get(own_authorizations)
            .post(add_authorization),
    )
    .service(web::resource("/candidates/me/work-authorizations/{id}").delete(remove_authorization))
    .service(
        web::resource("/candidates/me/consents")
            .get(own_consents)
            .post(grant_consent),
    )
    .service(web::resource("/candidates/me/consents/{id}").delete(withdraw_consent))
    .service(web::resource("/candidates/{id}").get(candidate))
    .service(
        web::resource("/candidates/{id}/credentials/{credential_id}/verification").post(verify_credential),
    )
    .service(
        web::resource("/candidates/{id}/work-authorizations/{authorization_id}/verification")
            .post(verify_authorization),
    );
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        own_profile, put_profile, own_credentials, add_credential, remove_credential,
        own_authorizations, add_authorization, remove_authorization, own_consents, grant_consent,
        withdraw_consent, candidate, verify_credential, verify_authorization
    ),
    components(schemas(
        ProfileInput, validation::SkillInput, ProfileView, SkillLevelView, SalaryExpectation, CandidateView,
        CredentialInput, CredentialView, QualificationSummary, WorkAuthorizationInput, WorkAuthorizationView,
        VerdictInput, holdings::Verdict, ConsentInput, consents::ConsentPurpose, ConsentView,
        crate::candidates::model::Visibility,
        crate::candidates::model::VerificationStatus, crate::languages::LanguageLevel, crate::money::SalaryPeriod
    )),
    tags((name = "candidates", description = "Candidate profiles, credentials, work authorisations, consents and data rights"))
)]
pub struct Doc;

fn candidate_only(user: &AuthUser) -> Result<(), AppError> {
    user.require(&[Role::Candidate])
}

#[utoipa::path(get, path = "/api/v1/candidates/me", tag = "candidates", security(("bearer" = [])),
    responses((status = 200, body = ProfileView),
              problems::NotCandidate, problems::NoProfileYet))]
pub async fn own_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
) -> Result<web::Json<ProfileView>, AppError> {
    candidate_only(&user)?;
    Ok(web::Json(
        profile::own(&state, user.id, Locale::from_request(&req)).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/candidates/me", tag = "candidates", security(("bearer" = [])),
    request_body = ProfileInput,
    responses((status = 200, description = "Replaced", body = ProfileView),
              (status = 201, description = "Created", body = ProfileView),
              (status = 409, description = "The profile was erased", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Invalid values, each field named", body = Problem, content_type = "application/problem+json"),
              problems::NotCandidate))]
pub async fn put_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    body: JsonBody<ProfileInput>,
) -> Result<HttpResponse, AppError> {
    candidate_only(&user)?;
    let (view, created) = profile::put(&state, &user, body.into_inner(), Locale::from_request(&req)).await?;
    Ok(if created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

#[utoipa::path(get, path = "/api/v1/candidates/me/credentials", tag = "candidates", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Listing<CredentialView>),
              problems::NoProfileYet, problems::NotCandidate))]
pub async fn own_credentials(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Listing<CredentialView>>, AppError> {
    candidate_only(&user)?;
    let (credentials, _) = holdings::own_holdings(&state, user.id).await?;
    let views = HoldingViews::of(&state, &req);
    Ok(web::Json(Listing::paged(&credentials, query.page(), |c| {
        views.credential(c)
    })))
}

#[utoipa::path(post, path = "/api/v1/candidates/me/credentials", tag = "candidates", security(("bearer" = [])),
    request_body = CredentialInput,
    responses((status = 201, description = "Added, pending verification", body = CredentialView),
              (status = 409, description = "No profile yet", body = Problem, content_type = "application/problem+json"),
              problems::Unprocessable, problems::NotCandidate))]
pub async fn add_credential(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    body: JsonBody<CredentialInput>,
) -> Result<HttpResponse, AppError> {
    candidate_only(&user)?;
    let row = holdings::add_credential(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(HoldingViews::of(&state, &req).credential(&row)))
}

#[utoipa::path(delete, path = "/api/v1/candidates/me/credentials/{id}", tag = "candidates", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204),
              problems::NotCallers, problems::NotCandidate))]
pub async fn remove_credential(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    candidate_only(&user)?;
    holdings::remove(&state, &user, Kind::Credential, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/candidates/me/work-authorizations", tag = "candidates", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Listing<WorkAuthorizationView>),
              problems::NoProfileYet, problems::NotCandidate))]
pub async fn own_authorizations(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Listing<WorkAuthorizationView>>, AppError> {
    candidate_only(&user)?;
    let (_, authorizations) = holdings::own_holdings(&state, user.id).await?;
    let views = HoldingViews::of(&state, &req);
    Ok(web::Json(Listing::paged(&authorizations, query.page(), |w| {
        views.authorization(w)
    })))
}

#[utoipa::path(post, path = "/api/v1/candidates/me/work-authorizations", tag = "candidates", security(("bearer" = [])),
    request_body = WorkAuthorizationInput,
    responses((status = 201, description = "Added, pending verification", body = WorkAuthorizationView),
              (status = 409, description = "No profile yet", body = Problem, content_type = "application/problem+json"),
              problems::Unprocessable, problems::NotCandidate))]
pub async fn add_authorization(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    body: JsonBody<WorkAuthorizationInput>,
) -> Result<HttpResponse, AppError> {
    candidate_only(&user)?;
    let row = holdings::add_authorization(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(HoldingViews::of(&state, &req).authorization(&row)))
}

#[utoipa::path(delete, path = "/api/v1/candidates/me/work-authorizations/{id}", tag = "candidates", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204),
              problems::NotCallers, problems::NotCandidate))]
pub async fn remove_authorization(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    candidate_only(&user)?;
    holdings::remove(&state, &user, Kind::WorkAuthorization, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/candidates/me/consents", tag = "candidates", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "Every consent, withdrawn ones included", body = Listing<ConsentView>),
              problems::NoProfileYet, problems::NotCandidate))]
pub async fn own_consents(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Listing<ConsentView>>, AppError> {
    candidate_only(&user)?;
    let consents = consents::list(&state, user.id).await?;
    Ok(web::Json(Listing::paged(&consents, query.page(), |c| {
        ConsentView::from(c)
    })))
}

#[utoipa::path(post, path = "/api/v1/candidates/me/consents", tag = "candidates", security(("bearer" = [])),
    request_body = ConsentInput,
    responses((status = 201, description = "Granted under the current notice version", body = ConsentView),
              (status = 409, description = "An active consent to that jurisdiction exists, or no profile yet", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Unknown jurisdiction, or the candidate's own", body = Problem, content_type = "application/problem+json"),
              problems::NotCandidate))]
pub async fn grant_consent(
    state: web::Data<AppState>,
    user: AuthUser,
    body: JsonBody<ConsentInput>,
) -> Result<HttpResponse, AppError> {
    candidate_only(&user)?;
    let row = consents::grant(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(ConsentView::from(&row)))
}

#[utoipa::path(delete, path = "/api/v1/candidates/me/consents/{id}", tag = "candidates", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204, description = "Withdrawn; the record stays"),
              (status = 409, description = "Withdrawn already", body = Problem, content_type = "application/problem+json"),
              problems::NotCallers, problems::NotCandidate))]
pub async fn withdraw_consent(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    candidate_only(&user)?;
    consents::withdraw(&state, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/candidates/{id}", tag = "candidates", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "The candidate with credentials and work authorisations", body = CandidateView),
              (status = 404, description = "Unknown, erased, or not visible to the caller under the consent rule", body = Problem, content_type = "application/problem+json")))]
pub async fn candidate(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<web::Json<CandidateView>, AppError> {
    Ok(web::Json(
        profile::read(&state, &user, path.into_inner(), Locale::from_request(&req)).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/candidates/{id}/credentials/{credential_id}/verification", tag = "candidates",
    security(("bearer" = [])),
    params(("id" = String, Path), ("credential_id" = String, Path)),
    request_body = VerdictInput,
    responses((status = 200, body = CredentialView),
              (status = 404, description = "No such credential of that candidate", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "The note is longer than 1000 characters", body = Problem, content_type = "application/problem+json"),
              problems::NotStaff))]
pub async fn verify_credential(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: JsonBody<VerdictInput>,
) -> Result<HttpResponse, AppError> {
    verify(&state, &user, &req, path, body, Kind::Credential).await
}

#[utoipa::path(post, path = "/api/v1/candidates/{id}/work-authorizations/{authorization_id}/verification", tag = "candidates",
    security(("bearer" = [])),
    params(("id" = String, Path), ("authorization_id" = String, Path)),
    request_body = VerdictInput,
    responses((status = 200, body = WorkAuthorizationView),
              (status = 404, description = "No such authorisation of that candidate", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "The note is longer than 1000 characters", body = Problem, content_type = "application/problem+json"),
              problems::NotStaff))]
pub async fn verify_authorization(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: JsonBody<VerdictInput>,
) -> Result<HttpResponse, AppError> {
    verify(&state, &user, &req, path, body, Kind::WorkAuthorization).await
}

/// Agency staff's verdict on a holding of a candidate, answered with the holding's view.
async fn verify(
    state: &AppState,
    user: &AuthUser,
    req: &HttpRequest,
    path: web::Path<(String, String)>,
    body: JsonBody<VerdictInput>,
    kind: Kind,
) -> Result<HttpResponse, AppError> {
    let (candidate_id, id) = path.into_inner();
    let verified = holdings::verify(state, user, kind, candidate_id, id, body.into_inner()).await?;
    let views = HoldingViews::of(state, req);
    Ok(match verified {
        Verified::Credential(row) => HttpResponse::Ok().json(views.credential(&row)),
        Verified::WorkAuthorization(row) => HttpResponse::Ok().json(views.authorization(&row)),
    })
}

/// Views of a candidate's holdings in the request's language, against the current registry (and
/// today, for whether an authorisation has expired).
struct HoldingViews {
    registry: Arc<Registry>,
    locale: Locale,
    today: NaiveDate,
}

impl HoldingViews {
    fn of(state: &AppState, req: &HttpRequest) -> Self {
        HoldingViews {
            registry: state.registry.get(),
            locale: Locale::from_request(req),
            today: Utc::now().date_naive(),
        }
    }

    fn credential(&self, row: &CredentialRow) -> CredentialView {
        CredentialView::new(row, &self.registry, self.locale)
    }

    fn authorization(&self, row: &WorkAuthorizationRow) -> WorkAuthorizationView {
        WorkAuthorizationView::new(row, &self.registry, self.locale, self.today)
    }
}
