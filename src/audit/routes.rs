//! `GET /api/v1/audit` for admins.

use actix_web::web;
use serde::Deserialize;
use utoipa::IntoParams;

use super::AuditEntry;
use super::store::{self, AuditFilter};
use crate::auth::{AuthUser, Role};
use crate::error::{AppError, Problem};
use crate::paging::{Listing, Page};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/audit").get(list));
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// `equivalence`, `employer`, `job`, `candidate`, `case`, `user`, …
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub actor_id: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "Audit entries, newest first", body = Listing<AuditEntry>),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<AuditQuery>,
) -> Result<web::Json<Listing<AuditEntry>>, AppError> {
    user.require(&[Role::Admin])?;
    let query = query.into_inner();
    let page = Page::new(query.limit, query.offset);
    let filter = AuditFilter {
        target_type: query.target_type,
        target_id: query.target_id,
        actor_id: query.actor_id,
    };
    let (items, total) = state
        .db
        .read(move |conn| Ok(store::list(conn, &filter, page)?))
        .await?;
    Ok(web::Json(Listing::new(items, total, page)))
}
