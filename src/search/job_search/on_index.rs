//! Job search on the index: relevance (BM25, title boosted over skills over description), filters
//! as index terms, facet counts over everything that matched, highlights for the page shown.

use std::collections::BTreeMap;
use std::ops::Bound;

use chrono::NaiveDateTime;
use serde::Serialize;
use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::paging::Page;
use crate::search::Search;
use crate::search::index::SearchIndex;
use crate::search::query::{
    self, FacetTriple, HighlightPair, TextField, must_match, narrowing, on_or_after, parse_text, run, term,
};
use crate::search::schema::jobs::JobFields;

/// Longest accepted query text: far beyond any real search, short enough to bound the work.
pub const MAX_QUERY_CHARS: usize = 500;

const TITLE_BOOST: f32 = 3.0;
const SKILLS_BOOST: f32 = 2.0;

/// What the caller asks for, already checked by the route.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub struct JobQuery {
    pub text: Option<String>,
    pub jurisdiction: Option<String>,
    pub location_id: Option<String>,
    pub skill_id: Option<String>,
    pub employment_type: Option<String>,
    pub sponsorship: Option<bool>,
    pub posted_since: Option<NaiveDateTime>,
    /// Jobs whose range reaches at least this much per month, in the reference currency.
    pub salary_at_least: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Highlights {
    /// The title with matched words in `<b>…</b>`, HTML-escaped otherwise.
    pub title: Option<String>,
    /// A fragment of the description, likewise.
    pub description: Option<String>,
}

impl HighlightPair for Highlights {
    fn from_pair([title, description]: [Option<String>; 2]) -> Self {
        Highlights { title, description }
    }
}

pub type Hit = query::Hit<Highlights>;

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Facets {
    pub jurisdiction: BTreeMap<String, u64>,
    pub employment_type: BTreeMap<String, u64>,
    pub skills: BTreeMap<String, u64>,
}

impl FacetTriple for Facets {
    const ROOTS: [&'static str; 3] = ["jurisdiction", "employment_type", "skill"];
    fn from_triple([jurisdiction, employment_type, skills]: [BTreeMap<String, u64>; 3]) -> Self {
        Facets {
            jurisdiction,
            employment_type,
            skills,
        }
    }
}

pub type Found = query::Found<Highlights, Facets>;

/// Runs a search on the committed jobs index. Blocking: call it on the blocking pool.
pub fn search(search: &Search, query: &JobQuery, page: Page, now: NaiveDateTime) -> Result<Found, AppError> {
    let fields = &search.job_fields;
    // One index for the whole search, even if a rebuilt one is swapped in meanwhile.
    let index = search.jobs();
    let text_query = text_query(search, &index, query.text.as_deref())?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
    must_match(
        &mut clauses,
        [
            (fields.jurisdiction, &query.jurisdiction),
            (fields.location_id, &query.location_id),
            (fields.skill_id, &query.skill_id),
            (fields.employment_type, &query.employment_type),
        ],
    );
    if let Some(sponsorship) = query.sponsorship {
        clauses.push((
            Occur::Must,
            narrowing(term(Term::from_field_bool(fields.sponsorship, sponsorship))),
        ));
    }
    clauses.push((Occur::Must, on_or_after(fields.expires_at, now)));
    if let Some(floor) = query.salary_at_least {
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(fields.salary_max_monthly, floor)),
                Bound::Unbounded,
            )),
        ));
    }
    if let Some(since) = query.posted_since {
        clauses.push((Occur::Must, on_or_after(fields.published_at, since)));
    }
    let query = BooleanQuery::new(clauses);

    run(
        &index,
        &query,
        &*text_query,
        page,
        fields.id,
        [fields.title, fields.description],
        Some(fields.published_at),
    )
}

/// The text part: every word of the query over title, skills (all scripts), employer and
/// description; an empty query matches every open job. Syntax the parser rejects is the
/// caller's mistake (400), never a 500.
fn text_query(search: &Search, index: &SearchIndex, text: Option<&str>) -> Result<Box<dyn Query>, AppError> {
    parse_text(&index.index, text, &text_fields(&search.job_fields))
}

/// The fields the text is searched in, under the names `q` may use (`title:engineer`), as the
/// API documents them for `q`.
pub fn text_fields(fields: &JobFields) -> [TextField; 4] {
    [
        TextField::new("title", fields.title, TITLE_BOOST),
        TextField::new("skills", fields.skills_text, SKILLS_BOOST),
        TextField::new("employer", fields.employer_name, 1.0),
        TextField::new("description", fields.description, 1.0),
    ]
}
