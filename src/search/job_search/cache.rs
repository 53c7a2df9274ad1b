//! Answers of job search, kept by what determines them: the query and its filters, the page,
//! and the index's generation (a commit or a rebuilt index makes a new one, so no answer
//! outlives the data it was computed from). The minute is part of the key too: a job leaves the
//! results when it expires, without an event, so an answer is reused for a minute at most.
//! Bounded by the bytes of the answers it holds; hits and misses are counted for `/metrics`.

use actix_web::web::Bytes;
use chrono::NaiveDateTime;
use prometheus::IntCounter;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

use crate::paging::Page;
use crate::search::job_search::on_index::JobQuery;

/// What an answer depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    /// The index instance and its searcher generation (`SearchIndex::version`).
    index: (u64, u64),
    minute: i64,
    query: JobQuery,
    limit: i64,
    offset: i64,
}

impl PageKey {
    /// The key of `query`'s `page` on `index` at `now`. The text is keyed by its words: spaces
    /// around and between them change nothing the parser reads.
    pub fn new(index: (u64, u64), now: NaiveDateTime, query: &JobQuery, page: Page) -> Self {
        let mut query = query.clone();
        query.text = query
            .text
            .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "));
        PageKey {
            index,
            minute: now.and_utc().timestamp() / 60,
            query,
            limit: page.limit,
            offset: page.offset,
        }
    }
}

#[derive(Debug, Clone)]
struct AnswerBytes;

impl Weighter<PageKey, Bytes> for AnswerBytes {
    fn weight(&self, key: &PageKey, answer: &Bytes) -> u64 {
        let text = key.query.text.as_ref().map_or(0, String::len);
        (answer.len() + text + std::mem::size_of::<PageKey>()) as u64
    }
}

/// The cache of serialised answers; `None` when switched off.
pub struct PageCache {
    answers: Option<Cache<PageKey, Bytes, AnswerBytes>>,
    pub hits: IntCounter,
    pub misses: IntCounter,
}

/// A typical answer's size, to size the cache's table.
const TYPICAL_ANSWER_BYTES: u64 = 16 * 1024;

impl PageCache {
    /// A cache of at most `bytes` of answers; 0 switches it off.
    pub fn new(bytes: u64) -> Self {
        let answers = (bytes > 0).then(|| {
            let estimated = (bytes / TYPICAL_ANSWER_BYTES).max(16) as usize;
            Cache::with_weighter(estimated, bytes, AnswerBytes)
        });
        PageCache {
            answers,
            hits: IntCounter::new(
                "job_search_cache_hits_total",
                "Job searches answered from the cache",
            )
            .expect("valid metric definition"),
            misses: IntCounter::new(
                "job_search_cache_misses_total",
                "Job searches computed (the cache was off or did not hold the answer)",
            )
            .expect("valid metric definition"),
        }
    }

    pub fn is_on(&self) -> bool {
        self.answers.is_some()
    }

    /// The answer kept for `key`, counted as a hit; nothing is counted when there is none (the
    /// caller goes on to `answer`, which counts).
    pub fn kept(&self, key: &PageKey) -> Option<Bytes> {
        let answer = self.answers.as_ref()?.get(key)?;
        self.hits.inc();
        Some(answer)
    }

    /// The answer for `key`: the one kept, or `compute`'s, kept for the next asker. Concurrent
    /// askers of one missing key wait for one computation instead of repeating it.
    pub fn answer<E>(&self, key: &PageKey, compute: impl FnOnce() -> Result<Bytes, E>) -> Result<Bytes, E> {
        let Some(answers) = &self.answers else {
            self.misses.inc();
            return compute();
        };
        let mut computed = false;
        let answer = answers.get_or_insert_with(key, || {
            computed = true;
            compute()
        });
        if computed { &self.misses } else { &self.hits }.inc();
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(index: (u64, u64), at: &str, text: &str, offset: i64) -> PageKey {
        let now = NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S").unwrap();
        let query = JobQuery {
            text: Some(text.to_owned()),
            ..JobQuery::default()
        };
        PageKey::new(index, now, &query, Page { limit: 20, offset })
    }

    #[test]
    fn spaces_do_not_change_the_key_and_everything_else_does() {
        let base = key((1, 1), "2026-12-03 10:00:05", "rust  engineer", 0);
        assert_eq!(base, key((1, 1), "2026-12-03 10:00:59", " rust engineer ", 0));
        assert_ne!(base, key((1, 2), "2026-12-03 10:00:05", "rust engineer", 0));
        assert_ne!(base, key((2, 1), "2026-12-03 10:00:05", "rust engineer", 0));
        assert_ne!(base, key((1, 1), "2026-12-03 10:01:00", "rust engineer", 0));
        assert_ne!(base, key((1, 1), "2026-12-03 10:00:05", "rust engineer", 20));
        assert_ne!(base, key((1, 1), "2026-12-03 10:00:05", "rust", 0));
    }

    #[test]
    fn a_kept_answer_is_not_computed_again_and_both_are_counted() {
        let cache = PageCache::new(1 << 20);
        let k = key((1, 1), "2026-12-03 10:00:05", "rust", 0);
        let first: Result<Bytes, ()> = cache.answer(&k, || Ok(Bytes::from_static(b"{\"total\":1}")));
        let second: Result<Bytes, ()> = cache.answer(&k, || panic!("computed twice"));
        assert_eq!(first.unwrap(), second.unwrap());
        assert_eq!((cache.hits.get(), cache.misses.get()), (1, 1));
    }

    #[test]
    fn a_failure_is_not_kept_and_an_off_cache_computes_every_time() {
        let cache = PageCache::new(1 << 20);
        let k = key((1, 1), "2026-12-03 10:00:05", "rust", 0);
        assert!(cache.answer(&k, || Err::<Bytes, _>("index gone")).is_err());
        assert!(
            cache
                .answer(&k, || Ok::<_, &str>(Bytes::from_static(b"{}")))
                .is_ok()
        );
        assert_eq!(cache.misses.get(), 2);
        let off = PageCache::new(0);
        assert!(!off.is_on());
        for _ in 0..3 {
            off.answer(&k, || Ok::<_, ()>(Bytes::new())).unwrap();
        }
        assert_eq!((off.hits.get(), off.misses.get()), (0, 3));
    }

    #[test]
    fn the_cache_holds_no_more_than_its_bytes() {
        let cache = PageCache::new(64 * 1024);
        for offset in 0..100 {
            let k = key((1, 1), "2026-12-03 10:00:05", "rust", offset);
            cache
                .answer(&k, || Ok::<_, ()>(Bytes::from(vec![b'x'; 4096])))
                .unwrap();
        }
        let answers = cache.answers.as_ref().unwrap();
        assert!(answers.weight() <= 64 * 1024, "{}", answers.weight());
        assert!(answers.len() < 100);
    }
}
