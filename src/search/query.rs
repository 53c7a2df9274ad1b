//! Pieces every search shares: the text query, filters, facets, highlights.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::LazyLock;

use chrono::NaiveDateTime;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, ConstScoreQuery, Occur, Query, QueryParser, QueryParserError, RangeQuery, TermQuery,
};
use tantivy::query_grammar::{self, UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, IndexRecordOption, Schema, Value};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{DateTime, Index, TantivyDocument, Term};

use crate::error::{AppError, FieldError};
use crate::paging::Page;
use crate::search::any_of;
use crate::search::facet_filter::{FacetFilter, within_facets};
use crate::search::facets::FacetTally;
use crate::search::highlights;
use crate::search::index::SearchIndex;
pub use crate::search::index::unexpected;
use crate::search::newest_first::NewestFirst;
use crate::search::schema::jobs::NEVER_EXPIRES;
use crate::search::schema::register_query_analyzers;
pub use crate::search::text_field::TextField;
use crate::search::word_pairs;

/// One page of a search, before the records are loaded, in the shapes of the side that asked.
#[derive(Debug, Clone)]
pub struct Found<H, F> {
    pub total: usize,
    pub hits: Vec<Hit<H>>,
    pub facets: F,
}

#[derive(Debug, Clone)]
pub struct Hit<H> {
    pub id: String,
    pub score: f32,
    pub highlights: H,
    /// The stored document, for a side that shows what it stores.
    pub doc: TantivyDocument,
}

/// A side's highlights: the two stored fields it shows with matched words marked.
pub trait HighlightPair {
    /// The two fields' highlights, in the order the side passed the fields to `run`.
    fn from_pair(pair: [Option<String>; 2]) -> Self;
}

/// A side's facet counts: three roots of the `facets` field, each name → matching documents.
pub trait FacetTriple: Default {
    /// The roots counted, in the order `from_triple` receives them.
    const ROOTS: [&'static str; 3];
    fn from_triple(counts: [BTreeMap<String, u64>; 3]) -> Self;
}

/// Runs `query` on the committed index: the page, the total, the facet counts of the side's
/// roots, and highlights of two stored fields for the terms of `text_query`. The page is by score;
/// when `text_query` has no words (it matches everything, so there is no relevance to rank by)
/// and the side names a date in `newest_first`, it is the newest first, each hit scored 0.
/// Blocking: call it on the blocking pool.
pub fn run<H: HighlightPair, F: FacetTriple>(
    index: &SearchIndex,
    query: &dyn Query,
    text_query: &dyn Query,
    page: Page,
    id_field: Field,
    highlighted: [TextField; 2],
    newest_first: Option<Field>,
) -> Result<Found<H, F>, AppError> {
    let searcher = index.reader.searcher();
    let facet_tally = FacetTally::new(&index.facet_tables, &F::ROOTS);
    let browsing = newest_first.filter(|_| text_query.is::<AllQuery>());
    let (top, total, tallies) = match browsing {
        Some(date) => {
            let newest = NewestFirst::new(
                searcher.schema().get_field_name(date),
                page.offset as usize,
                page.limit as usize,
            );
            let (top, total, tallies) = searcher
                .search(query, &(newest, Count, facet_tally.broad()))
                .map_err(unexpected)?;
            let unscored = top.into_iter().map(|(_, address)| (0.0, address)).collect();
            (unscored, total, tallies)
        }
        None => {
            let top = TopDocs::with_limit(page.limit as usize).and_offset(page.offset as usize);
            searcher
                .search(query, &(top.order_by_score(), Count, facet_tally))
                .map_err(unexpected)?
        }
    };
    let docs = top
        .iter()
        .map(|(_, address)| searcher.doc::<TantivyDocument>(*address).map_err(unexpected))
        .collect::<Result<Vec<_>, _>>()?;
    let shown: Vec<_> = top
        .iter()
        .zip(&docs)
        .map(|((_, address), doc)| (*address, doc))
        .collect();
    let [first, second] = highlighted;
    let marked = [
        highlights::of_field(&searcher, text_query, first, &shown)?,
        highlights::of_field(&searcher, text_query, second, &shown)?,
    ];
    let [first, second] = marked.map(Vec::into_iter);
    let hits = top
        .into_iter()
        .zip(docs)
        .zip(first.zip(second))
        .map(|(((score, _), doc), (first, second))| Hit {
            id: doc
                .get_first(id_field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned(),
            score,
            highlights: H::from_pair([first, second]),
            doc,
        })
        .collect();
    let facets = <[_; 3]>::try_from(tallies).map_or_else(|_| F::default(), F::from_triple);
    Ok(Found { total, hits, facets })
}

/// What a query's words are analysed with (see `analysis::query_analyzer`), under the name the
/// fields' index analyzer has.
static QUERY_ANALYZERS: LazyLock<TokenizerManager> = LazyLock::new(|| {
    let manager = TokenizerManager::default();
    register_query_analyzers(&manager);
    manager
});

/// The text part of a search: what it matches with, and the words whose places a hit's
/// highlights mark (a pair of words is matched as one term of another field, but highlighted
/// where each word stands).
pub struct TextQuery {
    pub matching: Box<dyn Query>,
    pub words: Box<dyn Query>,
}

/// Every word of `text` must match, in any of `fields` — what a job board's search box means,
/// and it keeps broad multi-word queries from scoring most of the index; `a OR b` asks for
/// either, `name:word` one field by its public name. No text matches everything. Syntax the
/// parser rejects, and any other field name, are the caller's mistake (400), never a 500.
pub fn parse_text(index: &Index, text: Option<&str>, fields: &[TextField]) -> Result<TextQuery, AppError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(TextQuery {
            matching: Box::new(AllQuery),
            words: Box::new(AllQuery),
        });
    };
    let schema = index.schema();
    let ast = query_grammar::parse_query(text).map_err(|_| AppError::bad_request(INVALID_QUERY))?;
    let ast = to_index_fields(ast, &schema, fields)?;
    let mut parser = QueryParser::new(
        schema.clone(),
        fields.iter().map(|text_field| text_field.field).collect(),
        QUERY_ANALYZERS.clone(),
    );
    for text_field in fields {
        if text_field.boost != 1.0 {
            parser.set_field_boost(text_field.field, text_field.boost);
        }
    }
    parser.set_conjunction_by_default();
    let with_pairs = word_pairs::with_pairs(&parser, &ast, &schema, fields).map_err(invalid_query)?;
    let words = build(&parser, ast)?;
    let matching = match with_pairs {
        Some(query) => any_of::seek_friendly(query),
        None => words.box_clone(),
    };
    Ok(TextQuery { matching, words })
}

fn build(parser: &QueryParser, ast: UserInputAst) -> Result<Box<dyn Query>, AppError> {
    parser
        .build_query_from_user_input_ast(ast)
        .map(any_of::seek_friendly)
        .map_err(invalid_query)
}

const INVALID_QUERY: &str = "q is not a valid query";

/// Renames each field the query names from its public name to the index's. A name that is not
/// public is refused with the same answer whether or not the index has such a field, so the
/// answer tells nothing about the index.
fn to_index_fields(
    ast: UserInputAst,
    schema: &Schema,
    fields: &[TextField],
) -> Result<UserInputAst, AppError> {
    match ast {
        UserInputAst::Clause(clauses) => clauses
            .into_iter()
            .map(|(occur, clause)| Ok((occur, to_index_fields(clause, schema, fields)?)))
            .collect::<Result<_, AppError>>()
            .map(UserInputAst::Clause),
        UserInputAst::Boost(inner, boost) => Ok(UserInputAst::Boost(
            Box::new(to_index_fields(*inner, schema, fields)?),
            boost,
        )),
        UserInputAst::Leaf(leaf) => {
            let rename =
                |name: Option<String>| name.map(|name| index_field(&name, schema, fields)).transpose();
            let leaf = match *leaf {
                UserInputLeaf::Literal(mut literal) => {
                    literal.field_name = rename(literal.field_name)?;
                    UserInputLeaf::Literal(literal)
                }
                UserInputLeaf::Range { field, lower, upper } => UserInputLeaf::Range {
                    field: rename(field)?,
                    lower,
                    upper,
                },
                UserInputLeaf::Set { field, elements } => UserInputLeaf::Set {
                    field: rename(field)?,
                    elements,
                },
                UserInputLeaf::Regex { field, pattern } => UserInputLeaf::Regex {
                    field: rename(field)?,
                    pattern,
                },
                // Asks the index whether a field has a value, which only its numeric fields
                // can answer.
                UserInputLeaf::Exists { field } => {
                    index_field(&field, schema, fields)?;
                    return Err(AppError::bad_request(format!(
                        "{INVALID_QUERY}: `{field}:*` is not supported; search for words instead"
                    )));
                }
                UserInputLeaf::All => UserInputLeaf::All,
            };
            Ok(UserInputAst::Leaf(Box::new(leaf)))
        }
    }
}

/// The index's name for the public field `name`.
fn index_field(name: &str, schema: &Schema, fields: &[TextField]) -> Result<String, AppError> {
    fields
        .iter()
        .find(|text_field| text_field.name == name)
        .map(|text_field| schema.get_field_name(text_field.field).to_owned())
        .ok_or_else(|| unknown_field(fields))
}

/// Names only the fields that may be searched, never the one asked for: that could be an
/// internal field, and the answer must not depend on it.
fn unknown_field(fields: &[TextField]) -> AppError {
    let names: Vec<&str> = fields.iter().map(|text_field| text_field.name).collect();
    let message = format!(
        "a `name:` prefix must be one of the fields {}; to search for text with a colon, \
         put it in quotes (\"9:00\") or escape the colon (9\\:00)",
        names.join(", ")
    );
    AppError::BadRequest {
        detail: format!("{INVALID_QUERY}: {message}"),
        errors: vec![FieldError::new("q", message)],
    }
}

/// The parser's complaint, when it names no field: the public names were replaced by the
/// index's, which an answer must not show.
fn invalid_query(error: QueryParserError) -> AppError {
    match error {
        QueryParserError::SyntaxError(_)
        | QueryParserError::UnsupportedQuery(_)
        | QueryParserError::AllButQueryForbidden
        | QueryParserError::RangeMustNotHavePhrase => {
            AppError::bad_request(format!("{INVALID_QUERY}: {error}"))
        }
        _ => AppError::bad_request(INVALID_QUERY),
    }
}

pub fn term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// A filter: it narrows the matches and adds nothing to their scores. Scored as a term, a filter
/// on a field of several values (a job's skills) ranked jobs with fewer values higher, and its
/// score was computed for every match only to be added alike to all of them.
pub fn narrowing(filter: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(filter, 0.0))
}

/// Adds each filter that is given as a required exact term of its field.
pub fn must_match<'a>(
    clauses: &mut Vec<(Occur, Box<dyn Query>)>,
    filters: impl IntoIterator<Item = (Field, &'a Option<String>)>,
) {
    for (field, value) in filters {
        if let Some(value) = value {
            clauses.push((Occur::Must, narrowing(term(Term::from_field_text(field, value)))));
        }
    }
}

/// The words, and the filters on values that are also facets, each as `(root, field, value)`:
/// with words, each segment checks the broad ones on each match's facet record
/// (`facet_filter`); without, they are terms whose postings lead the search to its documents.
pub fn words_within_facets<'a>(
    index: &SearchIndex,
    words: Box<dyn Query>,
    filters: impl IntoIterator<Item = (&'a str, Field, &'a Option<String>)>,
) -> Vec<(Occur, Box<dyn Query>)> {
    let filters = filters.into_iter().filter_map(|(root, field, value)| {
        let value = value.as_deref()?;
        Some((root, value, narrowing(term(Term::from_field_text(field, value)))))
    });
    if words.is::<AllQuery>() {
        let mut clauses = vec![(Occur::Must, words)];
        clauses.extend(filters.map(|(_, _, as_term)| (Occur::Must, as_term)));
        return clauses;
    }
    let filters = filters.map(|(root, value, as_term)| FacetFilter::new(root, value, as_term));
    vec![(Occur::Must, within_facets(words, filters, &index.facet_tables))]
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

#[cfg(test)]
mod tests {
    use tantivy::Index;

    use super::*;
    use crate::search::schema::jobs;

    /// The jobs schema with only `title` and `skills` public: its other fields stand for the
    /// internal ones.
    fn parse(text: &str) -> Result<Box<dyn Query>, AppError> {
        let (schema, fields) = jobs::schema();
        let index = Index::create_in_ram(schema);
        let public = [
            TextField::new("title", fields.title_words, 3.0),
            TextField::new("skills", fields.skills_text, 1.0),
        ];
        parse_text(&index, Some(text), &public).map(|text| text.matching)
    }

    fn refusal(text: &str) -> String {
        match parse(text) {
            Err(AppError::BadRequest { detail, errors }) => {
                assert!(errors.iter().all(|error| error.field == "q"), "{errors:?}");
                detail
            }
            Err(other) => panic!("{text}: {other:?}"),
            Ok(query) => panic!("{text} was accepted: {query:?}"),
        }
    }

    #[test]
    fn public_fields_are_searched_under_the_index_names() {
        let fields = jobs::schema().1;
        let title = format!("{:?}", parse("title:engineer").unwrap());
        let title_words = format!("field={}", fields.title_words.field_id());
        assert!(title.contains(&title_words), "title_words: {title}");
        let skills = format!("{:?}", parse("skills:rust").unwrap());
        let skills_text = format!("field={}", fields.skills_text.field_id());
        assert!(skills.contains(&skills_text), "skills_text: {skills}");
        for plain in [
            "engineer rust",
            "\"C++: expert\"",
            "C++\\: expert",
            "9\\:00",
            "\"9:00\"",
            "(title:a OR b) -c",
        ] {
            assert!(parse(plain).is_ok(), "{plain}");
        }
    }

    #[test]
    fn any_other_field_is_refused_alike_without_naming_it() {
        let unknown = refusal("nosuch:HK");
        assert!(unknown.contains("title, skills"), "{unknown}");
        for internal in [
            "jurisdiction:HK",
            "skills_text:rust",
            "employer_name:acme",
            "jurisdiction:[A TO Z]",
            "jurisdiction: IN [HK CN]",
            "jurisdiction:*",
            "title:a AND (b OR -jurisdiction:HK)",
            "(jurisdiction:HK)^2",
        ] {
            let detail = refusal(internal);
            assert_eq!(
                detail, unknown,
                "{internal}: the same answer as for a name that does not exist"
            );
            assert!(
                !detail.contains("jurisdiction") && !detail.contains("_name") && !detail.contains("_text")
            );
        }
        // A time or a URL reads as a field name: refused the same way, with how to quote it.
        assert_eq!(refusal("9:00"), unknown);
        assert_eq!(refusal("https://example.com"), unknown);
    }

    #[test]
    fn other_mistakes_name_no_index_field() {
        assert!(refusal("title:(rust").starts_with(INVALID_QUERY));
        // A colon after a word that cannot be a field name is a syntax error (quote it).
        assert!(refusal("C++: expert").starts_with(INVALID_QUERY));
        let exists = refusal("skills:*");
        assert!(
            exists.contains("skills:*") && !exists.contains("skills_text"),
            "{exists}"
        );
        assert!(refusal("title:/eng.*/").contains("Regex"));
    }
}
