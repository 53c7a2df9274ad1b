//! The best-scored hits of a disjunction, within filters that do not score. Joined to the
//! filters as required clauses, the disjunction is intersected with them: every document they
//! share is scored, and each is sought in a union of many terms, which is slow to seek. Matching
//! asks for a pool of 200 among the jobs that share a skill or a word with a candidate, most of
//! a million. Here the disjunction is walked alone, in order, with tantivy's pruning
//! (`for_each_pruning`: a hit that cannot beat the kept ones is not handed over), and only a
//! hit that would be kept is checked against the filters, which are walked forward once.
//! At a million jobs this halved a candidate's matches (bench/changes.md).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::query::{AllQuery, BooleanQuery, EnableScoring, Occur, Query, Scorer};
use tantivy::{DocAddress, DocId, Score, Searcher, TERMINATED};

/// The `limit` best hits of `scoring` among the documents every filter matches, best first;
/// equal scores in ascending address, as tantivy's `TopDocs` orders them.
pub fn best_within(
    searcher: &Searcher,
    scoring: &dyn Query,
    filters: Vec<Box<dyn Query>>,
    limit: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let scoring = scoring.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let filter: Box<dyn Query> = if filters.is_empty() {
        Box::new(AllQuery)
    } else {
        Box::new(BooleanQuery::new(
            filters.into_iter().map(|f| (Occur::Must, f)).collect(),
        ))
    };
    let filter = filter.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut kept = Kept::new(limit);
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let mut within = filter.scorer(segment, 1.0)?;
        let alive = segment.alive_bitset();
        let segment_ord = ordinal as u32;
        scoring.for_each_pruning(kept.threshold(), segment, &mut |doc, score| {
            let is_alive = alive.is_none_or(|alive| alive.is_alive(doc));
            if is_alive && lands_on(within.as_mut(), doc) {
                kept.offer(score, DocAddress::new(segment_ord, doc));
            }
            kept.threshold()
        })?;
    }
    Ok(kept.into_best_first())
}

/// Whether `doc` is one of the filter's documents. `doc` never goes down between calls.
fn lands_on(filter: &mut dyn Scorer, doc: DocId) -> bool {
    let at = filter.doc();
    if at == TERMINATED {
        return false;
    }
    let at = if at < doc { filter.seek(doc) } else { at };
    at == doc
}

/// The best hits so far, the worst of them on top of the heap.
struct Kept {
    limit: usize,
    heap: BinaryHeap<Hit>,
}

impl Kept {
    fn new(limit: usize) -> Self {
        Kept {
            limit,
            heap: BinaryHeap::with_capacity(limit),
        }
    }

    /// A hit scored at or below it cannot be kept. Hits arrive in ascending address, so one
    /// that ties with the worst kept comes after it and loses the tie.
    fn threshold(&self) -> Score {
        match self.heap.peek() {
            Some(worst) if self.heap.len() == self.limit => worst.score,
            _ => Score::MIN,
        }
    }

    fn offer(&mut self, score: Score, address: DocAddress) {
        if self.heap.len() < self.limit {
            self.heap.push(Hit { score, address });
        } else if score > self.threshold() {
            self.heap.pop();
            self.heap.push(Hit { score, address });
        }
    }

    fn into_best_first(self) -> Vec<(Score, DocAddress)> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|hit| (hit.score, hit.address))
            .collect()
    }
}

/// Ordered from best to worst: the greater of two hits is the worse, so the heap's top is the
/// hit to drop first.
struct Hit {
    score: Score,
    address: DocAddress,
}

impl Ord for Hit {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| self.address.cmp(&other.address))
    }
}

impl PartialOrd for Hit {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Hit {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Hit {}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BoostQuery, TermQuery};
    use tantivy::schema::{FAST, INDEXED, IndexRecordOption, STORED, STRING, Schema, TEXT, Value};
    use tantivy::{Index, IndexWriter, TantivyDocument, Term, doc};

    use super::*;

    const WORDS: [&str; 6] = ["rust", "java", "logistics", "finance", "design", "audit"];

    /// Three segments of documents whose words, places and years vary with their number, one
    /// segment with deletions: enough that pruning skips blocks and that filters cut hits.
    fn index() -> (
        Index,
        tantivy::schema::Field,
        tantivy::schema::Field,
        tantivy::schema::Field,
    ) {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let place = schema.add_text_field("place", STRING | STORED);
        let year = schema.add_u64_field("year", INDEXED | FAST | STORED);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for segment in 0..3u64 {
            for n in 0..700u64 {
                let id = segment * 700 + n;
                let words: Vec<&str> = (0..(1 + id % 5))
                    .map(|k| WORDS[((id * 7 + k * k * 3) % 6) as usize])
                    .collect();
                let filler = "and ".repeat((id % 11) as usize);
                writer
                    .add_document(doc!(
                        text => format!("{} {filler}", words.join(" ")),
                        place => if id % 3 == 0 { "HK" } else { "CN" },
                        year => 2020 + id % 7,
                    ))
                    .unwrap();
            }
            if segment == 1 {
                writer.delete_term(Term::from_field_u64(year, 2023));
            }
            writer.commit().unwrap();
        }
        (index, text, place, year)
    }

    fn scoring(text: tantivy::schema::Field) -> BooleanQuery {
        let boosts = [
            ("rust", 2.0),
            ("logistics", 1.0),
            ("audit", 0.5),
            ("nowhere", 3.0),
        ];
        BooleanQuery::new(
            boosts
                .iter()
                .map(|(word, boost)| {
                    let term =
                        TermQuery::new(Term::from_field_text(text, word), IndexRecordOption::WithFreqs);
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(term), *boost)) as Box<dyn Query>,
                    )
                })
                .collect(),
        )
    }

    fn filters(place: tantivy::schema::Field, year: tantivy::schema::Field) -> Vec<Box<dyn Query>> {
        vec![
            Box::new(TermQuery::new(
                Term::from_field_text(place, "CN"),
                IndexRecordOption::Basic,
            )),
            Box::new(tantivy::query::RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_u64(year, 2022)),
                std::ops::Bound::Unbounded,
            )),
        ]
    }

    /// What tantivy's own collector gives for the filters as required clauses beside the
    /// disjunction, the query matching built before.
    fn joined(
        searcher: &Searcher,
        scoring: BooleanQuery,
        filters: Vec<Box<dyn Query>>,
        limit: usize,
    ) -> Vec<(Score, DocAddress)> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = filters
            .into_iter()
            .map(|f| {
                (
                    Occur::Must,
                    Box::new(tantivy::query::ConstScoreQuery::new(f, 0.0)) as Box<dyn Query>,
                )
            })
            .collect();
        clauses.push((Occur::Must, Box::new(scoring)));
        searcher
            .search(
                &BooleanQuery::new(clauses),
                &TopDocs::with_limit(limit).order_by_score(),
            )
            .unwrap()
    }

    fn assert_same(found: &[(Score, DocAddress)], expected: &[(Score, DocAddress)]) {
        assert_eq!(found.len(), expected.len());
        for ((score, address), (want_score, want_address)) in found.iter().zip(expected) {
            assert_eq!(address, want_address);
            assert!((score - want_score).abs() < 1e-4, "{score} against {want_score}");
        }
    }

    #[test]
    fn the_same_hits_as_the_filters_joined_as_required_clauses() {
        let (index, text, place, year) = index();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        for limit in [1, 10, 200, 5_000] {
            let found = best_within(&searcher, &scoring(text), filters(place, year), limit).unwrap();
            let expected = joined(&searcher, scoring(text), filters(place, year), limit);
            assert!(!expected.is_empty());
            assert_same(&found, &expected);
        }
        // Every hit kept passes the filters, and none was deleted.
        assert!(
            searcher
                .segment_readers()
                .iter()
                .any(|s| s.num_deleted_docs() > 0)
        );
        let found = best_within(&searcher, &scoring(text), filters(place, year), 5_000).unwrap();
        for (_, address) in found {
            let doc: TantivyDocument = searcher.doc(address).unwrap();
            assert_eq!(doc.get_first(place).and_then(|v| v.as_str()), Some("CN"));
            assert!(doc.get_first(year).and_then(|v| v.as_u64()).unwrap() >= 2022);
            let segment = searcher.segment_reader(address.segment_ord);
            assert!(
                segment
                    .alive_bitset()
                    .is_none_or(|alive| alive.is_alive(address.doc_id))
            );
        }
    }

    #[test]
    fn without_filters_every_document_may_be_a_hit() {
        let (index, text, _, _) = index();
        let searcher = index.reader().unwrap().searcher();
        let found = best_within(&searcher, &scoring(text), Vec::new(), 50).unwrap();
        let expected = searcher
            .search(&scoring(text), &TopDocs::with_limit(50).order_by_score())
            .unwrap();
        assert_same(&found, &expected);
        assert!(
            best_within(&searcher, &scoring(text), Vec::new(), 0)
                .unwrap()
                .is_empty()
        );
    }
}
