//! The newest documents first, for a search without words: the order of tantivy's
//! `TopDocs::order_by_fast_field::<DateTime>(field, Order::Desc)` (the latest date first, a
//! document without one last, equal dates by ascending address), read in blocks. tantivy's
//! collector reads one date per matching document through the column's trait object; a browse
//! matches most of the index (860,771 of 900,073 jobs for a salary floor alone), and in `perf` on
//! such a search those reads were 40 % of it (bench/changes.md). Here a block of documents'
//! dates is read in one call, and a date older than the page's last is dropped at once.

use std::cmp::Ordering;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// A document's date; `None` (no date) sorts below every date.
type Newest = Option<DateTime>;

/// The `limit` newest documents after the first `offset`, each with its date.
pub struct NewestFirst<'a> {
    field: &'a str,
    offset: usize,
    limit: usize,
}

impl<'a> NewestFirst<'a> {
    pub fn new(field: &'a str, offset: usize, limit: usize) -> Self {
        NewestFirst { field, offset, limit }
    }
}

pub struct SegmentNewest {
    dates: Option<Column<DateTime>>,
    segment: SegmentOrdinal,
    /// How many of the segment's documents can still be on the page: offset + limit.
    keep: usize,
    hits: Vec<(Newest, DocId)>,
    /// The date of the last document kept, once `keep` are: an older one cannot be on the page.
    oldest_kept: Option<Newest>,
    block: Vec<Newest>,
}

/// The page's order: the newer first, then the lower document.
fn page_order<D: Ord>(left: &(Newest, D), right: &(Newest, D)) -> Ordering {
    right.0.cmp(&left.0).then_with(|| left.1.cmp(&right.1))
}

impl SegmentNewest {
    fn offer(&mut self, date: Newest, doc: DocId) {
        if self.oldest_kept.is_some_and(|oldest| date < oldest) {
            return;
        }
        self.hits.push((date, doc));
        if self.hits.len() >= 2 * self.keep {
            self.trim();
        }
    }

    /// Keeps the `keep` first in page order (called with twice as many); the last of them, the
    /// oldest, sets the date to beat.
    fn trim(&mut self) {
        let last = self.keep - 1;
        self.hits.select_nth_unstable_by(last, page_order);
        self.hits.truncate(self.keep);
        self.oldest_kept = Some(self.hits[last].0);
    }
}

impl SegmentCollector for SegmentNewest {
    type Fruit = Vec<(Newest, DocAddress)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if self.keep == 0 {
            return;
        }
        let date = self.dates.as_ref().and_then(|dates| dates.first(doc));
        self.offer(date, doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        if self.keep == 0 {
            return;
        }
        let mut block = std::mem::take(&mut self.block);
        block.clear();
        block.resize(docs.len(), None);
        if let Some(dates) = &self.dates {
            dates.first_vals(docs, &mut block);
        }
        for (&doc, &date) in docs.iter().zip(&block) {
            self.offer(date, doc);
        }
        self.block = block;
    }

    fn harvest(mut self) -> Self::Fruit {
        self.hits.sort_unstable_by(page_order);
        self.hits.truncate(self.keep);
        let segment_ord = self.segment;
        self.hits
            .into_iter()
            .map(|(date, doc_id)| (date, DocAddress { segment_ord, doc_id }))
            .collect()
    }
}

impl Collector for NewestFirst<'_> {
    type Fruit = Vec<(Newest, DocAddress)>;
    type Child = SegmentNewest;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentNewest> {
        Ok(SegmentNewest {
            dates: reader.fast_fields().column_opt::<DateTime>(self.field)?,
            segment,
            keep: self.offset + self.limit,
            hits: Vec::new(),
            oldest_kept: None,
            block: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut hits: Vec<_> = segments.into_iter().flatten().collect();
        hits.sort_unstable_by(page_order);
        Ok(hits.into_iter().skip(self.offset).take(self.limit).collect())
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{AllQuery, Query, TermQuery};
    use tantivy::schema::{FAST, INDEXED, IndexRecordOption, STRING, Schema};
    use tantivy::{Index, IndexWriter, Order, TantivyDocument, Term};

    use super::*;

    /// Three segments of documents whose dates repeat (ties), some without a date, so the order
    /// of dates, of addresses at equal dates and of the missing dates all count.
    fn index() -> (Index, tantivy::schema::Field) {
        let mut builder = Schema::builder();
        let date = builder.add_date_field("date", INDEXED | FAST);
        let kind = builder.add_text_field("kind", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut n: i64 = 0;
        for _segment in 0..3 {
            for _ in 0..700 {
                n += 1;
                let mut doc = TantivyDocument::default();
                // Dates repeat every 97 documents; one in 13 has none.
                if n % 13 != 0 {
                    doc.add_date(date, DateTime::from_timestamp_secs((n * 7919) % 97 * 3600));
                }
                doc.add_text(kind, if n % 3 == 0 { "third" } else { "other" });
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        (index, kind)
    }

    #[test]
    fn pages_are_tantivys_newest_first_order() {
        let (index, kind) = index();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let some: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(kind, "third"),
            IndexRecordOption::Basic,
        ));
        for query in [Box::new(AllQuery) as Box<dyn Query>, some] {
            for (offset, limit) in [
                (0, 1),
                (0, 20),
                (15, 20),
                (0, 100),
                (90, 100),
                (2000, 20),
                (0, 3000),
            ] {
                let tantivys = TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_fast_field::<DateTime>("date", Order::Desc);
                let expected: Vec<DocAddress> = searcher
                    .search(query.as_ref(), &tantivys)
                    .unwrap()
                    .into_iter()
                    .map(|(_, address)| address)
                    .collect();
                let ours: Vec<DocAddress> = searcher
                    .search(query.as_ref(), &NewestFirst::new("date", offset, limit))
                    .unwrap()
                    .into_iter()
                    .map(|(_, address)| address)
                    .collect();
                assert_eq!(ours, expected, "offset {offset}, limit {limit}");
            }
        }
    }
}
