//! A page's highlights: each hit's stored text with the query's words in `<b>…</b>`.
//!
//! Where the words stand comes from the index: each query term's postings are read with their
//! positions for the page's hits only, and a position says where in the text the term stands
//! (`schema::places`). Only a text that holds a word gets a highlight, and no text is segmented
//! again: analysing each hit's text was 40 % of a search with words (bench/changes.md). The
//! part of the text shown is chosen around the marks (`fragment`).

mod fragment;

use std::collections::BTreeSet;

use tantivy::postings::Postings;
use tantivy::query::Query;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};

use crate::error::AppError;
use crate::search::index::unexpected;
use crate::search::schema::places::{Rewriting, TermPlaces};
use crate::search::text_field::TextField;
use fragment::Mark;

/// The highlights of `field` for each of `hits` (the hit's address and stored document), in the
/// order given: `None` for a text in which no word of `query` stands.
pub fn of_field(
    searcher: &Searcher,
    query: &dyn Query,
    field: TextField,
    hits: &[(DocAddress, &TantivyDocument)],
) -> Result<Vec<Option<String>>, AppError> {
    let terms = field_terms(searcher, query, field.field)?;
    if terms.is_empty() {
        return Ok(vec![None; hits.len()]);
    }
    let addresses: Vec<DocAddress> = hits.iter().map(|(address, _)| *address).collect();
    let segments = SegmentHits::of(&addresses);
    let found = found_in(searcher, field.field, &terms, &segments)?;
    let mut places = TermPlaces::default();
    Ok(hits
        .iter()
        .zip(found)
        .map(|((_, doc), found)| {
            // A text that holds no word is not even read.
            if found.is_empty() {
                return None;
            }
            let text = doc.get_first(field.written).and_then(|value| value.as_str())?;
            let rewriting = match field.edits {
                Some(edits) => doc
                    .get_first(edits)
                    .and_then(|value| value.as_str())
                    .map_or(Rewriting::None, Rewriting::Stored),
                None => Rewriting::Unknown,
            };
            marked(text, &found, &terms, &mut places, rewriting)
        })
        .collect())
}

/// A page's hits grouped by segment, each group ascending by document, so that a posting list
/// read once per segment only ever moves forward through its group. Grouped once per page, for
/// every field and posting list that walks them.
struct SegmentHits {
    len: usize,
    /// Per segment: its ordinal, and its hits as (index into the hits, document).
    groups: Vec<(SegmentOrdinal, Vec<(usize, DocId)>)>,
}

impl SegmentHits {
    fn of(hits: &[DocAddress]) -> Self {
        let mut order: Vec<usize> = (0..hits.len()).collect();
        order.sort_unstable_by_key(|&hit| hits[hit]);
        let groups = order
            .chunk_by(|&a, &b| hits[a].segment_ord == hits[b].segment_ord)
            .map(|group| {
                let docs = group.iter().map(|&hit| (hit, hits[hit].doc_id)).collect();
                (hits[group[0]].segment_ord, docs)
            })
            .collect();
        SegmentHits {
            len: hits.len(),
            groups,
        }
    }

    /// Each segment with the hits in it.
    fn groups<'s>(
        &'s self,
        searcher: &'s Searcher,
    ) -> impl Iterator<Item = (&'s SegmentReader, &'s [(usize, DocId)])> {
        self.groups
            .iter()
            .map(|(segment, docs)| (searcher.segment_reader(*segment), docs.as_slice()))
    }

    fn len(&self) -> usize {
        self.len
    }
}

/// A query term as highlights use it: its text, and what a match on it weighs.
struct WeightedTerm {
    term: Term,
    text: String,
    weight: Score,
}

/// The words of `query` in `field` that the index holds, each weighing more the rarer it is
/// (as tantivy's snippets weighed them).
fn field_terms(searcher: &Searcher, query: &dyn Query, field: Field) -> Result<Vec<WeightedTerm>, AppError> {
    let mut terms = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field && term.value().as_str().is_some() {
            terms.insert(term.clone());
        }
    });
    let mut weighted = Vec::with_capacity(terms.len());
    for term in terms {
        let documents = searcher.doc_freq(&term).map_err(unexpected)?;
        let Some(text) = term.value().as_str().map(str::to_owned) else {
            continue;
        };
        if documents > 0 {
            let weight = 1.0 / (1.0 + documents as Score);
            weighted.push(WeightedTerm { term, text, weight });
        }
    }
    Ok(weighted)
}

/// For each of `hits`, the places of `terms` in its `field`: (position, index into `terms`),
/// ordered by position. Each term's postings are opened once per segment and walked forward
/// through that segment's hits.
fn found_in(
    searcher: &Searcher,
    field: Field,
    terms: &[WeightedTerm],
    hits: &SegmentHits,
) -> Result<Vec<Vec<(u32, usize)>>, AppError> {
    let mut found = vec![Vec::new(); hits.len()];
    let mut positions = Vec::new();
    for (segment, docs) in hits.groups(searcher) {
        let inverted = segment.inverted_index(field).map_err(unexpected)?;
        for (index, term) in terms.iter().enumerate() {
            let Some(mut postings) = inverted
                .read_postings(&term.term, IndexRecordOption::WithFreqsAndPositions)
                .map_err(|e| unexpected(e.into()))?
            else {
                continue;
            };
            for &(hit, doc) in docs {
                if postings.doc() <= doc && postings.seek(doc) == doc {
                    postings.positions(&mut positions);
                    found[hit].extend(positions.iter().map(|&position| (position, index)));
                }
            }
        }
    }
    for places in &mut found {
        places.sort_unstable();
    }
    Ok(found)
}

/// `text` around the places `found` of `terms`, marked; `None` when none is found.
fn marked(
    text: &str,
    found: &[(u32, usize)],
    terms: &[WeightedTerm],
    places: &mut TermPlaces,
    rewriting: Rewriting,
) -> Option<String> {
    let named: Vec<(u32, &str)> = found
        .iter()
        .map(|&(position, term)| (position, terms[term].text.as_str()))
        .collect();
    let marks = places
        .spans(text, &named, rewriting)
        .into_iter()
        .zip(found)
        .filter_map(|(span, &(_, term))| {
            Some(Mark {
                span: span?,
                weight: terms[term].weight,
            })
        })
        .collect();
    fragment::html(text, marks)
}

#[cfg(test)]
mod tests {
    use tantivy::collector::DocSetCollector;
    use tantivy::query::AllQuery;
    use tantivy::{Index, IndexWriter};

    use super::*;
    use crate::search::query::{TextField, parse_text};
    use crate::search::schema::analysis::{add_highlighted_text, chain, tokens_of};
    use crate::search::schema::jobs::{self, JobFields};
    use crate::search::schema::register_analyzers;

    /// What each hit's text gives when it is segmented again: every token of the chain whose term
    /// is a query term, marked where the chain says it stands.
    fn every_text_analysed(
        searcher: &Searcher,
        query: &dyn Query,
        field: TextField,
        hits: &[(DocAddress, &TantivyDocument)],
    ) -> Vec<Option<String>> {
        let terms = field_terms(searcher, query, field.field).unwrap();
        hits.iter()
            .map(|(_, doc)| {
                let text = doc.get_first(field.written)?.as_str()?;
                let marks = tokens_of(&mut chain(), text)
                    .into_iter()
                    .filter_map(|token| {
                        let term = terms.iter().find(|term| term.text == token.text)?;
                        Some(Mark {
                            span: token.offset_from..token.offset_to,
                            weight: term.weight,
                        })
                    })
                    .collect();
                fragment::html(text, marks)
            })
            .collect()
    }

    /// A jobs index in memory holding `postings` (title, description), committed after every
    /// `per_segment` of them.
    fn index_of(postings: &[(&str, &str)], per_segment: usize) -> (Index, JobFields) {
        let (schema, fields) = jobs::schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
        for (i, (title, description)) in postings.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.id, i.to_string());
            add_highlighted_text(
                &mut doc,
                title,
                fields.title,
                &[fields.title_words, fields.title_pairs],
                fields.title_edits,
            );
            add_highlighted_text(
                &mut doc,
                description,
                fields.description,
                &[fields.description_words, fields.description_pairs],
                fields.description_edits,
            );
            writer.add_document(doc).unwrap();
            if (i + 1) % per_segment == 0 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        (index, fields)
    }

    fn text_fields(fields: &JobFields) -> [TextField; 2] {
        [
            TextField::new("title", fields.title_words, 1.0)
                .with_pairs(fields.title_pairs)
                .as_written(fields.title, fields.title_edits),
            TextField::new("description", fields.description_words, 1.0)
                .with_pairs(fields.description_pairs)
                .as_written(fields.description, fields.description_edits),
        ]
    }

    /// Each field of `fields` as a job search reaches it (with the stored edits of the texts the
    /// vocabulary rewrote) and without them (every text folded and rewritten again).
    fn with_and_without_edits(fields: &JobFields) -> Vec<TextField> {
        text_fields(fields)
            .into_iter()
            .flat_map(|field| [field, TextField { edits: None, ..field }])
            .collect()
    }

    /// Over several segments, hits in no particular order, words in both scripts, rewritten by the
    /// vocabulary and in English: the places read from the index mark what segmenting each text
    /// again marks, and a text without the words gets none.
    #[test]
    fn the_index_places_mark_what_analysis_marks() {
        let postings = [
            ("軟件工程師", "負責軟件開發與測試，軟件質素"),
            (
                "Software Engineer",
                "We build software for logistics; engineers' tools",
            ),
            ("会计", "负责财务报表"),
            ("数据分析师", "使用软件分析数据，与工程师合作"),
            ("Engineering manager", "Leads a team of engineers"),
            ("貨運代理", "跨境物流"),
            ("高級軟體工程師", "程式設計與資訊科技，軟體質素管理"),
        ];
        let (index, fields) = index_of(&postings, 2);
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
        let text_fields = text_fields(&fields);

        let (mut marked_texts, mut unmarked_texts) = (0, 0);
        for text in [
            "软件",
            "software engineer",
            "工程師 OR 數據",
            "会计",
            "物流 OR 货运",
            "程序设计 质量",
            "軟件工程師",
        ] {
            let words = parse_text(&index, Some(text), &text_fields).unwrap().words;
            for field in with_and_without_edits(&fields) {
                let found = of_field(&searcher, &*words, field, &hits).unwrap();
                assert_eq!(
                    found,
                    every_text_analysed(&searcher, &*words, field, &hits),
                    "{text} in {} (edits: {:?})",
                    field.name,
                    field.edits
                );
                marked_texts += found.iter().flatten().count();
                unmarked_texts += found.iter().filter(|marked| marked.is_none()).count();
            }
        }
        assert!(marked_texts >= 30, "{marked_texts} texts highlighted");
        assert!(unmarked_texts >= 20, "{unmarked_texts} texts without a word");
    }

    /// A word of one side's vocabulary marks the other side's word the text holds, a part of a
    /// word is marked alone, and an English stem marks its whole word.
    #[test]
    fn marks_fall_on_the_words_the_text_holds() {
        let (index, fields) = index_of(&[("程式設計 Analysts", "需要通信工程經驗")], 1);
        let searcher = index.reader().unwrap().searcher();
        let address = DocAddress::new(0, 0);
        let doc: TantivyDocument = searcher.doc(address).unwrap();
        let [title, description] = text_fields(&fields);
        let marked = |query: &str, field: TextField| {
            let words = parse_text(&index, Some(query), &[title, description])
                .unwrap()
                .words;
            of_field(&searcher, &*words, field, &[(address, &doc)])
                .unwrap()
                .remove(0)
        };
        assert_eq!(
            marked("程序设计 analyst", title).as_deref(),
            Some("<b>程式設計</b> <b>Analysts</b>")
        );
        assert_eq!(
            marked("工程", description).as_deref(),
            Some("需要通信<b>工程</b>經驗")
        );
        assert_eq!(marked("会计", description), None);
    }
}
