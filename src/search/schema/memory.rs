//! A bounded memory of what the analysis gave short texts: the words of postings, titles, skill
//! labels and employers' names recur in thousands of documents, and looking a text up costs a
//! fraction of analysing it again (bench/changes.md). Full, it starts afresh: the texts that recur
//! come back at once, and nothing has to keep track of which were used last.

use std::collections::HashMap;

/// What was computed for each short text, up to `max_texts` texts of at most `max_bytes`.
pub struct ShortTextMemory<V> {
    /// foldhash rather than the standard SipHash: the texts are short and looked up once per
    /// token or field; its per-process seed keeps crafted collisions out.
    remembered: HashMap<Box<str>, V, foldhash::fast::RandomState>,
    max_bytes: usize,
    max_texts: usize,
}

impl<V> ShortTextMemory<V> {
    pub fn new(max_bytes: usize, max_texts: usize) -> Self {
        ShortTextMemory {
            remembered: HashMap::default(),
            max_bytes,
            max_texts,
        }
    }

    /// What `text` gave, remembered or computed now by `compute` and remembered; `None` for a
    /// text longer than the memory keeps, which the caller computes itself.
    pub fn get_or_compute(&mut self, text: &str, compute: impl FnOnce() -> V) -> Option<&V> {
        if text.len() > self.max_bytes {
            return None;
        }
        // Two lookups on a hit: returning the first one's borrow from inside a branch does not
        // pass today's borrow checker.
        if !self.remembered.contains_key(text) {
            if self.remembered.len() >= self.max_texts {
                self.remembered.clear();
            }
            let value = compute();
            self.remembered.insert(text.into(), value);
        }
        self.remembered.get(text)
    }

    /// Texts remembered now.
    pub fn len(&self) -> usize {
        self.remembered.len()
    }

    pub fn is_empty(&self) -> bool {
        self.remembered.is_empty()
    }

    pub fn contains(&self, text: &str) -> bool {
        self.remembered.contains_key(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_are_computed_once_and_long_ones_never_kept() {
        let mut memory = ShortTextMemory::new(8, 100);
        let mut computed = 0;
        for text in ["rust", "rust", "engineer", "rust", "engineers"] {
            let value = memory.get_or_compute(text, || {
                computed += 1;
                text.len()
            });
            assert_eq!(value.copied(), (text.len() <= 8).then_some(text.len()), "{text}");
        }
        assert_eq!(computed, 2, "rust and engineer, once each");
        assert_eq!(memory.len(), 2);
        assert!(memory.contains("rust") && !memory.contains("engineers"));
    }

    #[test]
    fn a_full_memory_starts_afresh() {
        let mut memory = ShortTextMemory::new(16, 3);
        for n in 0..10 {
            let text = format!("word{n}");
            assert_eq!(memory.get_or_compute(&text, || n), Some(&n));
            assert!(memory.len() <= 3);
        }
        assert!(memory.contains("word9"));
        assert!(!memory.contains("word0"));
    }
}
