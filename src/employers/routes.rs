//! Employer endpoints: registration, reading, renaming, agency verification, members and
//! invitations. Thin: rules live in `service` and `invitations`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::invitations::{self, AcceptInput, Accepted, InvitationInput};
use super::service::{self, EmployerInput, EmployerPatch, VerificationInput};
use super::views::{EmployerView, InvitationView, MemberView};
use crate::auth::AuthUser;
use crate::error::{AppError, Problem};
use crate::http::{JsonBody, problems};
use crate::paging::{Listing, Page, PageQuery};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // The literal path first, so `invitations` is never taken for an employer id.
    cfg.service(web::resource("/employers/invitations/accept").post(accept_invitation))
        .service(web::resource("/employers").get(list).post(create))
        .service(web::resource("/employers/{id}").get(get).patch(update))
        .service(web::resource("/employers/{id}/verification").post(verify))
        .service(web::resource("/employers/{id}/members").get(members).post(invite))
        .service(web::resource("/employers/{id}/members/{user_id}").delete(remove_member))
        .service(web::resource("/employers/{id}/invitations").get(invitations))
        .service(web::resource("/employers/{id}/invitations/{invitation_id}").delete(cancel_invitation));
}

#[utoipa::path(post, path = "/api/v1/employers", tag = "employers", security(("bearer" = [])),
    request_body = EmployerInput,
    responses((status = 201, description = "Registered; the caller is its owner", body = EmployerView),
              (status = 403, description = "Not an employer account", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "A verified employer holds this number in the jurisdiction (unverified claims block nobody)", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Invalid name, jurisdiction or registration number", body = Problem, content_type = "application/problem+json"),
              problems::BadRequest, problems::Unauthorized))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: JsonBody<EmployerInput>,
) -> Result<HttpResponse, AppError> {
    let view = service::create(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(get, path = "/api/v1/employers", tag = "employers", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "Employer accounts: their own employers; agency staff: all", body = Listing<EmployerView>),
              (status = 403, description = "Candidates", body = Problem, content_type = "application/problem+json"),
              problems::Unauthorized))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Listing<EmployerView>>, AppError> {
    let page = Page::new(query.limit, query.offset);
    let (items, total) = service::list(&state, &user, page).await?;
    Ok(web::Json(Listing::new(items, total, page)))
}

#[utoipa::path(get, path = "/api/v1/employers/{id}", tag = "employers", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "Any signed-in user; `my_role` for members", body = EmployerView),
              problems::Unauthorized, problems::NotFound))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<EmployerView>, AppError> {
    Ok(web::Json(service::get(&state, &user, id.into_inner()).await?))
}

#[utoipa::path(patch, path = "/api/v1/employers/{id}", tag = "employers", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = EmployerPatch,
    responses((status = 200, description = "Renamed. A verified employer becomes unverified until the agency verifies it again under the new name; its jobs show the new name in search within the index lag", body = EmployerView),
              (status = 403, description = "Not an owner of this employer", body = Problem, content_type = "application/problem+json"),
              problems::BadRequest, problems::NotFound, problems::Unprocessable))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: JsonBody<EmployerPatch>,
) -> Result<web::Json<EmployerView>, AppError> {
    Ok(web::Json(
        service::update(&state, &user, id.into_inner(), body.into_inner()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/employers/{id}/verification", tag = "employers", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = VerificationInput,
    responses((status = 200, body = EmployerView),
              (status = 409, description = "Another employer with this registration number is verified already", body = Problem, content_type = "application/problem+json"),
              problems::BadRequest, problems::NotStaff, problems::NotFound, problems::Unprocessable))]
pub async fn verify(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: JsonBody<VerificationInput>,
) -> Result<web::Json<EmployerView>, AppError> {
    Ok(web::Json(
        service::verify(&state, &user, id.into_inner(), body.into_inner()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/employers/{id}/members", tag = "employers", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "Members and agency staff", body = Vec<MemberView>),
              (status = 403, description = "Not a member", body = Problem, content_type = "application/problem+json"),
              problems::NotFound))]
pub async fn members(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Vec<MemberView>>, AppError> {
    Ok(web::Json(
        invitations::members(&state, &user, id.into_inner()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/employers/{id}/members", tag = "employers", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = InvitationInput,
    responses((status = 201, description = "Invitation created and emailed with a join link (valid 7 days)", body = InvitationView),
              (status = 403, description = "Not an owner, or the employer is not verified", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "Already a member", body = Problem, content_type = "application/problem+json"),
              (status = 429, description = "The employer sent `employers.invitations_per_day` invitations (default 20) in the last 24 hours, cancelled ones included; `Retry-After` says when the next may go", body = Problem, content_type = "application/problem+json"),
              problems::BadRequest, problems::NotFound, problems::Unprocessable))]
pub async fn invite(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: JsonBody<InvitationInput>,
) -> Result<HttpResponse, AppError> {
    let view = invitations::invite(&state, &user, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(post, path = "/api/v1/employers/invitations/accept", tag = "employers", security(("bearer" = [])),
    request_body = AcceptInput,
    responses((status = 200, description = "Joined; the employer with the caller's role", body = EmployerView),
              (status = 403, description = "Not an employer account, or not the invited address", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "Unknown, cancelled or used token", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "Already a member", body = Problem, content_type = "application/problem+json"),
              (status = 410, description = "The invitation has expired", body = Problem, content_type = "application/problem+json"),
              problems::BadRequest))]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    user: AuthUser,
    body: JsonBody<AcceptInput>,
) -> Result<HttpResponse, AppError> {
    match invitations::accept(&state, &user, body.into_inner()).await? {
        Accepted::Joined(view) => Ok(HttpResponse::Ok().json(view)),
        Accepted::Expired => Ok(Problem::new(
            "gone",
            "The invitation has expired",
            StatusCode::GONE,
            "this invitation has expired; ask an owner to invite you again".into(),
        )
        .into_response()),
    }
}

#[utoipa::path(delete, path = "/api/v1/employers/{id}/members/{user_id}", tag = "employers", security(("bearer" = [])),
    params(("id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204, description = "Removed (owners remove anyone; a member may remove themself)"),
              (status = 409, description = "The last owner", body = Problem, content_type = "application/problem+json"),
              problems::NotOwner, problems::NotFound))]
pub async fn remove_member(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, member) = path.into_inner();
    invitations::remove_member(&state, &user, id, member).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/employers/{id}/invitations", tag = "employers", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "Invitations not yet accepted (owners)", body = Vec<InvitationView>),
              problems::NotOwner, problems::NotFound))]
pub async fn invitations(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Vec<InvitationView>>, AppError> {
    Ok(web::Json(
        invitations::invitations(&state, &user, id.into_inner()).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/employers/{id}/invitations/{invitation_id}", tag = "employers", security(("bearer" = [])),
    params(("id" = String, Path), ("invitation_id" = String, Path)),
    responses((status = 204, description = "Cancelled"),
              problems::NotOwner, problems::NotFound))]
pub async fn cancel_invitation(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, invitation) = path.into_inner();
    invitations::cancel(&state, &user, id, invitation).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(create, list, get, update, verify, members, invite, accept_invitation, remove_member, invitations, cancel_invitation),
    components(schemas(EmployerView, MemberView, InvitationView, EmployerInput, EmployerPatch, VerificationInput, InvitationInput, AcceptInput)),
    tags((name = "employers", description = "Employers, their members and the agency's verification"))
)]
pub struct Doc;
