//! Filters on facets (a job's jurisdiction, employment type and skills; a candidate's residence,
//! skills and languages) checked on each matched document's facet record, for searches with words.
//!
//! As a required term beside the words, a filter that half the index passes (`jurisdiction=HK`)
//! leads the conjunction to send the words' union, one cursor per field, seeking to each of the
//! filter's documents in turn: about a quarter of the CPU of `顧問` + HK at a million jobs in
//! `perf` (bench/notes.md). The union walks its own matches here, and each is checked on the
//! 16-byte record that facet counting reads anyway (`facets`), so the filter costs one cache line
//! a match instead of a seek of every cursor. A facet few documents carry (one skill of
//! hundreds) is the other way round: its short postings are the cheapest way to the few
//! documents worth checking against the words, and checking the records of all the words'
//! matches made `data analyst` + a skill twice as slow. So each segment chooses, per filter, by
//! the share of its documents that carry the facet. A search without words has no union to
//! walk: there every filter stays a term, whose postings lead the search to its documents.

use std::fmt;
use std::sync::Arc;

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight, intersect_scorers};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

use crate::search::any_of::does_not_match;
use crate::search::facets::{FacetTables, SegmentFacets, encoded};

/// A facet carried by at least one document in this many of a segment is checked on the records;
/// a rarer one is intersected by its postings. Jurisdictions and employment types (17 % and
/// more of the jobs each on the demo market) are broad; a skill (1 % on average) is not.
const BROAD_ONE_IN: u64 = 8;

/// A filter on one facet, `/root/name`, with the same filter as a query on the postings of the
/// field that holds the value as a term (scoring nothing).
pub struct FacetFilter {
    facet: Box<str>,
    as_postings: Box<dyn Query>,
}

impl FacetFilter {
    pub fn new(root: &str, name: &str, as_postings: Box<dyn Query>) -> Self {
        FacetFilter {
            facet: encoded(root, name),
            as_postings,
        }
    }
}

impl Clone for FacetFilter {
    fn clone(&self) -> Self {
        FacetFilter {
            facet: self.facet.clone(),
            as_postings: self.as_postings.box_clone(),
        }
    }
}

impl fmt::Debug for FacetFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.facet.replace('\0', "/"))
    }
}

/// What `inner` matches among the documents that carry every facet of `filters`; scored as
/// `inner`.
#[derive(Debug)]
pub struct WithFacets {
    inner: Box<dyn Query>,
    filters: Vec<FacetFilter>,
    tables: Tables,
}

impl Clone for WithFacets {
    fn clone(&self) -> Self {
        WithFacets {
            inner: self.inner.box_clone(),
            filters: self.filters.clone(),
            tables: self.tables.clone(),
        }
    }
}

/// The tables the records are read from; shown by nothing in a query's `Debug`.
#[derive(Clone)]
struct Tables(Arc<FacetTables>);

impl fmt::Debug for Tables {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FacetTables")
    }
}

/// `inner` within `filters`: a `WithFacets`, or `inner` itself without any filter.
pub fn within_facets(
    inner: Box<dyn Query>,
    filters: impl IntoIterator<Item = FacetFilter>,
    tables: &Arc<FacetTables>,
) -> Box<dyn Query> {
    let filters: Vec<FacetFilter> = filters.into_iter().collect();
    if filters.is_empty() {
        return inner;
    }
    Box::new(WithFacets {
        inner,
        filters,
        tables: Tables(Arc::clone(tables)),
    })
}

impl Query for WithFacets {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let filters = self
            .filters
            .iter()
            .map(|filter| Ok((filter.facet.clone(), filter.as_postings.weight(enable_scoring)?)))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(WithFacetsWeight {
            inner: self.inner.weight(enable_scoring)?,
            filters,
            tables: Arc::clone(&self.tables.0),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct WithFacetsWeight {
    inner: Box<dyn Weight>,
    /// Each facet, and the weight of its postings.
    filters: Vec<(Box<str>, Box<dyn Weight>)>,
    tables: Arc<FacetTables>,
}

impl Weight for WithFacetsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let table = self.tables.of(reader)?;
        let mut ords = Vec::with_capacity(self.filters.len());
        for (facet, _) in &self.filters {
            // A facet no document of the segment carries: nothing there can match, and the
            // words' postings need not be opened.
            let Some(ord) = table.ord_of(facet) else {
                return Ok(Box::new(EmptyScorer));
            };
            ords.push(ord);
        }
        let mut on_records = Vec::new();
        let mut intersected = vec![self.inner.scorer(reader, boost)?];
        for ((_, as_postings), ord) in self.filters.iter().zip(ords) {
            if u64::from(table.carrying(ord)) * BROAD_ONE_IN >= u64::from(table.max_doc()) {
                on_records.push(ord);
            } else {
                intersected.push(as_postings.scorer(reader, boost)?);
            }
        }
        let scorer = intersect_scorers(intersected, reader.num_docs());
        if on_records.is_empty() {
            return Ok(scorer);
        }
        Ok(Box::new(CarryingScorer::new(scorer, table, on_records)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.scorer(reader, 1.0)?.seek(doc) != doc {
            return Err(does_not_match(doc));
        }
        self.inner.explain(reader, doc)
    }
}

/// The documents of `inner` whose records hold every one of `ords`.
struct CarryingScorer {
    inner: Box<dyn Scorer>,
    table: Arc<SegmentFacets>,
    ords: Vec<u32>,
}

impl CarryingScorer {
    fn new(inner: Box<dyn Scorer>, table: Arc<SegmentFacets>, ords: Vec<u32>) -> Self {
        let mut scorer = CarryingScorer { inner, table, ords };
        let first = scorer.inner.doc();
        scorer.first_carrying_from(first);
        scorer
    }

    /// `doc`, where `inner` stands, or the next of `inner`'s documents that carries the facets.
    fn first_carrying_from(&mut self, mut doc: DocId) -> DocId {
        while doc != TERMINATED && !self.ords.iter().all(|&ord| self.table.carries(doc, ord)) {
            doc = self.inner.advance();
        }
        doc
    }
}

impl DocSet for CarryingScorer {
    fn advance(&mut self) -> DocId {
        let next = self.inner.advance();
        self.first_carrying_from(next)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let at = self.inner.seek(target);
        self.first_carrying_from(at)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    /// At most `inner`'s: how many pass the facets is not known before they are walked.
    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for CarryingScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, TermQuery};
    use tantivy::schema::{Facet, FacetOptions, Field, IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{DocAddress, Index, IndexWriter, Searcher, TantivyDocument, Term};

    use super::*;

    const WORDS: [&str; 5] = ["rust", "audit", "logistics", "design", "finance"];
    const SKILLS: [&str; 12] = [
        "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
    ];

    struct Fields {
        text: Field,
        place: Field,
        skill: Field,
        kind: Field,
    }

    /// Three segments: in the first no document is in HK; in the second some carry more
    /// facets than a record holds (spilled); the documents with `finance` are deleted.
    fn index() -> (Searcher, Fields) {
        let mut builder = Schema::builder();
        let fields = Fields {
            text: builder.add_text_field("text", TEXT),
            place: builder.add_text_field("jurisdiction", STRING),
            skill: builder.add_text_field("skill_id", STRING),
            kind: builder.add_text_field("kind", STRING),
        };
        let facets = builder.add_facet_field("facets", FacetOptions::default());
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for segment in 0..3usize {
            for n in 0..400usize {
                let id = segment * 400 + n;
                let mut doc = TantivyDocument::default();
                let words: Vec<&str> = (0..1 + id % 3).map(|k| WORDS[(id * 3 + k * 7) % 5]).collect();
                doc.add_text(
                    fields.text,
                    format!("{} {}", words.join(" "), "and ".repeat(id % 4)),
                );
                let place = if segment == 0 || id % 3 == 0 { "CN" } else { "HK" };
                let kind = if id % 4 == 0 { "contract" } else { "full_time" };
                let skills = if segment == 1 && id % 5 == 0 {
                    10
                } else {
                    1 + id % 3
                };
                doc.add_text(fields.place, place);
                doc.add_text(fields.kind, kind);
                doc.add_facet(facets, Facet::from_path(["jurisdiction", place]));
                doc.add_facet(facets, Facet::from_path(["employment_type", kind]));
                let rare = (id % 37 == 0).then_some("rare");
                for skill in (0..skills)
                    .map(|k| SKILLS[(id + k * 5) % SKILLS.len()])
                    .chain(rare)
                {
                    doc.add_text(fields.skill, skill);
                    doc.add_facet(facets, Facet::from_path(["skill", skill]));
                }
                writer.add_document(doc).unwrap();
            }
            if segment == 2 {
                writer.delete_term(Term::from_field_text(fields.text, "finance"));
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        (searcher, fields)
    }

    fn words(fields: &Fields, words: &[&str]) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            words
                .iter()
                .map(|word| {
                    let term = Term::from_field_text(fields.text, word);
                    let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                    (Occur::Should, query)
                })
                .collect(),
        ))
    }

    fn filter(field: Field, value: &str) -> (Occur, Box<dyn Query>) {
        let term = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
        (Occur::Must, Box::new(ConstScoreQuery::new(Box::new(term), 0.0)))
    }

    fn found(searcher: &Searcher, query: &dyn Query) -> (Vec<(Score, DocAddress)>, usize) {
        let top = TopDocs::with_limit(2_000).order_by_score();
        searcher.search(query, &(top, Count)).unwrap()
    }

    /// Every combination of facets gives the documents, scores and count that the same filters
    /// as required terms give, in segments where a facet is missing, documents spill or are
    /// deleted; also beside another required clause, which seeks it.
    #[test]
    fn matches_and_scores_as_the_filters_as_terms() {
        let (searcher, fields) = index();
        let tables = Arc::new(FacetTables::default());
        let choices: [&[(&str, Field, &str)]; 7] = [
            &[("jurisdiction", fields.place, "HK")],
            &[("skill", fields.skill, "s3")],
            &[
                ("jurisdiction", fields.place, "HK"),
                ("skill", fields.skill, "s7"),
                ("skill", fields.skill, "s2"),
            ],
            &[
                ("employment_type", fields.kind, "contract"),
                ("jurisdiction", fields.place, "CN"),
            ],
            &[("skill", fields.skill, "nowhere")],
            &[("skill", fields.skill, "rare")],
            &[
                ("skill", fields.skill, "rare"),
                ("jurisdiction", fields.place, "HK"),
            ],
        ];
        let mut nonempty = 0;
        for chosen in choices {
            for text in [
                &["rust"][..],
                &["audit", "design"],
                &["finance", "logistics", "rust"],
            ] {
                let mut as_terms = vec![(Occur::Must, words(&fields, text))];
                as_terms.extend(chosen.iter().map(|(_, field, value)| filter(*field, value)));
                let filters = chosen
                    .iter()
                    .map(|(root, field, value)| FacetFilter::new(root, value, filter(*field, value).1));
                let on_records = within_facets(words(&fields, text), filters, &tables);
                let expected = found(&searcher, &BooleanQuery::new(as_terms));
                assert_eq!(found(&searcher, &*on_records), expected, "{chosen:?} {text:?}");
                nonempty += usize::from(expected.1 > 0);

                let beside = |first: Box<dyn Query>| {
                    BooleanQuery::new(vec![(Occur::Must, first), filter(fields.kind, "full_time")])
                };
                assert_eq!(
                    found(&searcher, &beside(on_records.box_clone())),
                    found(
                        &searcher,
                        &beside(Box::new(BooleanQuery::new(
                            chosen
                                .iter()
                                .map(|(_, field, value)| filter(*field, value))
                                .chain([(Occur::Must, words(&fields, text))])
                                .collect()
                        )))
                    ),
                    "{chosen:?} {text:?} beside another clause"
                );
            }
        }
        assert!(nonempty >= 14, "only {nonempty} searches found anything");

        // Both ways were taken: the broad facets on the records, the rare one by its postings.
        let hk = encoded("jurisdiction", "HK");
        let table = searcher
            .segment_readers()
            .iter()
            .map(|segment| tables.of(segment).unwrap())
            .find(|table| table.ord_of(&hk).is_some())
            .unwrap();
        let is_broad = |facet: &str| {
            let carrying = table.carrying(table.ord_of(facet).unwrap());
            u64::from(carrying) * BROAD_ONE_IN >= u64::from(table.max_doc())
        };
        assert!(is_broad(&hk) && is_broad(&encoded("employment_type", "contract")));
        assert!(!is_broad(&encoded("skill", "rare")));
    }

    #[test]
    fn without_facets_the_words_are_searched_alone() {
        let (_, fields) = index();
        let query = within_facets(words(&fields, &["rust"]), Vec::new(), &Arc::default());
        assert!(query.is::<BooleanQuery>(), "{query:?}");
    }
}
