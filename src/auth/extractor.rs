//! `AuthUser`: the caller, proven by a bearer access token. Handlers that take it are closed to
//! anonymous callers; role checks are methods on it.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use tracing_actix_web::RequestId;

use super::domain::Role;
use super::tokens::JwtKeys;
use crate::audit::Actor;
use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: String,
    pub role: Role,
    /// The id of this request, for the audit log.
    pub request_id: Option<String>,
}

/// The audit log names who acted by the signed-in user and the request.
impl From<&AuthUser> for Actor {
    fn from(user: &AuthUser) -> Self {
        Actor {
            user_id: Some(user.id.clone()),
            request_id: user.request_id.clone(),
        }
    }
}

impl AuthUser {
    pub fn require(&self, allowed: &[Role]) -> Result<(), AppError> {
        if allowed.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "the {} role may not do this",
                self.role.as_str()
            )))
        }
    }

    pub fn require_agency(&self) -> Result<(), AppError> {
        self.require(&[Role::AgencyOfficer, Role::Admin])
    }
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<AuthUser, AppError> {
    // Registered by `startup` beside the application state.
    let jwt = req
        .app_data::<web::Data<JwtKeys>>()
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("token keys missing")))?;
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            AppError::Unauthorized("send an access token as `Authorization: Bearer <token>`".into())
        })?;
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            AppError::Unauthorized("the Authorization header must use the Bearer scheme".into())
        })?;
    let claims = jwt
        .verify(token)
        .ok_or_else(|| AppError::Unauthorized("the access token is invalid or expired".into()))?;
    let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    Ok(AuthUser {
        id: claims.sub,
        role: claims.role,
        request_id,
    })
}
