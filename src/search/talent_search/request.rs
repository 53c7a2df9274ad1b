//! Talent search requests: who may search, the filters checked against the registry, the
//! consent rule turned into the query, and the page loaded and re-checked against the rule.

use std::sync::Arc;

use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::Actor;
use crate::audit::reads::{self, PageRead};
use crate::auth::{AuthUser, Role};
use crate::candidates::model::CandidateRecords;
use crate::candidates::views::ProfileView;
use crate::candidates::visibility;
use crate::context::AreaContext;
use crate::error::{AppError, FieldError};
use crate::i18n::Locale;
use crate::paging::Page;
use crate::search::Search;
use crate::search::talent_search::on_index::{self, TalentFacets, TalentHighlights, TalentQuery};

#[derive(Debug, Serialize, ToSchema)]
pub struct TalentHitView {
    pub candidate: ProfileView,
    pub score: f32,
    pub highlights: TalentHighlights,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TalentSearchResult {
    /// Candidates the caller may see that match, over all pages.
    pub total: usize,
    pub hits: Vec<TalentHitView>,
    pub facets: TalentFacets,
    pub limit: i64,
    pub offset: i64,
}

pub async fn search_candidates(
    ctx: &AreaContext,
    search: &Arc<Search>,
    user: &AuthUser,
    query: TalentQuery,
    page: Page,
    locale: Locale,
) -> Result<TalentSearchResult, AppError> {
    user.require(&[Role::Employer, Role::AgencyOfficer, Role::Admin])?;
    check(ctx, &query)?;
    let (user_id, role) = (user.id.clone(), user.role);
    let audience = ctx
        .db
        .read(move |conn| Ok(visibility::audience(conn, &user_id, role)?))
        .await?;
    let searching = search.clone();
    let found = search
        .gate
        .run(move || on_index::search(searching.as_ref(), &query, &audience, page))
        .await?;

    let registry = ctx.registry.get();
    let (user_id, role) = (user.id.clone(), user.role);
    let (hits, reads) = ctx
        .db
        .read(move |conn| {
            let ids: Vec<String> = found.hits.iter().map(|hit| hit.id.clone()).collect();
            let mut listed = by_id(crate::candidates::records::live_candidates(conn, &ids)?);
            let seats = visibility::seats_of(conn, &user_id, role)?;
            let reader = visibility::reader_for(role, &seats);
            let mut hits = Vec::with_capacity(found.hits.len());
            let mut reads = Vec::new();
            for hit in found.hits {
                let Some(candidate) = listed.remove(&hit.id) else {
                    continue;
                };
                // The rule again, on the stored record.
                let Some(view) = ProfileView::if_visible(&candidate, &reader, &registry, locale, &mut reads)
                else {
                    continue;
                };
                hits.push(TalentHitView {
                    candidate: view,
                    score: hit.score,
                    highlights: hit.highlights,
                });
            }
            Ok((hits, reads))
        })
        .await?;
    visibility::record_cross_border_reads(ctx, user, reads).await?;
    if user.role.is_agency() {
        let ids = hits.iter().map(|hit| hit.candidate.id.clone()).collect();
        let page_read = PageRead {
            candidate_ids: ids,
            offset: page.offset,
            limit: page.limit,
        };
        reads::record_page_read(&ctx.db, Actor::from(user), reads::TALENT_SEARCH_PAGE, page_read).await?;
    }
    Ok(TalentSearchResult {
        total: found.total,
        hits,
        facets: found.facets,
        limit: page.limit,
        offset: page.offset,
    })
}

fn check(ctx: &AreaContext, query: &TalentQuery) -> Result<(), AppError> {
    let registry = ctx.registry.get();
    let mut errors = Vec::new();
    if query
        .text
        .as_ref()
        .is_some_and(|q| q.chars().count() > crate::search::job_search::on_index::MAX_QUERY_CHARS)
    {
        errors.push(FieldError::new(
            "q",
            format!(
                "must be at most {} characters",
                crate::search::job_search::on_index::MAX_QUERY_CHARS
            ),
        ));
    }
    if query
        .skill_id
        .as_ref()
        .is_some_and(|s| registry.skill(s).is_none())
    {
        errors.push(FieldError::new("skill_id", "names no skill"));
    }
    if query
        .jurisdiction
        .as_ref()
        .is_some_and(|j| registry.jurisdiction(j).is_none())
    {
        errors.push(FieldError::new("jurisdiction", "names no jurisdiction"));
    }
    if query.language.as_ref().is_some_and(|l| {
        l.is_empty() || l.len() > 12 || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    }) {
        errors.push(FieldError::new(
            "language",
            "must be a language code such as en, yue or zh",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Loaded candidates keyed by id, for a page in the index's order.
pub(crate) fn by_id(
    candidates: Vec<CandidateRecords>,
) -> std::collections::HashMap<String, CandidateRecords> {
    candidates.into_iter().map(|c| (c.row.id.clone(), c)).collect()
}
