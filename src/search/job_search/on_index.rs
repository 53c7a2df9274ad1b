//! Job search on the index: relevance (BM25, title boosted over skills over description), filters
//! as index terms, facet counts over everything that matched, highlights for the page shown.

use std::collections::BTreeMap;
use std::ops::Bound;

use chrono::NaiveDateTime;
use serde::Serialize;
use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, RangeQuery};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::paging::Page;
use crate::search::Search;
use crate::search::index::SearchIndex;
use crate::search::query::{
    self, FacetTriple, HighlightPair, TextField, TextQuery, must_match, narrowing, on_or_after, parse_text,
    run, term, words_within_facets,
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
    /// The title with matched words in `<b>…</b>`, HTML-escaped otherwise; `None` when no
    /// word of the query stands in it.
    pub title: Option<String>,
    /// The description likewise: whole up to 200 bytes, else the 200-byte part around the
    /// words that weigh most (rarer words weigh more).
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
    let text = text_query(search, &index, query.text.as_deref())?;
    let mut clauses = words_within_facets(
        &index,
        text.matching,
        [
            ("jurisdiction", fields.jurisdiction, &query.jurisdiction),
            ("skill", fields.skill_id, &query.skill_id),
            ("employment_type", fields.employment_type, &query.employment_type),
        ],
    );
    must_match(&mut clauses, [(fields.location_id, &query.location_id)]);
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
    let [title, _, _, description] = text_fields(fields);

    run(
        &index,
        &query,
        &*text.words,
        page,
        fields.id,
        [title, description],
        Some(fields.published_at),
    )
}

/// The text part: every word of the query over title, skills (all scripts), employer and
/// description; an empty query matches every open job. Syntax the parser rejects is the
/// caller's mistake (400), never a 500.
fn text_query(search: &Search, index: &SearchIndex, text: Option<&str>) -> Result<TextQuery, AppError> {
    parse_text(&index.index, text, &text_fields(&search.job_fields))
}

/// The fields the text is searched in, under the names `q` may use (`title:engineer`), as the
/// API documents them for `q`.
pub fn text_fields(fields: &JobFields) -> [TextField; 4] {
    [
        TextField::new("title", fields.title_words, TITLE_BOOST)
            .with_pairs(fields.title_pairs)
            .as_written(fields.title, fields.title_edits),
        TextField::new("skills", fields.skills_text, SKILLS_BOOST).with_pairs(fields.skills_text_pairs),
        TextField::new("employer", fields.employer_name, 1.0).with_pairs(fields.employer_name_pairs),
        TextField::new("description", fields.description_words, 1.0)
            .with_pairs(fields.description_pairs)
            .as_written(fields.description, fields.description_edits),
    ]
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use tantivy::collector::TopDocs;
    use tantivy::query::Query;
    use tantivy::{DocAddress, Index, Score, TantivyDocument};

    use super::*;
    use crate::search::schema::analysis::add_highlighted_text;
    use crate::search::schema::pairs::query_pair;
    use crate::search::schema::{jobs, register_analyzers, vocabulary};

    /// Every word of the shipped vocabulary, in both sides' forms.
    fn vocabulary_words() -> Vec<String> {
        let mut words = BTreeSet::new();
        for (other, mainland) in vocabulary::pairs() {
            words.insert(other);
            words.insert(mainland);
        }
        words.into_iter().collect()
    }

    /// Postings that put the words where a pair could be found or missed: whole, side by side
    /// with other Chinese words, split by punctuation or a space, in titles and descriptions.
    fn index_of_postings(words: &[String]) -> (Index, JobFields) {
        let (schema, fields) = jobs::schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        let mut writer = index.writer_with_num_threads(1, 50_000_000).unwrap();
        let n = words.len();
        for (i, word) in words.iter().enumerate() {
            let (next, other) = (&words[(i * 7 + 1) % n], &words[(i * 13 + 5) % n]);
            let chars: Vec<char> = word.chars().collect();
            let (head, tail) = chars.split_at(chars.len() / 2);
            let (head, tail): (String, String) = (head.iter().collect(), tail.iter().collect());
            let title = match i % 4 {
                0 => format!("{word}工程师"),
                1 => format!("高级{word}专家"),
                2 => format!("{head} {tail}经理"),
                _ => format!("诚聘{word}{next}"),
            };
            let description = format!(
                "加入我们位于深圳的团队。你将运用{word}{next}、{other}和{head}，{tail}。重视{next}{word}。"
            );
            let mut doc = TantivyDocument::default();
            for (text, as_written, words, pairs, edits) in [
                (
                    &title,
                    fields.title,
                    fields.title_words,
                    fields.title_pairs,
                    fields.title_edits,
                ),
                (
                    &description,
                    fields.description,
                    fields.description_words,
                    fields.description_pairs,
                    fields.description_edits,
                ),
            ] {
                add_highlighted_text(&mut doc, text, as_written, &[words, pairs], edits);
            }
            for text in [other, next] {
                doc.add_text(fields.skills_text, text);
                doc.add_text(fields.skills_text_pairs, text);
            }
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, fields)
    }

    /// Every match with its score, best first.
    fn found(index: &Index, query: &dyn Query) -> Vec<(Score, DocAddress)> {
        let searcher = index.reader().unwrap().searcher();
        searcher
            .search(query, &TopDocs::with_limit(10_000).order_by_score())
            .unwrap()
    }

    #[test]
    fn a_pair_of_words_finds_and_ranks_what_its_phrase_does() {
        let words = vocabulary_words();
        let (index, fields) = index_of_postings(&words);
        let text_fields = text_fields(&fields);
        let (mut paired, mut matched) = (0, 0);
        for word in words.iter().filter(|word| query_pair(word).is_some()) {
            paired += 1;
            for text in [word.clone(), format!("title:{word}"), format!("{word} 深圳")] {
                let query = parse_text(&index, Some(&text), &text_fields).unwrap();
                assert!(
                    format!("{:?}", query.matching).contains("PairQuery"),
                    "{text} is searched as a pair"
                );
                let by_pair = found(&index, &*query.matching);
                assert_eq!(by_pair, found(&index, &*query.words), "{text}");
                matched += usize::from(!by_pair.is_empty());
            }
        }
        assert!(paired >= 50, "only {paired} words of the vocabulary are pairs");
        assert!(
            matched >= paired,
            "{matched} of {} searches found a posting",
            3 * paired
        );
    }

    #[test]
    fn other_words_are_searched_as_the_parser_reads_them() {
        let (index, fields) = index_of_postings(&vocabulary_words());
        for text in [
            "工程師",
            "中华人民共和国",
            "data analyst",
            "\"软件 工程师\"",
            "\"软件工程师\"~1",
        ] {
            let query = parse_text(&index, Some(text), &text_fields(&fields)).unwrap();
            assert_eq!(
                format!("{:?}", query.matching),
                format!("{:?}", query.words),
                "{text}"
            );
        }
    }
}
