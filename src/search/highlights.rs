//! A page's highlights: each hit's stored text with the query's words in `<b>…</b>`.
//!
//! Finding where the words stand means analysing the text again (folding, jieba, stemming): a
//! third of a search's CPU at 200,000 jobs. Only a text whose field holds one of the words can
//! get a highlight, and the index already says which do: its postings are written by the same
//! analysis. So each hit's field is first looked up in the postings of the words, and only the
//! texts that hold one are analysed (bench/changes.md).

use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::Query;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocSet, Score, Searcher, TantivyDocument, Term};

use crate::error::AppError;
use crate::search::index::unexpected;
use crate::search::schema::analysis::highlight_analyzer;

/// Characters of a highlighted fragment.
const FRAGMENT_CHARS: usize = 200;

/// The highlights of `field` for each of `hits` (the hit's address and stored document), in the
/// order given: `None` for a text in which no word of `query` stands.
pub fn of_field(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    hits: &[(DocAddress, &TantivyDocument)],
) -> Result<Vec<Option<String>>, AppError> {
    let terms = field_terms(searcher, query, field)?;
    if terms.is_empty() {
        return Ok(vec![None; hits.len()]);
    }
    let addresses: Vec<DocAddress> = hits.iter().map(|(address, _)| *address).collect();
    let holding = holding_any(searcher, field, terms.keys(), &addresses)?;
    let generator = generator(terms, field);
    Ok(hits
        .iter()
        .zip(holding)
        .map(|((_, doc), holds)| holds.then(|| marked(&generator, doc)).flatten())
        .collect())
}

/// The words of `query` in `field` that the index holds, each with the weight its fragment
/// scores by (rarer words weigh more): what `SnippetGenerator::create` computes, with the
/// analyzer made for highlighting (see `highlight_analyzer`) instead of the index's.
fn field_terms(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
) -> Result<BTreeMap<Term, Score>, AppError> {
    let mut terms = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field && term.value().as_str().is_some() {
            terms.insert(term.clone());
        }
    });
    let mut weighted = BTreeMap::new();
    for term in terms {
        let documents = searcher.doc_freq(&term).map_err(unexpected)?;
        if documents > 0 {
            weighted.insert(term, 1.0 / (1.0 + documents as Score));
        }
    }
    Ok(weighted)
}

/// What marks `terms` in `field`'s texts, each weighted as `field_terms` weighs it.
fn generator(terms: BTreeMap<Term, Score>, field: Field) -> SnippetGenerator {
    let scores = terms
        .into_iter()
        .filter_map(|(term, score)| Some((term.value().as_str()?.to_owned(), score)))
        .collect();
    SnippetGenerator::new(scores, highlight_analyzer(), field, FRAGMENT_CHARS)
}

/// For each of `hits`, whether its `field` holds any of `terms`: read from the postings, each
/// term's postings opened once per segment and walked forward through that segment's hits.
fn holding_any<'a>(
    searcher: &Searcher,
    field: Field,
    terms: impl Iterator<Item = &'a Term> + Clone,
    hits: &[DocAddress],
) -> Result<Vec<bool>, AppError> {
    let mut holds = vec![false; hits.len()];
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_unstable_by_key(|&hit| hits[hit]);
    for segment_hits in order.chunk_by(|&a, &b| hits[a].segment_ord == hits[b].segment_ord) {
        let segment = searcher.segment_reader(hits[segment_hits[0]].segment_ord);
        let inverted = segment.inverted_index(field).map_err(unexpected)?;
        for term in terms.clone() {
            let Some(mut postings) = inverted
                .read_postings(term, IndexRecordOption::Basic)
                .map_err(|e| unexpected(e.into()))?
            else {
                continue;
            };
            // Ascending within the segment, so the postings only ever move forward.
            for &hit in segment_hits {
                let doc = hits[hit].doc_id;
                if postings.doc() <= doc && postings.seek(doc) == doc {
                    holds[hit] = true;
                }
            }
        }
    }
    Ok(holds)
}

/// The stored text with matched words marked, HTML-escaped otherwise; `None` when none matched.
fn marked(generator: &SnippetGenerator, doc: &TantivyDocument) -> Option<String> {
    let snippet = generator.snippet_from_doc(doc);
    (!snippet.highlighted().is_empty()).then(|| snippet.to_html())
}

#[cfg(test)]
mod tests {
    use tantivy::collector::DocSetCollector;
    use tantivy::query::AllQuery;
    use tantivy::{Index, IndexWriter};

    use super::*;
    use crate::search::query::{TextField, parse_text};
    use crate::search::schema::{jobs, register_analyzers};

    /// What every hit's text gives when each one is analysed, as before the postings were read.
    fn every_text_analysed(
        searcher: &Searcher,
        query: &dyn Query,
        field: Field,
        hits: &[(DocAddress, &TantivyDocument)],
    ) -> Vec<Option<String>> {
        let generator = generator(field_terms(searcher, query, field).unwrap(), field);
        hits.iter().map(|(_, doc)| marked(&generator, doc)).collect()
    }

    /// Over several segments, hits in no particular order, words in both scripts and in English:
    /// reading the postings first changes no highlight, and it does leave texts unanalysed.
    #[test]
    fn texts_without_the_words_are_skipped_and_no_highlight_is_lost() {
        let (schema, fields) = jobs::schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
        let postings = [
            ("軟件工程師", "負責軟件開發與測試"),
            ("Software Engineer", "We build software for logistics"),
            ("会计", "负责财务报表"),
            ("数据分析师", "使用软件分析数据，与工程师合作"),
            ("Engineering manager", "Leads a team of engineers"),
            ("貨運代理", "跨境物流"),
        ];
        for (i, (title, description)) in postings.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.id, i.to_string());
            doc.add_text(fields.title, title);
            doc.add_text(fields.description, description);
            writer.add_document(doc).unwrap();
            if i % 2 == 1 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 1, "several segments");
        let mut addresses: Vec<DocAddress> = searcher
            .search(&AllQuery, &DocSetCollector)
            .unwrap()
            .into_iter()
            .collect();
        addresses.sort();
        addresses.reverse();
        let docs: Vec<TantivyDocument> = addresses
            .iter()
            .map(|address| searcher.doc(*address).unwrap())
            .collect();
        let hits: Vec<(DocAddress, &TantivyDocument)> = addresses.iter().copied().zip(&docs).collect();
        let text_fields = [
            TextField::new("title", fields.title, 1.0),
            TextField::new("description", fields.description, 1.0),
        ];

        let (mut marked_texts, mut skipped_texts) = (0, 0);
        for text in [
            "软件",
            "software engineer",
            "工程師 OR 數據",
            "会计",
            "物流 OR 货运",
        ] {
            let words = parse_text(&index, Some(text), &text_fields).unwrap().words;
            for field in [fields.title, fields.description] {
                let found = of_field(&searcher, &*words, field, &hits).unwrap();
                assert_eq!(
                    found,
                    every_text_analysed(&searcher, &*words, field, &hits),
                    "{text}"
                );
                let terms = field_terms(&searcher, &*words, field).unwrap();
                let holding = holding_any(&searcher, field, terms.keys(), &addresses).unwrap();
                for (holds, highlight) in holding.iter().zip(&found) {
                    assert_eq!(
                        *holds,
                        highlight.is_some(),
                        "{text}: a text is analysed only if it holds a word"
                    );
                }
                marked_texts += found.iter().flatten().count();
                skipped_texts += holding.iter().filter(|holds| !**holds).count();
            }
        }
        assert!(marked_texts >= 10, "{marked_texts} texts highlighted");
        assert!(skipped_texts >= 10, "{skipped_texts} texts skipped");
    }
}
