//! The documents a search matched in one segment, one bit each, read back as runs of
//! consecutive documents that it matched or did not.

use std::ops::Range;

use tantivy::DocId;

pub struct MatchedDocs {
    words: Vec<u64>,
    max_doc: DocId,
    matched: u32,
}

impl MatchedDocs {
    /// No document of a segment of `max_doc` documents matched yet.
    pub fn new(max_doc: DocId) -> Self {
        MatchedDocs {
            words: vec![0; max_doc.div_ceil(64) as usize],
            max_doc,
            matched: 0,
        }
    }

    pub fn insert(&mut self, doc: DocId) {
        let word = &mut self.words[(doc / 64) as usize];
        let bit = 1 << (doc % 64);
        if *word & bit == 0 {
            *word |= bit;
            self.matched += 1;
        }
    }

    pub fn matched(&self) -> u32 {
        self.matched
    }

    pub fn unmatched(&self) -> u32 {
        self.max_doc - self.matched
    }

    /// The runs of consecutive documents that were matched (`matched`) or not, in order.
    pub fn runs(&self, matched: bool) -> Runs<'_> {
        Runs {
            docs: self,
            from: 0,
            matched,
        }
    }

    /// The first document at or after `from` that was matched (`matched`) or not.
    fn next(&self, from: DocId, matched: bool) -> Option<DocId> {
        if from >= self.max_doc {
            return None;
        }
        // Looking for an unmatched document is looking for a one in the inverted words; the
        // bits past `max_doc` are then ones, which the bound at the end refuses.
        let invert = if matched { 0 } else { u64::MAX };
        let mut index = (from / 64) as usize;
        let mut word = (self.words[index] ^ invert) & (u64::MAX << (from % 64));
        while word == 0 {
            index += 1;
            word = self.words.get(index)? ^ invert;
        }
        let doc = index as DocId * 64 + word.trailing_zeros();
        (doc < self.max_doc).then_some(doc)
    }
}

pub struct Runs<'a> {
    docs: &'a MatchedDocs,
    from: DocId,
    matched: bool,
}

impl Iterator for Runs<'_> {
    type Item = Range<DocId>;

    fn next(&mut self) -> Option<Range<DocId>> {
        let start = self.docs.next(self.from, self.matched)?;
        let end = self.docs.next(start, !self.matched).unwrap_or(self.docs.max_doc);
        self.from = end;
        Some(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(max_doc: DocId, docs: &[DocId]) -> MatchedDocs {
        let mut matched = MatchedDocs::new(max_doc);
        for &doc in docs {
            matched.insert(doc);
        }
        matched
    }

    fn runs(docs: &MatchedDocs, matched: bool) -> Vec<Range<DocId>> {
        docs.runs(matched).collect()
    }

    #[test]
    fn runs_cross_word_boundaries_and_stop_at_max_doc() {
        let docs = with(200, &[0, 1, 2, 63, 64, 65, 127, 128, 199]);
        assert_eq!(docs.matched(), 9);
        assert_eq!(docs.unmatched(), 191);
        assert_eq!(runs(&docs, true), [0..3, 63..66, 127..129, 199..200]);
        assert_eq!(runs(&docs, false), [3..63, 66..127, 129..199]);
    }

    #[test]
    fn an_empty_or_full_segment_has_one_run_or_none() {
        let none = with(70, &[]);
        assert_eq!(runs(&none, true), []);
        assert_eq!(runs(&none, false), vec![0..70]);

        let all: Vec<DocId> = (0..70).collect();
        let every = with(70, &all);
        assert_eq!(runs(&every, true), vec![0..70]);
        assert_eq!(runs(&every, false), []);

        let nothing = with(0, &[]);
        assert_eq!(runs(&nothing, true), []);
        assert_eq!(runs(&nothing, false), []);
    }

    /// Against a plain list of booleans, on a pattern with runs of every length around 64.
    #[test]
    fn the_runs_cover_exactly_the_documents_of_their_kind() {
        let max_doc = 1_000;
        let is_matched = |doc: DocId| !(doc / 7).is_multiple_of(3) || (300..450).contains(&doc);
        let docs: Vec<DocId> = (0..max_doc).filter(|&doc| is_matched(doc)).collect();
        let matched = with(max_doc, &docs);
        for kind in [true, false] {
            let mut seen = Vec::new();
            let mut last_end = None;
            for run in matched.runs(kind) {
                assert!(!run.is_empty());
                assert_ne!(Some(run.start), last_end, "runs are maximal");
                last_end = Some(run.end);
                seen.extend(run);
            }
            let expected: Vec<DocId> = (0..max_doc).filter(|&doc| is_matched(doc) == kind).collect();
            assert_eq!(seen, expected);
        }
        assert_eq!(matched.matched() as usize, docs.len());
    }
}
