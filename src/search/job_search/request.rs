//! Search requests: check the filters against the registry, then search the index on the
//! gate (`search::gate`). The page's jobs come from the views the index stores: job search reads no row.

use std::sync::Arc;

use actix_web::web::Bytes;

use chrono::{NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

use crate::context::AreaContext;
use crate::error::{AppError, FieldError};
use crate::jobs::views::JobView;
use crate::money::Rates;
use crate::paging::Page;
use crate::registry::Registry;
use crate::search::Search;
use crate::search::job_search::cache::PageKey;
use crate::search::job_search::on_index::{self, Facets, Highlights, JobQuery, MAX_QUERY_CHARS};
use crate::search::schema::jobs::{JobFields, view_json_of};

use crate::jobs::input::EMPLOYMENT_TYPES;

/// The raw filters of `GET /jobs/search`.
#[derive(Debug, Default)]
pub struct JobFilters {
    pub q: Option<String>,
    pub jurisdiction: Option<String>,
    pub location_id: Option<String>,
    pub skill_id: Option<String>,
    pub employment_type: Option<String>,
    pub sponsorship: Option<bool>,
    pub posted_since: Option<String>,
    /// Per month, in `salary_currency`.
    pub salary_min: Option<i64>,
    pub salary_currency: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobHit {
    /// The job's view as the index stores it (see `schema::jobs::view_json_of`).
    #[schema(value_type = JobView)]
    pub job: Box<RawValue>,
    /// Relevance to `q` (BM25); 0 for every hit of a search without `q`.
    pub score: f32,
    pub highlights: Highlights,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobSearchResult {
    /// Open jobs matching, over all pages.
    pub total: usize,
    pub hits: Vec<JobHit>,
    pub facets: Facets,
    pub limit: i64,
    pub offset: i64,
}

/// The answer as JSON (`JobSearchResult`): serialised once, so a kept answer is sent as it is.
pub async fn search_jobs(
    ctx: &AreaContext,
    search: &Arc<Search>,
    filters: JobFilters,
    page: Page,
) -> Result<Bytes, AppError> {
    let query = check(ctx, filters)?;
    let now = Utc::now().naive_utc();
    let key = PageKey::new(search.jobs().version(), now, &query, page);
    // A kept answer costs no search, so it does not queue behind the searches at the gate.
    if let Some(answer) = search.job_pages.kept(&key) {
        return Ok(answer);
    }
    let searching = search.clone();
    search
        .gate
        .run(move || {
            let search = searching;
            search.job_pages.answer(&key, || {
                let found = on_index::search(search.as_ref(), &query, page, now)?;
                let answer = serde_json::to_vec(&page_of(&search.job_fields, found, page))
                    .map_err(|e| AppError::Unexpected(e.into()))?;
                Ok(Bytes::from(answer))
            })
        })
        .await
}

/// The answer, from what the index stores. Like the total and the facets, the page is as of the
/// index's last commit: a job closed a moment ago leaves it within `index_poll_ms`.
fn page_of(fields: &JobFields, found: on_index::Found, page: Page) -> JobSearchResult {
    let on_index::Found { total, hits, facets } = found;
    let hits = hits
        .into_iter()
        .filter_map(|hit| {
            let Some(job) = view_json_of(fields, &hit.doc).and_then(|json| RawValue::from_string(json).ok()) else {
                tracing::error!(job_id = %hit.id, "the jobs index holds no view of this job; run `talentbridge reindex`");
                return None;
            };
            Some(JobHit {
                job,
                score: hit.score,
                highlights: hit.highlights,
            })
        })
        .collect();
    JobSearchResult {
        total,
        hits,
        facets,
        limit: page.limit,
        offset: page.offset,
    }
}

fn check(ctx: &AreaContext, filters: JobFilters) -> Result<JobQuery, AppError> {
    check_filters(&ctx.registry.get(), &ctx.rates, filters)
}

/// Unknown filter values are 422 with the parameter named, not silently empty results. Saved
/// searches (`crate::alerts`) check their filters here too, so both accept exactly the same.
pub(crate) fn check_filters(
    registry: &Registry,
    rates: &Rates,
    filters: JobFilters,
) -> Result<JobQuery, AppError> {
    let mut errors = Vec::new();
    if filters
        .q
        .as_ref()
        .is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS)
    {
        errors.push(FieldError::new(
            "q",
            format!("must be at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    if filters
        .jurisdiction
        .as_ref()
        .is_some_and(|j| registry.jurisdiction(j).is_none())
    {
        errors.push(FieldError::new("jurisdiction", "names no jurisdiction"));
    }
    if let Some(location) = &filters.location_id
        && !registry.locations.iter().any(|l| &l.id == location)
    {
        errors.push(FieldError::new("location_id", "names no location"));
    }
    if filters
        .skill_id
        .as_ref()
        .is_some_and(|s| registry.skill(s).is_none())
    {
        errors.push(FieldError::new("skill_id", "names no skill"));
    }
    if filters
        .employment_type
        .as_ref()
        .is_some_and(|t| !EMPLOYMENT_TYPES.contains(&t.as_str()))
    {
        errors.push(FieldError::new(
            "employment_type",
            format!("must be one of: {}", EMPLOYMENT_TYPES.join(", ")),
        ));
    }
    let posted_since = match filters.posted_since.as_deref().map(parse_instant) {
        Some(Some(at)) => Some(at),
        Some(None) => {
            errors.push(FieldError::new(
                "posted_since",
                "must be a date (YYYY-MM-DD) or an RFC 3339 time",
            ));
            None
        }
        None => None,
    };
    let salary_at_least = salary_floor(registry, rates, &filters, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(JobQuery {
        text: filters.q,
        jurisdiction: filters.jurisdiction,
        location_id: filters.location_id,
        skill_id: filters.skill_id,
        employment_type: filters.employment_type,
        sponsorship: filters.sponsorship,
        posted_since,
        salary_at_least,
    })
}

/// `salary_min` per month in `salary_currency`, in the reference currency the index holds.
fn salary_floor(
    registry: &Registry,
    rates: &Rates,
    filters: &JobFilters,
    errors: &mut Vec<FieldError>,
) -> Option<u64> {
    // A currency alone filters nothing, but a wrong one is still the caller's mistake.
    if let Some(currency) = &filters.salary_currency
        && let Err(message) = crate::money::check_currency(registry.currencies(), currency)
    {
        errors.push(FieldError::new("salary_currency", message));
        return None;
    }
    let amount = filters.salary_min?;
    if let Err(message) = crate::money::check_amount(amount) {
        errors.push(FieldError::new("salary_min", message));
        return None;
    }
    let Some(currency) = &filters.salary_currency else {
        errors.push(FieldError::new("salary_currency", "is needed with salary_min"));
        return None;
    };
    match rates.to_reference(amount as f64, currency) {
        Some(floor) => Some(floor),
        None => {
            let known = crate::money::check_currency(registry.currencies(), currency).err();
            errors.push(FieldError::new(
                "salary_currency",
                known.unwrap_or_else(|| "has no configured exchange rate".into()),
            ));
            None
        }
    }
}

fn parse_instant(raw: &str) -> Option<NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|t| t.naive_utc())
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}
