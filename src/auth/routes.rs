//! HTTP endpoints of accounts and authentication. Thin: parse, call the service, answer.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::domain::{DisplayName, Email, Password, Role};
use super::extractor::AuthUser;
use super::model::User;
use super::service::{self, NewAccount, TokenPair};
use crate::error::{AppError, FieldError, Problem};
use crate::http::client_addr::ClientAddr;
use crate::http::{JsonBody, accepted};
use crate::i18n::Locale;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/auth")
            .service(web::resource("/register").post(register))
            .service(web::resource("/verify-email").post(verify_email))
            .service(web::resource("/login").post(login))
            .service(web::resource("/refresh").post(refresh))
            .service(web::resource("/logout").post(logout))
            .service(web::resource("/password-reset/request").post(request_password_reset))
            .service(web::resource("/password-reset/confirm").post(confirm_password_reset)),
    )
    .service(web::resource("/me").get(me))
    .service(web::resource("/admin/users").post(create_staff_user));
}

/// Collects field errors so a client learns about every bad field at once.
#[derive(Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        parsed
            .map_err(|message| self.0.push(FieldError::new(field, message)))
            .ok()
    }

    /// The parsed values if every field was valid, else a 422 listing each problem.
    pub fn finish<T>(self, values: Option<T>) -> Result<T, AppError> {
        match values {
            Some(values) if self.0.is_empty() => Ok(values),
            _ => Err(AppError::Validation(self.0)),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(example = "li.wei@example.com")]
    pub email: String,
    /// 12 to 128 characters, not a common password.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
    /// `candidate` or `employer`; agency staff are created by an admin.
    pub role: Role,
    /// Not only spaces.
    #[schema(min_length = 1, max_length = 100)]
    pub display_name: String,
    /// `en`, `zh-Hans` or `zh-Hant`; emails are written in it.
    pub locale: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirmRequest {
    pub token: String,
    /// 12 to 128 characters, not a common password.
    #[schema(min_length = 12, max_length = 128)]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStaffRequest {
    pub email: String,
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
    /// `agency_officer` or `admin`.
    pub role: Role,
    #[schema(min_length = 1, max_length = 100)]
    pub display_name: String,
    pub locale: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    pub user_id: String,
    pub email: String,
    pub role: Role,
    pub display_name: String,
    pub email_verified: bool,
    pub locale: Locale,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub display_name: String,
    pub email_verified: bool,
    pub locale: Locale,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    /// Always `accepted`.
    pub status: String,
    pub message: String,
}

pub fn parse_account(
    email: &str,
    password: &str,
    role: Role,
    allowed_roles: &[Role],
    display_name: &str,
    locale: Option<&str>,
) -> Result<NewAccount, AppError> {
    let mut fields = Fields::default();
    let email = fields.check("email", Email::parse(email));
    let password = fields.check("password", Password::parse(password));
    let role = fields.check(
        "role",
        if allowed_roles.contains(&role) {
            Ok(role)
        } else {
            let names: Vec<&str> = allowed_roles.iter().map(|r| r.as_str()).collect();
            Err(format!("must be one of: {}", names.join(", ")))
        },
    );
    let display_name = fields.check("display_name", DisplayName::parse(display_name));
    let locale = fields.check(
        "locale",
        locale.map(str::parse).transpose().map(Option::unwrap_or_default),
    );
    let values = (|| {
        Some(NewAccount {
            email: email?,
            password: password?,
            role: role?,
            display_name: display_name?,
            locale: locale?,
        })
    })();
    fields.finish(values)
}

#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 202, description = "Accepted; a verification email (or an 'account exists' email) is on its way", body = Accepted),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn register(
    state: web::Data<AppState>,
    client: ClientAddr,
    body: JsonBody<RegisterRequest>,
) -> Result<HttpResponse, AppError> {
    state.ip_limiter.check(client.0)?;
    let body = body.into_inner();
    let account = parse_account(
        &body.email,
        &body.password,
        body.role,
        &[Role::Candidate, Role::Employer],
        &body.display_name,
        body.locale.as_deref(),
    )?;
    service::register(&state, account).await?;
    Ok(accepted(
        "if the address can receive mail, a message is on its way",
    ))
}

#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 204, description = "Email verified"),
        (status = 422, description = "Invalid, expired or used token", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: JsonBody<TokenRequest>,
) -> Result<HttpResponse, AppError> {
    service::verify_email(&state, body.into_inner().token).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenPair),
        (status = 401, description = "Wrong email or password, or email not verified", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn login(
    state: web::Data<AppState>,
    client: ClientAddr,
    body: JsonBody<LoginRequest>,
) -> Result<web::Json<TokenPair>, AppError> {
    state.ip_limiter.check(client.0)?;
    let body = body.into_inner();
    let pair = service::login(&state, &state.jwt, &body.email, body.password, client.0).await?;
    Ok(web::Json(pair))
}

#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair; the presented refresh token is spent", body = TokenPair),
        (status = 401, description = "Invalid, expired, spent or revoked refresh token", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn refresh(
    state: web::Data<AppState>,
    body: JsonBody<RefreshRequest>,
) -> Result<web::Json<TokenPair>, AppError> {
    Ok(web::Json(
        service::refresh(&state, &state.jwt, body.into_inner().refresh_token).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "The session of this refresh token is ended")))]
pub async fn logout(
    state: web::Data<AppState>,
    body: JsonBody<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    service::logout(&state, body.into_inner().refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset/request", tag = "auth",
    request_body = ResetRequest,
    responses(
        (status = 202, description = "Accepted; an email is sent if the account exists", body = Accepted),
        (status = 422, description = "Not an email address", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    client: ClientAddr,
    body: JsonBody<ResetRequest>,
) -> Result<HttpResponse, AppError> {
    state.ip_limiter.check(client.0)?;
    let mut fields = Fields::default();
    let email = fields.check("email", Email::parse(&body.into_inner().email));
    let email = fields.finish(email)?;
    service::request_password_reset(&state, email).await?;
    Ok(accepted(
        "if an account uses this address, a reset link is on its way",
    ))
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth",
    request_body = ResetConfirmRequest,
    responses(
        (status = 204, description = "Password changed; every session of the account is signed out"),
        (status = 422, description = "Invalid token or password", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    body: JsonBody<ResetConfirmRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let mut fields = Fields::default();
    let password = fields.check("new_password", Password::parse(&body.new_password));
    let password = fields.finish(password)?;
    service::confirm_password_reset(&state, body.token, password).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's account", body = MeResponse),
        (status = 401, description = "No or invalid token", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn me(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<MeResponse>, AppError> {
    let account = service::current_user(&state, user.id).await?;
    let view = UserResponse::try_from(&account)?;
    Ok(web::Json(MeResponse {
        user_id: view.id,
        email: view.email,
        role: view.role,
        display_name: view.display_name,
        email_verified: view.email_verified,
        locale: view.locale,
    }))
}

#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin",
    security(("bearer" = [])),
    request_body = CreateStaffRequest,
    responses(
        (status = 201, description = "Staff account created, already verified", body = UserResponse),
        (status = 401, description = "No or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Email already in use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_staff_user(
    state: web::Data<AppState>,
    user: AuthUser,
    body: JsonBody<CreateStaffRequest>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let body = body.into_inner();
    let account = parse_account(
        &body.email,
        &body.password,
        body.role,
        &[Role::AgencyOfficer, Role::Admin],
        &body.display_name,
        body.locale.as_deref(),
    )?;
    let created = service::create_verified_account(&state.db, account).await?;
    Ok(HttpResponse::Created().json(UserResponse::try_from(&created)?))
}

impl TryFrom<&User> for UserResponse {
    type Error = AppError;
    fn try_from(user: &User) -> Result<Self, AppError> {
        Ok(UserResponse {
            id: user.id.clone(),
            email: user.email.clone(),
            role: Role::parse(&user.role).ok_or_else(|| {
                AppError::Unexpected(anyhow::anyhow!("user {} has an unknown role", user.id))
            })?,
            display_name: user.display_name.clone(),
            email_verified: user.email_verified_at.is_some(),
            locale: service::locale_of(user),
            created_at: user.created_at.and_utc(),
        })
    }
}
