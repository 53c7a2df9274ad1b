//! Pieces every search shares: the text query, filters, facets, highlights.

use std::collections::BTreeMap;
use std::ops::Bound;

use chrono::NaiveDateTime;
use tantivy::collector::FacetCounts;
use tantivy::query::{AllQuery, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, Index, Searcher, TantivyDocument, Term};

use super::jobs_index::NEVER_EXPIRES;
use crate::error::AppError;

/// Every word of `text` over the weighted fields; no text matches everything. Syntax the parser
/// rejects is the caller's mistake (400), never a 500.
pub fn parse_text(
    index: &Index,
    text: Option<&str>,
    fields: &[(Field, f32)],
) -> Result<Box<dyn Query>, AppError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(Box::new(AllQuery));
    };
    let mut parser = QueryParser::for_index(index, fields.iter().map(|(field, _)| *field).collect());
    for (field, boost) in fields {
        if *boost != 1.0 {
            parser.set_field_boost(*field, *boost);
        }
    }
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

/// Counts under one facet root, keyed by the last path segment.
pub fn children(counts: &FacetCounts, root: &str) -> BTreeMap<String, u64> {
    counts
        .get(root)
        .map(|(facet, count)| {
            let name = facet.to_path().last().map(|s| s.to_string()).unwrap_or_default();
            (name, count)
        })
        .collect()
}

pub fn snippets(searcher: &Searcher, query: &dyn Query, field: Field) -> Result<SnippetGenerator, AppError> {
    let mut generator = SnippetGenerator::create(searcher, query, field).map_err(unexpected)?;
    generator.set_max_num_chars(200);
    Ok(generator)
}

/// The field with matched words in `<b>…</b>` (HTML-escaped otherwise), when any matched.
pub fn highlight(generator: &SnippetGenerator, doc: &TantivyDocument) -> Option<String> {
    let snippet = generator.snippet_from_doc(doc);
    (!snippet.highlighted().is_empty()).then(|| snippet.to_html())
}

pub fn unexpected(error: tantivy::TantivyError) -> AppError {
    AppError::Unexpected(anyhow::anyhow!("search failed: {error}"))
}
