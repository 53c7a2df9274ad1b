//! Pieces every search shares: the text query, filters, facets, highlights.

use std::ops::Bound;
use std::sync::LazyLock;

use chrono::NaiveDateTime;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{DateTime, Index, Searcher, TantivyDocument, Term};

use super::analysis::{ANALYZER, query_analyzer};
use super::facets::{FacetTally, Tallies};
use super::index::SearchIndex;
use super::jobs_index::NEVER_EXPIRES;
use crate::error::AppError;
use crate::http::pagination::Page;

/// One page of a search, before the records are loaded.
pub struct Results {
    pub total: usize,
    pub hits: Vec<RawHit>,
    /// Per facet root asked for, in that order: name → matching documents.
    pub facets: Tallies,
}

pub struct RawHit {
    pub id: String,
    pub score: f32,
    /// The two highlighted fields, in the order asked for.
    pub highlights: [Option<String>; 2],
}

/// Runs `query` on the committed index: the page by score, the total, the facet counts under
/// `facet_roots` (`["skill", …]`, field `facets`), and highlights of two stored fields for the terms of
/// `text_query`. Blocking: call it on the blocking pool.
pub fn run(
    index: &SearchIndex,
    query: &dyn Query,
    text_query: &dyn Query,
    page: Page,
    id_field: Field,
    highlighted: [Field; 2],
    facet_roots: &[&str],
) -> Result<Results, AppError> {
    let searcher = index.reader.searcher();
    let facet_tally = FacetTally::new(&index.facet_names, facet_roots);
    let top = TopDocs::with_limit(page.limit as usize)
        .and_offset(page.offset as usize)
        .order_by_score();
    let (top, total, facets) = searcher
        .search(query, &(top, Count, facet_tally))
        .map_err(unexpected)?;
    let generators = [
        snippets(&searcher, text_query, highlighted[0])?,
        snippets(&searcher, text_query, highlighted[1])?,
    ];
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address).map_err(unexpected)?;
        let id = doc
            .get_first(id_field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        let highlights = [highlight(&generators[0], &doc), highlight(&generators[1], &doc)];
        hits.push(RawHit {
            id,
            score,
            highlights,
        });
    }
    Ok(Results { total, hits, facets })
}

/// What a query's words are analysed with (see `analysis::query_analyzer`), under the name the
/// fields' index analyzer has.
static QUERY_ANALYZERS: LazyLock<TokenizerManager> = LazyLock::new(|| {
    let manager = TokenizerManager::default();
    manager.register(ANALYZER, query_analyzer());
    manager
});

/// Every word of `text` must match, in any of the weighted fields — what a job board's search
/// box means, and it keeps broad multi-word queries from scoring most of the index; `a OR b`
/// asks for either. No text matches everything. Syntax the parser rejects is the caller's
/// mistake (400), never a 500.
pub fn parse_text(
    index: &Index,
    text: Option<&str>,
    fields: &[(Field, f32)],
) -> Result<Box<dyn Query>, AppError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(Box::new(AllQuery));
    };
    let mut parser = QueryParser::new(
        index.schema(),
        fields.iter().map(|(field, _)| *field).collect(),
        QUERY_ANALYZERS.clone(),
    );
    for (field, boost) in fields {
        if *boost != 1.0 {
            parser.set_field_boost(*field, *boost);
        }
    }
    parser.set_conjunction_by_default();
    parser
        .parse_query(text)
        .map_err(|error| AppError::bad_request(format!("q is not a valid query: {error}")))
}

pub fn term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// Instants are clamped to what the index can hold (1970 to 2200): any job is posted and
/// expires inside it, so the answer is unchanged — and a date far off cannot overflow.
pub fn on_or_after(field: Field, at: NaiveDateTime) -> Box<dyn Query> {
    let at = DateTime::from_timestamp_secs(at.and_utc().timestamp().clamp(0, NEVER_EXPIRES));
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_date_for_search(field, at)),
        Bound::Unbounded,
    ))
}

fn snippets(searcher: &Searcher, query: &dyn Query, field: Field) -> Result<SnippetGenerator, AppError> {
    let mut generator = SnippetGenerator::create(searcher, query, field).map_err(unexpected)?;
    generator.set_max_num_chars(200);
    Ok(generator)
}

/// The field with matched words in `<b>…</b>` (HTML-escaped otherwise), when any matched.
fn highlight(generator: &SnippetGenerator, doc: &TantivyDocument) -> Option<String> {
    let snippet = generator.snippet_from_doc(doc);
    (!snippet.highlighted().is_empty()).then(|| snippet.to_html())
}

pub fn unexpected(error: tantivy::TantivyError) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("search failed: {error}"))
}
