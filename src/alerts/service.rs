//! Saved searches of candidates: saving (checked exactly as job search checks its filters),
//! listing and deleting one's own. The alerts that mail them are in `digest`.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{Frequency, SavedFilters, SavedSearchRow};
use super::store;
use crate::audit::{self, Actor, Change};
use crate::auth::AuthUser;
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::error::{AppError, FieldError};
use crate::paging::Page;
use crate::search::Search;
use crate::search::job_search::on_index::{self as job_search, JobQuery};

/// How many searches one candidate may keep: enough for any real job hunt, few enough that the
/// alerts stay cheap.
pub const MAX_SAVED_SEARCHES: i64 = 20;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedSearchInput {
    /// Words as `GET /jobs/search` takes them in `q` (tantivy syntax understood); at most 500
    /// characters; absent or empty: every job the filters let in.
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub filters: Option<FiltersInput>,
    /// `instant`, `daily` or `weekly`.
    #[schema(value_type = Frequency)]
    pub frequency: String,
}

/// The filters of `GET /jobs/search`, with the same names and checks.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FiltersInput {
    #[schema(pattern = "^[A-Z]{2}$")]
    pub jurisdiction: Option<String>,
    pub location_id: Option<String>,
    pub skill_id: Option<String>,
    #[schema(value_type = Option<crate::jobs::input::EmploymentType>)]
    pub employment_type: Option<String>,
    pub sponsorship: Option<bool>,
    /// Per month, in `salary_currency`.
    #[schema(minimum = 0, maximum = 1000000000)]
    pub salary_min: Option<i64>,
    #[schema(pattern = "^[A-Z]{3}$")]
    pub salary_currency: Option<String>,
    /// Refused (422): an alert mails the jobs published since the previous alert.
    #[schema(value_type = Option<String>)]
    pub posted_since: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSearchView {
    pub id: String,
    pub query: String,
    pub filters: SavedFilters,
    pub frequency: Frequency,
    pub created_at: DateTime<Utc>,
    /// When the alerts last looked at this search (whether or not they mailed).
    pub last_run_at: Option<DateTime<Utc>>,
    /// When it is looked at next (instant searches: at every run of the alerts).
    pub next_due_at: DateTime<Utc>,
}

impl From<&SavedSearchRow> for SavedSearchView {
    fn from(row: &SavedSearchRow) -> Self {
        Self {
            id: row.id.clone(),
            query: row.query.clone(),
            filters: row.saved_filters(),
            frequency: Frequency::parse(&row.frequency).unwrap_or(Frequency::Daily),
            created_at: row.created_at.and_utc(),
            last_run_at: row.last_run_at.map(|at| at.and_utc()),
            next_due_at: row.next_due_at.and_utc(),
        }
    }
}

/// The audit log holds no personal data of candidates, so no query text or filters here.
#[derive(Debug, Serialize)]
struct Audited<'a> {
    frequency: &'a str,
}

/// Checks the input as job search would check the same request; every bad field at once.
fn check(
    ctx: &AreaContext,
    input: SavedSearchInput,
) -> Result<(String, SavedFilters, Frequency, JobQuery), AppError> {
    let filters = input.filters.unwrap_or_default();
    let mut errors = Vec::new();
    if filters.posted_since.is_some() {
        errors.push(FieldError::new(
            "filters.posted_since",
            "is not used by saved searches: each alert mails the jobs published since the previous one",
        ));
    }
    let frequency = Frequency::parse(&input.frequency);
    if frequency.is_none() {
        errors.push(FieldError::new(
            "frequency",
            "must be one of: instant, daily, weekly",
        ));
    }
    let query = input.query.unwrap_or_default().trim().to_owned();
    let saved = SavedFilters {
        jurisdiction: filters.jurisdiction,
        location_id: filters.location_id,
        skill_id: filters.skill_id,
        employment_type: filters.employment_type,
        sponsorship: filters.sponsorship,
        salary_min: filters.salary_min,
        salary_currency: filters.salary_currency,
    };
    let registry = ctx.registry.get();
    let job_query = match crate::search::job_search::request::check_filters(
        &registry,
        &ctx.rates,
        saved.job_filters(&query),
    ) {
        Ok(job_query) => Some(job_query),
        Err(AppError::Validation(found)) => {
            errors.extend(found.into_iter().map(|e| {
                let field = if e.field == "q" {
                    "query".to_owned()
                } else {
                    format!("filters.{}", e.field)
                };
                FieldError::new(field, e.message)
            }));
            None
        }
        Err(other) => return Err(other),
    };
    match (errors.is_empty(), frequency, job_query) {
        (true, Some(frequency), Some(job_query)) => Ok((query, saved, frequency, job_query)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Runs the query once on the index, as job search would: text the query parser refuses is a
/// 422 on `query` now rather than an alert that can never run.
async fn check_syntax(search: &Arc<Search>, job_query: JobQuery) -> Result<(), AppError> {
    let search = search.clone();
    let now = Utc::now().naive_utc();
    let page = Page { limit: 1, offset: 0 };
    let tried = actix_web::rt::task::spawn_blocking(move || {
        job_search::search(search.as_ref(), &job_query, page, now)
    })
    .await
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("search task failed: {e}")))?;
    match tried {
        Ok(_) => Ok(()),
        Err(AppError::BadRequest { .. }) => Err(AppError::invalid(
            "query",
            "is not a valid search query (check quotes, brackets and field names)",
        )),
        Err(other) => Err(other),
    }
}

/// Now, at the precision both databases store, so the answer to POST equals later GETs.
fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

fn live_account(conn: &mut DbConnection, user_id: &str) -> Result<(), AppError> {
    crate::auth::store::find_user(conn, user_id)?
        .filter(|u| u.disabled_at.is_none())
        .map(drop)
        .ok_or_else(|| AppError::Unauthorized("the account no longer exists or is disabled".into()))
}

/// Saves a search for the calling candidate; beyond `MAX_SAVED_SEARCHES` a 409.
pub async fn create(
    ctx: &AreaContext,
    search: &Arc<Search>,
    user: &AuthUser,
    input: SavedSearchInput,
) -> Result<SavedSearchRow, AppError> {
    let (query, filters, frequency, job_query) = check(ctx, input)?;
    check_syntax(search, job_query).await?;
    let (actor, user_id) = (Actor::from(user), user.id.clone());
    ctx.db
        .write(move |conn| {
            live_account(conn, &user_id)?;
            store::lock_user(conn, &user_id)?;
            if store::count_of(conn, &user_id)? >= MAX_SAVED_SEARCHES {
                return Err(AppError::Conflict(format!(
                    "you have {MAX_SAVED_SEARCHES} saved searches, the most one may keep; delete one first"
                )));
            }
            let created_at = now();
            let row = SavedSearchRow {
                id: uuid::Uuid::new_v4().to_string(),
                user_id: user_id.clone(),
                query,
                filters: serde_json::to_string(&filters)
                    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("filters: {e}")))?,
                frequency: frequency.as_str().to_owned(),
                created_at,
                last_run_at: None,
                next_due_at: frequency.first_due(created_at),
            };
            store::insert(conn, &row)?;
            audit::record(
                conn,
                &actor,
                Change {
                    action: "create",
                    target_type: "saved_search",
                    target_id: &row.id,
                    before: None::<&()>,
                    after: Some(&Audited {
                        frequency: &row.frequency,
                    }),
                },
            )?;
            Ok(row)
        })
        .await
}

/// The caller's saved searches, oldest first.
pub async fn list(ctx: &AreaContext, user_id: String) -> Result<Vec<SavedSearchRow>, AppError> {
    ctx.db.read(move |conn| Ok(store::list_of(conn, &user_id)?)).await
}

/// Deletes one of the caller's saved searches; another's is a 404, like an unknown one.
pub async fn delete(ctx: &AreaContext, user: &AuthUser, id: String) -> Result<(), AppError> {
    let (actor, user_id) = (Actor::from(user), user.id.clone());
    ctx.db
        .write(move |conn| {
            let row = store::find_of(conn, &user_id, &id)?.ok_or(AppError::NotFound)?;
            store::delete(conn, &row.id)?;
            audit::record(
                conn,
                &actor,
                Change {
                    action: "delete",
                    target_type: "saved_search",
                    target_id: &row.id,
                    before: Some(&Audited {
                        frequency: &row.frequency,
                    }),
                    after: None::<&()>,
                },
            )?;
            Ok(())
        })
        .await
}

/// A saved search in the candidate's export, with how many jobs it has mailed.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSearchExport {
    #[serde(flatten)]
    pub search: SavedSearchView,
    pub jobs_mailed: i64,
}

/// The account's saved searches for its data export.
pub fn export_for_user(conn: &mut DbConnection, user_id: &str) -> Result<Vec<SavedSearchExport>, AppError> {
    let mut exported = Vec::new();
    for row in store::list_of(conn, user_id)? {
        exported.push(SavedSearchExport {
            jobs_mailed: store::hit_count(conn, &row.id)?,
            search: SavedSearchView::from(&row),
        });
    }
    Ok(exported)
}
