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
use crate::search::schema::jobs::{JobFields, write_view_json};

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

/// What `answer_json` writes, for the OpenAPI document (and the test that keeps the two alike).
#[derive(Debug, Serialize, ToSchema)]
pub struct JobHit {
    /// The job's view as the index stores it (see `schema::jobs::write_view_json`).
    #[schema(value_type = JobView)]
    pub job: Box<RawValue>,
    /// Relevance to `q` (BM25); 0 for every hit of a search without `q`.
    pub score: f32,
    pub highlights: Highlights,
}

/// What `answer_json` writes, for the OpenAPI document (and the test that keeps the two alike).
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
                let answer = answer_json(&search.job_fields, found, page)
                    .map_err(|e| AppError::Unexpected(e.into()))?;
                Ok(Bytes::from(answer))
            })
        })
        .await
}

/// The answer as JSON in the shape of `JobSearchResult`, from what the index stores. Each hit's
/// view is copied in as the indexer wrote it (`write_view_json`), not parsed again to be checked
/// as a `RawValue` would be: twenty views of 1–2 KB were a parse of 30 KB per request. Like the
/// total and the facets, the page is as of the index's last commit: a job closed a moment ago
/// leaves it within `index_poll_ms`.
fn answer_json(fields: &JobFields, found: on_index::Found, page: Page) -> Result<Vec<u8>, serde_json::Error> {
    let on_index::Found { total, hits, facets } = found;
    let mut json = Vec::with_capacity(4096 + hits.len() * 2048);
    json.extend_from_slice(br#"{"total":"#);
    serde_json::to_writer(&mut json, &total)?;
    json.extend_from_slice(br#","hits":["#);
    let mut written = 0;
    for hit in hits {
        let start = json.len();
        if written > 0 {
            json.push(b',');
        }
        json.extend_from_slice(br#"{"job":"#);
        if !write_view_json(fields, &hit.doc, &mut json) {
            tracing::error!(job_id = %hit.id, "the jobs index holds no view of this job; run `talentbridge reindex`");
            json.truncate(start);
            continue;
        }
        json.extend_from_slice(br#","score":"#);
        serde_json::to_writer(&mut json, &hit.score)?;
        json.extend_from_slice(br#","highlights":"#);
        serde_json::to_writer(&mut json, &hit.highlights)?;
        json.push(b'}');
        written += 1;
    }
    json.extend_from_slice(br#"],"facets":"#);
    serde_json::to_writer(&mut json, &facets)?;
    json.extend_from_slice(br#","limit":"#);
    serde_json::to_writer(&mut json, &page.limit)?;
    json.extend_from_slice(br#","offset":"#);
    serde_json::to_writer(&mut json, &page.offset)?;
    json.push(b'}');
    Ok(json)
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use tantivy::TantivyDocument;

    use super::*;
    use crate::search::query::Hit;
    use crate::search::schema::jobs;

    fn hit(fields: &JobFields, id: &str, view: Option<&str>) -> Hit<Highlights> {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.title, format!("Engineer \"{id}\""));
        doc.add_text(fields.description, "軟件 <b>not markup</b>\n");
        if let Some(view) = view {
            doc.add_text(fields.view, view);
        }
        Hit {
            id: id.into(),
            score: 1.25,
            highlights: Highlights {
                title: Some("<b>Engineer</b>".into()),
                description: None,
            },
            doc,
        }
    }

    #[test]
    fn the_written_answer_is_the_search_result_serialised() {
        let (_, fields) = jobs::schema();
        let stored = r#"{"id":"j1","employer":{"name":"A Ltd","verified":true},"skills":[]}"#;
        let facets = Facets {
            jurisdiction: BTreeMap::from([("HK".to_owned(), 2)]),
            ..Facets::default()
        };
        let found = on_index::Found {
            total: 3,
            hits: vec![
                hit(&fields, "j1", Some(stored)),
                hit(&fields, "broken", None),
                hit(&fields, "j2", Some(stored)),
            ],
            facets: facets.clone(),
        };
        let page = Page {
            limit: 20,
            offset: 40,
        };
        let written: serde_json::Value =
            serde_json::from_slice(&answer_json(&fields, found.clone(), page).unwrap()).unwrap();

        let job = |hit: &Hit<Highlights>| {
            let mut json = Vec::new();
            assert!(write_view_json(&fields, &hit.doc, &mut json));
            RawValue::from_string(String::from_utf8(json).unwrap()).unwrap()
        };
        let expected = JobSearchResult {
            total: 3,
            hits: [&found.hits[0], &found.hits[2]]
                .into_iter()
                .map(|hit| JobHit {
                    job: job(hit),
                    score: hit.score,
                    highlights: hit.highlights.clone(),
                })
                .collect(),
            facets,
            limit: 20,
            offset: 40,
        };
        assert_eq!(written, serde_json::to_value(&expected).unwrap());
        assert_eq!(
            written["hits"][0]["job"]["title"], "Engineer \"j1\"",
            "the text spliced back in"
        );
        assert_eq!(
            written["hits"].as_array().unwrap().len(),
            2,
            "a document without a view is left out"
        );
    }
}
