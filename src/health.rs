//! Liveness and readiness probes.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, Problem};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub status: &'static str,
    pub database: &'static str,
    /// `postgres` or `sqlite`.
    pub backend: &'static str,
    /// Index events written but not yet searchable: how far search trails the database.
    pub index_lag: i64,
}

#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process is up", body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "The database answers", body = Readiness),
        (status = 503, description = "Not ready: the database does not answer, or the search indexes cannot be kept up to date (`detail` says why)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    state
        .db
        .ping()
        .await
        .map_err(|_| AppError::Unavailable("the database does not answer".into()))?;
    let newest = state
        .db
        .read(|conn| Ok(crate::index_events::newest(conn)?))
        .await
        .map_err(|_| AppError::Unavailable("the database does not answer".into()))?;
    if let Some(failure) = state.search.indexing_failure() {
        return Err(AppError::Unavailable(failure.to_string()));
    }
    // The index furthest behind decides how stale a search can be.
    let applied = state
        .search
        .jobs()
        .applied_through()
        .min(state.search.candidates().applied_through());
    let backend = match state.db.backend() {
        crate::db::Backend::Postgres => "postgres",
        crate::db::Backend::Sqlite => "sqlite",
    };
    Ok(HttpResponse::Ok().json(Readiness {
        status: "ready",
        database: "ok",
        backend,
        index_lag: (newest - applied).max(0),
    }))
}
