//! A word of a query matches in any of the text fields: the parser writes that as a boolean
//! query of optional clauses, one per field, which tantivy runs as a buffered union. Inside the
//! conjunction of a query's words such a union is mostly sought, not walked: each seek past its
//! window refills the next 4,096 documents and scores every one of them, though the other words
//! rule out nearly all. `AnyOf` matches and scores as that union does — a document any clause
//! matches, with the sum of the matching clauses' scores, added in the clauses' order — but
//! seeks each clause's postings to the target through their skip lists and scores only the
//! documents the search keeps. A conjunction may add its parts' scores in another order than
//! with the union (it orders them by their cost, and the union forgets clauses it has used up
//! in its first window), so a score can differ in its last bit: only documents whose scores
//! are that close can swap places.

use tantivy::query::{BooleanQuery, EmptyScorer, EnableScoring, Explanation, Occur, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// Rewrites every boolean query made only of optional clauses (with at most one required to
/// match, as the parser writes a word across fields and `a OR b`) as an `AnyOf` of the same
/// clauses, and leaves everything else as it is.
pub fn seek_friendly(query: Box<dyn Query>) -> Box<dyn Query> {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let clauses: Vec<(Occur, Box<dyn Query>)> = boolean
        .clauses()
        .iter()
        .map(|(occur, clause)| (*occur, seek_friendly(clause.box_clone())))
        .collect();
    let only_optional = clauses.len() > 1 && clauses.iter().all(|(occur, _)| *occur == Occur::Should);
    if only_optional && boolean.get_minimum_number_should_match() <= 1 {
        return Box::new(AnyOf {
            clauses: clauses.into_iter().map(|(_, clause)| clause).collect(),
        });
    }
    let minimum = boolean.get_minimum_number_should_match();
    Box::new(BooleanQuery::with_minimum_required_clauses(clauses, minimum))
}

/// Matches a document any clause matches; its score is the sum of the matching clauses'.
#[derive(Debug)]
pub struct AnyOf {
    clauses: Vec<Box<dyn Query>>,
}

impl Clone for AnyOf {
    fn clone(&self) -> Self {
        AnyOf {
            clauses: self.clauses.iter().map(|clause| clause.box_clone()).collect(),
        }
    }
}

impl Query for AnyOf {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|clause| clause.weight(enable_scoring))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(AnyOfWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for clause in &self.clauses {
            clause.query_terms(visitor);
        }
    }
}

struct AnyOfWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for AnyOfWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                scorers.push(scorer);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            1 => scorers.pop().expect("one scorer"),
            _ => Box::new(AnyOfScorer::new(scorers, reader.max_doc())),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(does_not_match(doc));
        }
        let mut explanation = Explanation::new("AnyOf: the sum of the matching clauses", scorer.score());
        for weight in &self.weights {
            if let Ok(detail) = weight.explain(reader, doc) {
                explanation.add_detail(detail);
            }
        }
        Ok(explanation)
    }
}

/// Tantivy's own answer to explaining a document a query does not match (its helper is private
/// to the crate); no endpoint explains a score, so no person reads it.
pub(crate) fn does_not_match(doc: DocId) -> TantivyError {
    TantivyError::InvalidArgument(format!("Document #({doc}) does not match"))
}

/// The clauses' scorers, each at its own document (kept beside it, so that finding the least
/// costs no call through the scorer); the current document is the least of them.
struct AnyOfScorer {
    scorers: Vec<Box<dyn Scorer>>,
    docs: Vec<DocId>,
    doc: DocId,
    max_doc: DocId,
}

impl AnyOfScorer {
    fn new(scorers: Vec<Box<dyn Scorer>>, max_doc: DocId) -> Self {
        let docs: Vec<DocId> = scorers.iter().map(|scorer| scorer.doc()).collect();
        AnyOfScorer {
            doc: least(&docs),
            scorers,
            docs,
            max_doc,
        }
    }
}

fn least(docs: &[DocId]) -> DocId {
    docs.iter().copied().min().unwrap_or(TERMINATED)
}

impl DocSet for AnyOfScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        for (scorer, doc) in self.scorers.iter_mut().zip(&mut self.docs) {
            if *doc == current {
                *doc = scorer.advance();
            }
        }
        self.doc = least(&self.docs);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for (scorer, doc) in self.scorers.iter_mut().zip(&mut self.docs) {
            if *doc < target {
                *doc = scorer.seek(target);
            }
        }
        self.doc = least(&self.docs);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    /// What tantivy's union estimates, so that an intersection orders its parts as before.
    fn size_hint(&self) -> u32 {
        let max_docs = f64::from(self.max_doc.max(1));
        let mut in_none = 1.0;
        for scorer in &self.scorers {
            in_none *= 1.0 - (f64::from(scorer.size_hint()) / max_docs) * 0.8;
        }
        (max_docs * (1.0 - in_none)).round().min(max_docs) as u32
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|scorer| scorer.cost()).sum()
    }
}

impl Scorer for AnyOfScorer {
    fn score(&mut self) -> Score {
        let current = self.doc;
        let mut score = 0.0;
        for (scorer, doc) in self.scorers.iter_mut().zip(&self.docs) {
            if *doc == current {
                score += scorer.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{QueryParser, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{DocAddress, Index, IndexWriter, doc};

    use super::*;

    const WORDS: [&str; 8] = [
        "alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta",
    ];

    /// Three segments of documents whose two text fields hold words drawn by a fixed
    /// generator (some common, some rare), and a keyword field to filter on.
    fn index() -> (Index, QueryParser, tantivy::schema::Field) {
        let mut builder = Schema::builder();
        let title = builder.add_text_field("title", TEXT);
        let body = builder.add_text_field("body", TEXT);
        let kind = builder.add_text_field("kind", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut state: u64 = 2026;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % bound
        };
        for _segment in 0..3 {
            for _ in 0..4000 {
                // Word i is drawn with a chance falling with i (alpha 15 times as often as
                // theta), so the words' postings differ in length.
                let mut words = |count: u64| {
                    (0..count)
                        .map(|_| WORDS[next(8).min(next(8)) as usize])
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let (title_text, body_text) = (words(2), words(12));
                let kind_text = if next(3) == 0 { "a" } else { "b" };
                writer
                    .add_document(doc!(title => title_text, body => body_text, kind => kind_text))
                    .unwrap();
            }
            writer.commit().unwrap();
        }
        let mut parser = QueryParser::for_index(&index, vec![title, body]);
        parser.set_field_boost(title, 3.0);
        parser.set_conjunction_by_default();
        (index, parser, kind)
    }

    fn holds_any_of(query: &dyn Query) -> bool {
        if query.downcast_ref::<AnyOf>().is_some() {
            return true;
        }
        query.downcast_ref::<BooleanQuery>().is_some_and(|boolean| {
            boolean
                .clauses()
                .iter()
                .any(|(_, clause)| holds_any_of(&**clause))
        })
    }

    /// Every match with its score, by document, and the count.
    fn scored_matches(index: &Index, query: &dyn Query) -> (BTreeMap<DocAddress, Score>, usize) {
        let searcher = index.reader().unwrap().searcher();
        let all = TopDocs::with_limit(searcher.num_docs() as usize).order_by_score();
        let (hits, total) = searcher.search(query, &(all, Count)).unwrap();
        (
            hits.into_iter()
                .map(|(score, address)| (address, score))
                .collect(),
            total,
        )
    }

    /// The rewritten query finds the same documents with the same scores (to float rounding:
    /// the module's comment says why) as tantivy's union: as the only clause, beside rarer and
    /// commoner words, inside `a OR b`, as phrases, and under a filter.
    #[test]
    fn matches_and_scores_as_the_union_does() {
        let (index, parser, kind) = index();
        let texts = [
            "alpha",
            "theta",
            "alpha beta",
            "alpha theta",
            "kappa sigma omega",
            "alpha OR theta",
            "(alpha OR sigma) gamma",
            "\"alpha beta\"",
            "\"gamma alpha\" delta",
            "\"alpha beta\" \"gamma alpha\"",
            "theta \"beta alpha\" omega",
        ];
        for text in texts {
            let parsed = parser.parse_query(text).unwrap();
            let rewritten = seek_friendly(parsed.box_clone());
            assert!(holds_any_of(&*rewritten), "{text}: nothing was rewritten");
            let filtered = |query: Box<dyn Query>| -> Box<dyn Query> {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, query),
                    (
                        Occur::Must,
                        Box::new(TermQuery::new(
                            Term::from_field_text(kind, "a"),
                            IndexRecordOption::Basic,
                        )),
                    ),
                ]))
            };
            for (original, candidate) in [
                (parsed.box_clone(), rewritten.box_clone()),
                (filtered(parsed.box_clone()), filtered(rewritten.box_clone())),
            ] {
                let (expected, expected_total) = scored_matches(&index, &*original);
                let (found, total) = scored_matches(&index, &*candidate);
                assert!(expected_total > 0, "{text}: the test needs matches");
                assert_eq!(total, expected_total, "{text}");
                assert_eq!(
                    found.keys().collect::<Vec<_>>(),
                    expected.keys().collect::<Vec<_>>(),
                    "{text}"
                );
                for (address, score) in &found {
                    let want = expected[address];
                    assert!(
                        (score - want).abs() <= want.abs() * 1e-6,
                        "{text}: {address:?} scored {score}, the union {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn leaves_conjunctions_and_single_clauses_alone() {
        let (_, parser, _) = index();
        let single_field = parser.parse_query("title:alpha").unwrap();
        assert!(!holds_any_of(&*seek_friendly(single_field)));
        let required = BooleanQuery::new(vec![
            (Occur::Must, parser.parse_query("title:alpha").unwrap()),
            (Occur::Should, parser.parse_query("title:beta").unwrap()),
        ]);
        assert!(!holds_any_of(&*seek_friendly(Box::new(required))));
    }

    /// The highlights read the query's terms: the rewritten query names the same ones.
    #[test]
    fn names_the_same_terms() {
        let (_, parser, _) = index();
        let parsed = parser.parse_query("alpha \"beta gamma\"").unwrap();
        let terms = |query: &dyn Query| {
            let mut terms = Vec::new();
            query.query_terms(&mut |term, positions| terms.push((term.clone(), positions)));
            terms.sort();
            terms
        };
        assert_eq!(terms(&*seek_friendly(parsed.box_clone())), terms(&*parsed));
    }
}
