//! Match requests: who may ask, the facts of the side asking (from the database), the pool from
//! the index, the formula, and the page loaded in a few queries — for job matches re-checked
//! against the consent rule on the stored records and audited when read across the boundary.

use std::sync::Arc;

use std::collections::HashMap;

use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;

use super::retrieve;
use super::score::{AuthorizationStatus, Context, Explanation, explain, ranks_before};
use crate::audit::Actor;
use crate::audit::reads::{self, PageRead};
use crate::auth::{AuthUser, Role};
use crate::candidates::views::ProfileView;
use crate::candidates::visibility::{self, CrossBorderRead, Reader, Seat};
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::jobs::views::JobView;
use crate::registry::Registry;
use crate::registry::fit::Book;
use crate::registry::resolve::Rules;
use crate::search::Search;
use crate::search::schema::facts::{CandidateFacts, JobFacts};

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 50;

/// What a match request asks besides its subject.
#[derive(Debug, Clone, Copy)]
pub struct MatchOptions {
    pub limit: usize,
    /// Leave out hits with no work authorisation and no sponsorship (they rank last otherwise).
    pub authorized_only: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobMatch {
    pub job_id: String,
    pub job: JobView,
    #[serde(flatten)]
    pub explanation: Explanation,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateMatch {
    pub candidate_id: String,
    pub candidate: ProfileView,
    #[serde(flatten)]
    pub explanation: Explanation,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobMatches {
    /// Best first.
    pub hits: Vec<JobMatch>,
    /// How many jobs the index offered to the formula.
    pub considered: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateMatches {
    /// Best first; only candidates the caller may see.
    pub hits: Vec<CandidateMatch>,
    /// How many candidates the index offered to the formula.
    pub considered: usize,
}

/// Jobs for the signed-in candidate.
pub async fn jobs_for_candidate(
    ctx: &AreaContext,
    search: &Arc<Search>,
    user: &AuthUser,
    options: MatchOptions,
    locale: Locale,
) -> Result<JobMatches, AppError> {
    user.require(&[Role::Candidate])?;
    let user_id = user.id.clone();
    let records = ctx
        .db
        .read(move |conn| {
            let row =
                crate::candidates::profile::live_candidate_of(conn, &user_id)?.ok_or(AppError::NotFound)?;
            let mut loaded = crate::candidates::records::live_candidates(conn, &[row.id])?;
            loaded.pop().ok_or(AppError::NotFound)
        })
        .await?;
    let facts = CandidateFacts::of(&records, &ctx.rates);
    let now = Utc::now().naive_utc();
    let registry = ctx.registry.get();
    let searching = search.clone();
    let (ranked, considered) = search
        .gate
        .run(move || {
            let pool = retrieve::jobs_for(searching.as_ref(), &facts, &records.row.headline, now)?;
            let considered = pool.len();
            let ranked = with_context(&registry, locale, |context| {
                let scored = pool.iter().map(|hit| {
                    (
                        hit.facts.id.clone(),
                        explain(context, &hit.facts, &facts, hit.relevance),
                    )
                });
                order(scored, options)
            });
            Ok::<_, AppError>((ranked, considered))
        })
        .await?;

    let registry = ctx.registry.get();
    let hits = ctx
        .db
        .read(move |conn| {
            let ids: Vec<String> = ranked.iter().map(|(id, _)| id.clone()).collect();
            let mut views = crate::jobs::service::open_views(conn, &registry, &ids, now)?;
            // A job closed since the index saw it is left out.
            Ok(ranked
                .into_iter()
                .filter_map(|(job_id, explanation)| {
                    let job = views.remove(&job_id)?;
                    Some(JobMatch {
                        job_id,
                        job,
                        explanation,
                    })
                })
                .collect())
        })
        .await?;
    Ok(JobMatches { hits, considered })
}

/// Candidates for a job, for its employer's members and agency staff.
pub async fn candidates_for_job(
    ctx: &AreaContext,
    search: &Arc<Search>,
    user: &AuthUser,
    job_id: String,
    options: MatchOptions,
    locale: Locale,
) -> Result<CandidateMatches, AppError> {
    let caller = user.clone();
    let full = ctx
        .db
        .read(move |conn| {
            let job = crate::jobs::service::find_for_matching(conn, &caller, &job_id)?;
            crate::jobs::service::load_full(conn, job)
        })
        .await?;
    let registry = ctx.registry.get();
    let facts = JobFacts::of(&full, full.jurisdiction(&registry), &ctx.rates);
    let seat = Seat {
        employer_id: full.job.employer_id.clone(),
        jurisdiction: full.employer_jurisdiction.clone(),
        verified: full.employer_verified,
    };
    let agency = user.role.is_agency();
    let page_limit = options.limit as i64;
    let audience = visibility::audience_of(&visibility::job_reader(agency, &seat));
    let searching = search.clone();
    let title = full.job.title.clone();
    let (ranked, considered) = search
        .gate
        .run(move || {
            let pool = retrieve::candidates_for(searching.as_ref(), &facts, &title, &audience)?;
            let considered = pool.len();
            let ranked = with_context(&registry, locale, |context| {
                let scored = pool.iter().map(|hit| {
                    (
                        hit.facts.id.clone(),
                        explain(context, &facts, &hit.facts, hit.relevance),
                    )
                });
                order(scored, options)
            });
            Ok::<_, AppError>((ranked, considered))
        })
        .await?;

    let registry = ctx.registry.get();
    let (hits, reads) = ctx
        .db
        .read(move |conn| {
            let reader = visibility::job_reader(agency, &seat);
            visible_page(conn, &registry, locale, &reader, ranked)
        })
        .await?;
    visibility::record_cross_border_reads(ctx, user, reads).await?;
    if agency {
        let page = PageRead {
            candidate_ids: hits.iter().map(|hit| hit.candidate_id.clone()).collect(),
            offset: 0,
            limit: page_limit,
        };
        reads::record_page_read(&ctx.db, Actor::from(user), reads::JOB_MATCHES_PAGE, page).await?;
    }
    Ok(CandidateMatches { hits, considered })
}

/// Loads the ranked candidates in a few queries and keeps those `reader` may see by the consent
/// rule on their stored records (the index may trail a withdrawal); returns the hits and the
/// cross-border reads to audit.
fn visible_page(
    conn: &mut DbConnection,
    registry: &Registry,
    locale: Locale,
    reader: &Reader<'_>,
    ranked: Vec<(String, Explanation)>,
) -> Result<(Vec<CandidateMatch>, Vec<CrossBorderRead>), AppError> {
    let ids: Vec<String> = ranked.iter().map(|(id, _)| id.clone()).collect();
    let mut loaded = crate::search::talent_search::request::by_id(
        crate::candidates::records::live_candidates(conn, &ids)?,
    );
    let mut hits = Vec::with_capacity(ranked.len());
    let mut reads = Vec::new();
    for (candidate_id, explanation) in ranked {
        let Some(candidate) = loaded.remove(&candidate_id) else {
            continue;
        };
        let Some(view) = ProfileView::if_visible(&candidate, reader, registry, locale, &mut reads) else {
            continue;
        };
        hits.push(CandidateMatch {
            candidate_id,
            candidate: view,
            explanation,
        });
    }
    Ok((hits, reads))
}

/// Runs `score` with the registry's reading for the formula (rules, bases, labels, today).
fn with_context<R>(registry: &Registry, locale: Locale, score: impl FnOnce(&Context<'_>) -> R) -> R {
    let authorizing: HashMap<&str, bool> = registry
        .bases
        .iter()
        .map(|b| (b.code.as_str(), b.authorizes_work))
        .collect();
    let authorizes_work = |basis: &str| authorizing.get(basis).copied().unwrap_or(false);
    let skill_label = |id: &str| {
        registry
            .skill(id)
            .map(|s| s.labels.get(locale).to_owned())
            .unwrap_or_else(|| id.to_owned())
    };
    let context = Context {
        book: Book {
            rules: Rules {
                equivalences: &registry.equivalences,
                comparabilities: &registry.comparabilities,
                levels: &registry.levels,
            },
            qualifications: &registry.qualifications,
        },
        authorizes_work: &authorizes_work,
        skill_label: &skill_label,
        today: Utc::now().date_naive(),
    };
    score(&context)
}

/// Best first, the unauthorised left out when asked, cut to the page.
fn order(
    scored: impl Iterator<Item = (String, Explanation)>,
    options: MatchOptions,
) -> Vec<(String, Explanation)> {
    let mut scored: Vec<(String, Explanation)> = scored
        .filter(|(_, e)| !options.authorized_only || e.work_authorization.status != AuthorizationStatus::None)
        .collect();
    scored.sort_by(|(a_id, a), (b_id, b)| ranks_before(a, b).then_with(|| a_id.cmp(b_id)));
    scored.truncate(options.limit);
    scored
}
