//! Facet counts without decompressing the facet dictionary, or decoding the facet column, on
//! every search.
//!
//! tantivy's `FacetCollector` walks the dictionary for each requested root when a segment is
//! opened and turns every counted ordinal back into its name when it is harvested — each one a
//! dictionary block decompressed with a fresh zstd context. With hundreds of skills per search
//! that was 40–50% of a search's CPU (bench/RESULTS.md). A segment never changes once written, so
//! its ordinal → name table and each document's ordinals are read once, when the index is opened or
//! reloaded with the segment, and kept until the segment is merged away; a search only counts
//! ordinals into an array.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use arc_swap::ArcSwap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::search::matched_docs::MatchedDocs;

/// Facets are `/<root>/<name>`, all in the one facet field of each index.
const FACET_FIELD: &str = "facets";

/// What one segment's facets are: the name of each ordinal, and each document's ordinals.
#[derive(Default)]
pub struct SegmentFacets {
    /// Per ordinal: the position of its root in `roots` and the name under it; `None` for a
    /// facet that is not `/<root>/<name>` (none are written today; older layouts are skipped).
    by_ord: Vec<Option<(u16, Box<str>)>>,
    roots: Vec<Box<str>>,
    /// Each document's ordinals.
    docs: DocOrds,
    /// Per ordinal, how many of the segment's documents carry it, deleted ones too: a search
    /// that matched most of the segment counts this less what it did not match.
    every_doc: Vec<u32>,
    /// Each facet's ordinal by its encoded name (`root\0name`), for the filters that are checked
    /// on the documents' records (`facet_filter`).
    by_name: HashMap<Box<str>, u32>,
}

impl SegmentFacets {
    /// Reads the segment's whole facet dictionary and column in one sequential pass each.
    fn read(column: &StrColumn, max_doc: DocId) -> tantivy::Result<Self> {
        let mut roots: Vec<Box<str>> = Vec::new();
        let mut by_ord = Vec::with_capacity(column.num_terms());
        let mut terms = column.dictionary().stream()?;
        while terms.advance() {
            debug_assert_eq!(terms.term_ord() as usize, by_ord.len());
            let entry = split_facet(terms.key()).map(|(root, name)| {
                let position = match roots.iter().position(|known| &**known == root) {
                    Some(position) => position,
                    None => {
                        roots.push(root.into());
                        roots.len() - 1
                    }
                };
                (position as u16, Box::from(name))
            });
            by_ord.push(entry);
        }
        let docs = DocOrds::read(column.ords(), max_doc)?;
        let mut every_doc = vec![0; by_ord.len()];
        docs.count_run(0..docs.max_doc(), &mut every_doc);
        let by_name = by_ord
            .iter()
            .enumerate()
            .filter_map(|(ord, entry)| {
                let (root, name) = entry.as_ref()?;
                Some((encoded(&roots[usize::from(*root)], name), ord as u32))
            })
            .collect();
        Ok(SegmentFacets {
            by_ord,
            roots,
            docs,
            every_doc,
            by_name,
        })
    }

    /// The ordinal of `/root/name` in this segment, given as `encoded(root, name)`.
    pub fn ord_of(&self, encoded: &str) -> Option<u32> {
        self.by_name.get(encoded).copied()
    }

    /// How many of the segment's documents carry the facet of ordinal `ord`, deleted ones too.
    pub fn carrying(&self, ord: u32) -> u32 {
        self.every_doc.get(ord as usize).copied().unwrap_or(0)
    }

    pub fn max_doc(&self) -> DocId {
        self.docs.max_doc()
    }

    /// Whether document `doc` carries the facet of ordinal `ord`.
    pub fn carries(&self, doc: DocId, ord: u32) -> bool {
        self.docs.carries(doc, ord)
    }
}

/// A facet's name as the segment's dictionary holds it: `root\0name`.
pub fn encoded(root: &str, name: &str) -> Box<str> {
    format!("{root}\0{name}").into_boxed_str()
}

/// Every document's facet ordinals, as plain integers: counting a match from tantivy's column
/// (its bit-packed values behind a trait object, and the index of where each document's values
/// start) was 20 % of a search over the Zipf log in `perf` (bench/changes.md). Each document has a
/// record of its own, 16 bytes, so that a match costs one cache line: with the ordinals in one
/// array and where each document's start in another, a match far from the last one missed the
/// cache twice, and at a million jobs counting was 29 % of the CPU of `顧問` + HK.
#[derive(Default)]
struct DocOrds {
    /// Document after document.
    records: Box<[Record]>,
    /// The documents whose ordinals do not fit in their record.
    spilled: Spilled,
}

/// A document's ordinals, then `NO_ORD` in the slots left; or `SPILLED`, then the number of its
/// list among the spilled ones (low half, high half), when it has more ordinals than slots or
/// one that does not fit in a slot.
#[derive(Clone, Copy)]
#[repr(align(16))]
struct Record([u16; SLOTS]);

/// A job has a jurisdiction, an employment type and its skills (two to four on the demo market),
/// a candidate a jurisdiction, languages and skills: most fit in eight.
const SLOTS: usize = 8;
const NO_ORD: u16 = u16::MAX;
const SPILLED: u16 = u16::MAX - 1;

impl Record {
    const EMPTY: Record = Record([NO_ORD; SLOTS]);

    /// `None` when the ordinals do not fit.
    fn of(ords: &[u32]) -> Option<Record> {
        if ords.len() > SLOTS {
            return None;
        }
        let mut record = Record::EMPTY;
        for (slot, &ord) in record.0.iter_mut().zip(ords) {
            *slot = u16::try_from(ord).ok().filter(|&ord| ord < SPILLED)?;
        }
        Some(record)
    }
}

/// The ordinals of the documents that do not fit a record, each list found by the number its
/// document's record holds.
#[derive(Default)]
struct Spilled {
    /// Where each list starts in `ords`, and after the last one where it ends.
    starts: Vec<u32>,
    ords: Vec<u32>,
}

impl Spilled {
    /// The record that stands for `ords`, kept here.
    fn keep(&mut self, ords: &[u32]) -> Record {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let number = (self.starts.len() - 1) as u32;
        self.ords.extend_from_slice(ords);
        self.starts.push(self.ords.len() as u32);
        let mut record = Record::EMPTY;
        record.0[..3].copy_from_slice(&[SPILLED, number as u16, (number >> 16) as u16]);
        record
    }

    fn of(&self, record: &Record) -> &[u32] {
        let number = usize::from(record.0[1]) | (usize::from(record.0[2]) << 16);
        match (self.starts.get(number), self.starts.get(number + 1)) {
            (Some(&start), Some(&end)) => &self.ords[start as usize..end as usize],
            _ => &[],
        }
    }
}

impl DocOrds {
    fn read(column: &Column<u64>, max_doc: DocId) -> tantivy::Result<Self> {
        let too_many = || tantivy::TantivyError::InternalError("more facet values than a u32 counts".into());
        let values = column.values.num_vals();
        let mut ords = Vec::with_capacity(values as usize);
        let mut chunk = vec![0u64; READ_CHUNK];
        for start in (0..values).step_by(READ_CHUNK) {
            let read = &mut chunk[..READ_CHUNK.min((values - start) as usize)];
            column.values.get_range(u64::from(start), read);
            for &ord in read.iter() {
                ords.push(u32::try_from(ord).map_err(|_| too_many())?);
            }
        }
        let mut end = 0u32;
        let of_each_doc = (0..max_doc).map(|doc| {
            let start = end;
            let rows = column.index.value_row_ids(doc);
            // A document without facets answers an empty range at row 0, not at its place.
            if !rows.is_empty() {
                debug_assert_eq!(rows.start, end);
                end = rows.end;
            }
            &ords[start as usize..end as usize]
        });
        let doc_ords = DocOrds::from_each_doc(of_each_doc);
        debug_assert_eq!(end, values);
        Ok(doc_ords)
    }

    /// From each document's ordinals, document after document.
    fn from_each_doc<'a>(of_each_doc: impl ExactSizeIterator<Item = &'a [u32]>) -> Self {
        let mut records = Vec::with_capacity(of_each_doc.len());
        let mut spilled = Spilled::default();
        for ords in of_each_doc {
            records.push(Record::of(ords).unwrap_or_else(|| spilled.keep(ords)));
        }
        DocOrds {
            records: records.into_boxed_slice(),
            spilled,
        }
    }

    /// Counts the ordinals of each of `docs`, a batch at a time: first their records are read,
    /// then counted. At a million jobs one match's record rarely shares a cache line with the
    /// next's, and counting each as the scorer handed it over, the scorer's work between them,
    /// waited for its misses in turn: 52 % of the CPU of `顧問` + HK (51,000 matches) in `perf`.
    /// In a tight loop over a batch the misses of several documents are in flight at once
    /// (bench/changes.md).
    fn count_each(&self, docs: &[DocId], counts: &mut [u32]) {
        let mut records = [Record::EMPTY; BATCH];
        for batch in docs.chunks(BATCH) {
            let records = &mut records[..batch.len()];
            for (record, &doc) in records.iter_mut().zip(batch) {
                *record = self.records.get(doc as usize).copied().unwrap_or(Record::EMPTY);
            }
            for record in records.iter() {
                self.count_record(record, counts);
            }
        }
    }

    /// Counts the ordinals of every document in `docs`, which lie side by side.
    fn count_run(&self, docs: Range<DocId>, counts: &mut [u32]) {
        let records = self
            .records
            .get(docs.start as usize..docs.end as usize)
            .unwrap_or_default();
        for record in records {
            self.count_record(record, counts);
        }
    }

    fn count_record(&self, record: &Record, counts: &mut [u32]) {
        for &ord in &record.0 {
            match ord {
                NO_ORD => break,
                SPILLED => {
                    count(self.spilled.of(record), counts);
                    break;
                }
                ord => counts[usize::from(ord)] += 1,
            }
        }
    }

    fn carries(&self, doc: DocId, ord: u32) -> bool {
        let Some(record) = self.records.get(doc as usize) else {
            return false;
        };
        if record.0[0] == SPILLED {
            return self.spilled.of(record).contains(&ord);
        }
        // An ordinal a slot cannot hold is only ever in spilled lists; and it must not be taken
        // for the marks of empty slots.
        u16::try_from(ord)
            .ok()
            .filter(|&ord| ord < SPILLED)
            .is_some_and(|ord| record.0.contains(&ord))
    }

    fn max_doc(&self) -> DocId {
        self.records.len() as DocId
    }

    fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// Values decoded from the column in one call while a segment is read: a bounded buffer.
const READ_CHUNK: usize = 4096;

/// Matches whose facets are counted together (`DocOrds::count_each`): enough to keep many
/// cache misses in flight, few enough that their records take 1 KiB of the stack.
const BATCH: usize = 64;

/// Adds one to the count of each ordinal in `ords`.
fn count(ords: &[u32], counts: &mut [u32]) {
    for &ord in ords {
        counts[ord as usize] += 1;
    }
}

/// `root\0name` (tantivy's encoding of `/root/name`) → `(root, name)`; anything else → `None`.
fn split_facet(encoded: &[u8]) -> Option<(&str, &str)> {
    let text = std::str::from_utf8(encoded).ok()?;
    let (root, name) = text.split_once('\0')?;
    (!root.is_empty() && !name.is_empty() && !name.contains('\0')).then_some((root, name))
}

/// The tables of the segments, by segment. Reads never lock; `follow` reads the new segments'
/// tables after an open or a reload and drops the merged-away ones; a search that meets a segment
/// not read yet builds its table and publishes a new map.
#[derive(Default)]
pub struct FacetTables {
    segments: ArcSwap<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl FacetTables {
    /// The table of `segment`, read now if it was not yet.
    pub fn of(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(known) = self.segments.load().get(&id) {
            return Ok(Arc::clone(known));
        }
        let table = match segment.fast_fields().str(FACET_FIELD)? {
            Some(column) => Arc::new(SegmentFacets::read(&column, segment.max_doc())?),
            None => Arc::new(SegmentFacets::default()),
        };
        self.segments.rcu(|current| {
            let mut next = HashMap::clone(current);
            next.insert(id, Arc::clone(&table));
            next
        });
        Ok(table)
    }

    /// Called after each reload of the reader, off the search path: reads the tables of the
    /// segments `searcher` has that are new (a merge's, most of all, which would otherwise cost
    /// the first search to meet it a read of the whole segment), and drops those it no longer has.
    pub fn follow(&self, searcher: &Searcher) -> tantivy::Result<()> {
        let segments = searcher.segment_readers();
        for segment in segments {
            self.of(segment)?;
        }
        let live: Vec<SegmentId> = segments.iter().map(SegmentReader::segment_id).collect();
        if self.segments.load().keys().all(|id| live.contains(id)) {
            return Ok(());
        }
        self.segments.rcu(|current| {
            current
                .iter()
                .filter(|(id, _)| live.contains(id))
                .map(|(id, table)| (*id, Arc::clone(table)))
                .collect::<HashMap<_, _>>()
        });
        Ok(())
    }
}

/// Counts, per requested root, how many matching documents carry each facet under it.
pub struct FacetTally<'a> {
    tables: &'a FacetTables,
    roots: &'a [&'a str],
    broad: bool,
}

impl<'a> FacetTally<'a> {
    /// `roots` without the leading slash: `["jurisdiction", "skill"]`.
    pub fn new(tables: &'a FacetTables, roots: &'a [&'a str]) -> Self {
        FacetTally {
            tables,
            roots,
            broad: false,
        }
    }

    /// For a search likely to match most of the index — one without words, where a salary
    /// floor alone matched 860,771 of 900,073 open jobs. Where a segment's first matches lie
    /// dense, its matches are only marked while the search runs and counted at the end from the
    /// smaller side: the documents it matched, or every document less those it did not
    /// (bench/changes.md).
    pub fn broad(self) -> Self {
        FacetTally { broad: true, ..self }
    }
}

/// Per requested root (in the order asked), name → documents.
pub type Tallies = Vec<BTreeMap<String, u64>>;

pub struct SegmentTally {
    table: Arc<SegmentFacets>,
    counts: Vec<u32>,
    /// A scored search's matches not yet counted: they are counted a batch at a time.
    pending: Vec<DocId>,
    counting: Counting,
    max_doc: DocId,
}

/// How a segment's matches are counted.
enum Counting {
    /// As they come.
    AsMatched,
    /// A broad search's first matches, held until there are enough to tell how dense they lie.
    Undecided(Vec<DocId>),
    /// Marked, and counted at harvest from the smaller side. Marking every match and reading
    /// the marks back made the searches that match 5–50 % of the index 7–14 % slower at the
    /// median (a few ns a match, bench/changes.md), so only dense first matches choose it.
    Marked(MatchedDocs),
}

/// The matches a broad search's counting is chosen from: one block of an unscored search.
const FIRST_MATCHES: usize = 64;

impl SegmentTally {
    /// Marking when the first matches cover more than two documents in three of their span.
    fn choose(&mut self, first: &[DocId]) {
        let dense = match (first.first(), first.last()) {
            (Some(&low), Some(&high)) => 2 * (high - low + 1) < 3 * first.len() as DocId,
            _ => false,
        };
        if dense {
            let mut marks = MatchedDocs::new(self.max_doc);
            first.iter().for_each(|&doc| marks.insert(doc));
            self.counting = Counting::Marked(marks);
        } else {
            self.counting = Counting::AsMatched;
            self.count_as_matched(first);
        }
    }

    fn count_as_matched(&mut self, docs: &[DocId]) {
        self.table.docs.count_each(docs, &mut self.counts);
    }

    fn count_pending(&mut self) {
        self.table.docs.count_each(&self.pending, &mut self.counts);
        self.pending.clear();
    }

    /// The facets of the marked documents: counted from them, or from every document less the
    /// unmarked ones, whichever are fewer.
    fn count_from_smaller_side(&mut self, marks: &MatchedDocs) {
        let matched = marks.matched() <= marks.unmatched();
        for docs in marks.runs(matched) {
            self.table.docs.count_run(docs, &mut self.counts);
        }
        if !matched {
            for (count, &of_every_doc) in self.counts.iter_mut().zip(&self.table.every_doc) {
                *count = of_every_doc - *count;
            }
        }
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = (Arc<SegmentFacets>, Vec<u32>);

    /// A scored search hands over one document at a time.
    fn collect(&mut self, doc: DocId, _: Score) {
        match self.counting {
            Counting::AsMatched => {
                self.pending.push(doc);
                if self.pending.len() == BATCH {
                    self.count_pending();
                }
            }
            _ => self.collect_block(&[doc]),
        }
    }

    /// A search that scores nothing hands over its documents in blocks.
    fn collect_block(&mut self, docs: &[DocId]) {
        match &mut self.counting {
            Counting::AsMatched => self.count_as_matched(docs),
            Counting::Marked(marks) => docs.iter().for_each(|&doc| marks.insert(doc)),
            Counting::Undecided(first) => {
                first.extend_from_slice(docs);
                if first.len() >= FIRST_MATCHES {
                    let first = std::mem::take(first);
                    self.choose(&first);
                }
            }
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        self.count_pending();
        match std::mem::replace(&mut self.counting, Counting::AsMatched) {
            Counting::AsMatched => {}
            Counting::Undecided(first) => self.count_as_matched(&first),
            Counting::Marked(marks) => self.count_from_smaller_side(&marks),
        }
        (self.table, self.counts)
    }
}

impl Collector for FacetTally<'_> {
    type Fruit = Tallies;
    type Child = SegmentTally;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentTally> {
        let table = self.tables.of(segment)?;
        let counts = vec![0; table.by_ord.len()];
        let counting = if self.broad && !table.docs.is_empty() {
            Counting::Undecided(Vec::with_capacity(FIRST_MATCHES))
        } else {
            Counting::AsMatched
        };
        Ok(SegmentTally {
            table,
            counts,
            pending: Vec::with_capacity(BATCH),
            counting,
            max_doc: segment.max_doc(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<(Arc<SegmentFacets>, Vec<u32>)>) -> tantivy::Result<Tallies> {
        let mut tallies = vec![BTreeMap::new(); self.roots.len()];
        for (table, counts) in &segments {
            // The segment's root numbering → the caller's; roots nobody asked for are skipped.
            let wanted: Vec<Option<usize>> = table
                .roots
                .iter()
                .map(|root| self.roots.iter().position(|asked| *asked == &**root))
                .collect();
            for (entry, &count) in table.by_ord.iter().zip(counts) {
                let Some((root, name)) = entry else { continue };
                if count == 0 {
                    continue;
                }
                if let Some(slot) = wanted[usize::from(*root)] {
                    *tallies[slot].entry(name.to_string()).or_insert(0) += u64::from(count);
                }
            }
        }
        Ok(tallies)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{FacetCollector, TopDocs};
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::{FacetOptions, IndexRecordOption, STRING, Schema};
    use tantivy::{Index, IndexWriter, Term, doc};

    use super::*;

    #[test]
    fn splits_only_two_level_facets() {
        assert_eq!(split_facet(b"skill\0rust"), Some(("skill", "rust")));
        assert_eq!(split_facet(b"skill"), None);
        assert_eq!(split_facet(b"skill\0a\0b"), None);
        assert_eq!(split_facet(b"\0rust"), None);
        assert_eq!(split_facet(b"skill\0\xff"), None);
    }

    /// Several segments (one commit each), facets shared and not, a filter: the tally equals
    /// what tantivy's own collector counts, and stays right on a second search (cached names).
    #[test]
    fn agrees_with_tantivys_facet_collector() {
        let mut builder = Schema::builder();
        let facets = builder.add_facet_field(FACET_FIELD, FacetOptions::default());
        let kind = builder.add_text_field("kind", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let batches: [&[(&str, &[&str])]; 3] = [
            &[
                ("a", &["/skill/rust", "/skill/sql", "/jurisdiction/HK"]),
                ("b", &["/skill/rust"]),
            ],
            &[
                ("a", &["/skill/go", "/jurisdiction/CN", "/language/yue"]),
                ("a", &[]),
            ],
            &[("b", &["/skill/sql", "/jurisdiction/HK", "/language/en"])],
        ];
        for batch in batches {
            for (k, paths) in batch {
                let mut document = doc!(kind => *k);
                for path in *paths {
                    document.add_facet(facets, tantivy::schema::Facet::from(*path));
                }
                writer.add_document(document).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);

        let tables = FacetTables::default();
        let roots = ["skill", "jurisdiction"];
        let only_a = TermQuery::new(Term::from_field_text(kind, "a"), IndexRecordOption::Basic);
        for query in [&only_a as &dyn tantivy::query::Query, &AllQuery] {
            for _ in 0..2 {
                assert_counts_as_tantivy(&searcher, query, &tables, &roots);
            }
        }
        let all = searcher
            .search(&AllQuery, &FacetTally::new(&tables, &roots))
            .unwrap();
        assert_eq!(all[0]["rust"], 2);
        assert_eq!(all[0]["sql"], 2);
        assert_eq!(all[1]["HK"], 2);
        assert!(
            !all[0].contains_key("en"),
            "a root nobody asked for is not counted"
        );
    }

    /// Hundreds of documents in one segment, so that an unscored search hands them over in
    /// blocks, some in long runs (everything), some in short ones and alone (a filter).
    #[test]
    fn counts_blocks_of_documents_as_tantivys_facet_collector() {
        let mut builder = Schema::builder();
        let facets = builder.add_facet_field(FACET_FIELD, FacetOptions::default());
        let kind = builder.add_text_field("kind", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..700u32 {
            let in_a = (i / 4) % 2 == 0 || i % 9 == 0;
            let mut document = doc!(kind => if in_a { "a" } else { "b" });
            if i % 13 != 0 {
                let place = if i % 3 == 0 { "HK" } else { "CN" };
                document.add_facet(
                    facets,
                    tantivy::schema::Facet::from(&*format!("/jurisdiction/{place}")),
                );
                document.add_facet(
                    facets,
                    tantivy::schema::Facet::from(&*format!("/skill/s{}", i % 7)),
                );
            }
            if i % 5 == 0 {
                document.add_facet(
                    facets,
                    tantivy::schema::Facet::from(&*format!("/skill/t{}", i % 11)),
                );
            }
            writer.add_document(document).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);

        let tables = FacetTables::default();
        let roots = ["skill", "jurisdiction"];
        let only_a = TermQuery::new(Term::from_field_text(kind, "a"), IndexRecordOption::Basic);
        for query in [&only_a as &dyn tantivy::query::Query, &AllQuery] {
            assert_counts_as_tantivy(&searcher, query, &tables, &roots);
        }
    }

    /// Records hold up to eight ordinals below `SPILLED`; a document with more, or with a larger
    /// one, is counted from the spilled lists, whether counted one match at a time or in runs.
    #[test]
    fn documents_whose_ordinals_do_not_fit_a_record_are_counted_whole() {
        let large = u32::from(SPILLED);
        let each_doc: Vec<Vec<u32>> = vec![
            vec![0, 1, 2],
            vec![],
            (0..9).collect(),
            vec![3, large, 4],
            (0..8).collect(),
            vec![large + 70_000],
            vec![u32::from(SPILLED) - 1],
            vec![5],
        ];
        let docs = DocOrds::from_each_doc(each_doc.iter().map(Vec::as_slice));
        let spilled: Vec<usize> = (0..docs.records.len())
            .filter(|&doc| docs.records[doc].0[0] == SPILLED)
            .collect();
        assert_eq!(spilled, [2, 3, 5]);
        let slots = large as usize + 70_001;
        let expected = |chosen: &[DocId]| {
            let mut counts = vec![0u32; slots];
            for &doc in chosen {
                count(&each_doc[doc as usize], &mut counts);
            }
            counts
        };
        let every: Vec<DocId> = (0..docs.max_doc()).collect();
        for chosen in [every.as_slice(), &[2, 3, 5], &[0, 1, 4, 6, 7], &[3]] {
            let mut counts = vec![0u32; slots];
            docs.count_each(chosen, &mut counts);
            assert_eq!(counts, expected(chosen), "{chosen:?}");
        }
        let mut counts = vec![0u32; slots];
        docs.count_run(1..6, &mut counts);
        assert_eq!(counts, expected(&[1, 2, 3, 4, 5]));
        assert_eq!(counts[large as usize], 1);
        assert_eq!(counts[large as usize + 70_000], 1);

        // Whether a document carries an ordinal reads the same record or list, and an empty
        // slot's mark is no ordinal.
        for ord in [0, 3, 5, 8, large - 1, large, large + 1, large + 70_000] {
            for (doc, ords) in each_doc.iter().enumerate() {
                assert_eq!(
                    docs.carries(doc as DocId, ord),
                    ords.contains(&ord),
                    "{doc} {ord}"
                );
            }
        }
        assert!(!docs.carries(docs.max_doc(), 0), "past the last document");
    }

    /// A list's number takes two slots: past 65,536 spilled documents its high half is used.
    #[test]
    fn the_spilled_lists_past_the_first_65536_are_found() {
        let each_doc: Vec<Vec<u32>> = (0..70_000u32)
            .map(|doc| (0..9).map(|k| (doc + k) % 20).collect())
            .collect();
        let docs = DocOrds::from_each_doc(each_doc.iter().map(Vec::as_slice));
        for doc in [0u32, 65_535, 65_536, 69_999] {
            let mut counts = vec![0u32; 20];
            docs.count_each(&[doc], &mut counts);
            let mut expected = vec![0u32; 20];
            count(&each_doc[doc as usize], &mut expected);
            assert_eq!(counts, expected, "document {doc}");
        }
    }

    /// Our tally of `roots` on `query` equals tantivy's `FacetCollector`'s, and counts something.
    fn assert_counts_as_tantivy(
        searcher: &tantivy::Searcher,
        query: &dyn tantivy::query::Query,
        tables: &FacetTables,
        roots: &[&str],
    ) {
        let mut reference = FacetCollector::for_field(FACET_FIELD);
        for root in roots {
            reference.add_facet(&*format!("/{root}"));
        }
        let expected = searcher.search(query, &reference).unwrap();
        for broad in [false, true] {
            let tally = || {
                let tally = FacetTally::new(tables, roots);
                if broad { tally.broad() } else { tally }
            };
            // Alone the tally is handed blocks of documents; beside a scored collector, one
            // document at a time, which it counts a batch at a time.
            let unscored = searcher.search(query, &tally()).unwrap();
            let scored = searcher
                .search(query, &(TopDocs::with_limit(1).order_by_score(), tally()))
                .unwrap()
                .1;
            for (slot, root) in roots.iter().enumerate() {
                let want: BTreeMap<String, u64> = expected
                    .get(&format!("/{root}"))
                    .map(|(facet, count)| (facet.to_path()[1].to_string(), count))
                    .collect();
                assert!(!want.is_empty(), "root {root}");
                assert_eq!(unscored[slot], want, "root {root}, broad: {broad}");
                assert_eq!(scored[slot], want, "root {root}, broad: {broad}, scored");
            }
        }
    }

    /// A broad search counts from whichever side is smaller: the documents it matched (few), or
    /// every document less those it did not (most) — deleted ones among them, which a search
    /// never matches but the counts of every document hold.
    #[test]
    fn a_broad_search_counts_from_either_side_with_deleted_documents() {
        let mut builder = Schema::builder();
        let facets = builder.add_facet_field(FACET_FIELD, FacetOptions::default());
        let kind = builder.add_text_field("kind", STRING);
        let id = builder.add_text_field("id", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..500u32 {
            let mut document = doc!(
                kind => if i % 10 == 3 { "rare" } else { "common" },
                id => i.to_string(),
            );
            if i % 11 != 0 {
                document.add_facet(
                    facets,
                    tantivy::schema::Facet::from(&*format!("/skill/s{}", i % 6)),
                );
            }
            document.add_facet(
                facets,
                tantivy::schema::Facet::from(if i % 4 == 0 {
                    "/jurisdiction/HK"
                } else {
                    "/jurisdiction/CN"
                }),
            );
            writer.add_document(document).unwrap();
        }
        writer.commit().unwrap();
        for deleted in (0..500u32).step_by(7) {
            writer.delete_term(Term::from_field_text(id, &deleted.to_string()));
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        assert!(
            segment.num_deleted_docs() > 0,
            "the segment keeps its deleted documents"
        );

        let tables = FacetTables::default();
        let roots = ["skill", "jurisdiction"];
        let term_query =
            |value: &str| TermQuery::new(Term::from_field_text(kind, value), IndexRecordOption::Basic);
        let (rare, common) = (term_query("rare"), term_query("common"));
        for query in [&rare as &dyn tantivy::query::Query, &common, &AllQuery] {
            assert_counts_as_tantivy(&searcher, query, &tables, &roots);
        }
        let every_doc = tables.segments.load()[&segment.segment_id()].every_doc.clone();
        assert_eq!(
            every_doc.iter().sum::<u32>(),
            500 + (0..500).filter(|i| i % 11 != 0).count() as u32
        );
    }

    /// After a reload, the new segments' tables are read before any search meets them (here,
    /// two segments with one facet per document, then the one a merge made of them), and the
    /// merged-away ones are dropped.
    #[test]
    fn follows_the_segments_a_reload_brings_and_takes_away() {
        let mut builder = Schema::builder();
        let facets = builder.add_facet_field(FACET_FIELD, FacetOptions::default());
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for name in ["/skill/a", "/skill/b"] {
            writer
                .add_document(doc!(facets => tantivy::schema::Facet::from(name)))
                .unwrap();
            writer.commit().unwrap();
        }
        let reader = index.reader().unwrap();
        let tables = FacetTables::default();
        tables.follow(&reader.searcher()).unwrap();
        let before: Vec<SegmentId> = reader
            .searcher()
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        assert_eq!(before.len(), 2);
        assert!(before.iter().all(|id| tables.segments.load().contains_key(id)));

        writer.merge(&before).wait().unwrap();
        reader.reload().unwrap();
        let searcher = reader.searcher();
        tables.follow(&searcher).unwrap();
        let merged = searcher.segment_readers()[0].segment_id();
        assert_eq!(searcher.segment_readers().len(), 1);
        assert_eq!(tables.segments.load().keys().collect::<Vec<_>>(), [&merged]);
        assert_counts_as_tantivy(&searcher, &AllQuery, &tables, &["skill"]);
    }
}
