//! List answers: `{items, total, limit, offset}` with a capped page size.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::AppError;

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;
/// The deepest a search page may start. A search keeps `offset + limit` hits in memory to skip
/// the first `offset` (tantivy's `TopDocs`), so an unbounded offset is an allocation the caller
/// chooses: `offset=2147483648` aborted the process (found by the API fuzzer). Elasticsearch
/// stops at the same depth by default (`index.max_result_window`); deeper needs a narrower query.
pub const MAX_SEARCH_OFFSET: u32 = 10_000;

/// `?limit=&offset=` of a list endpoint.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// 1–100, default 20.
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

impl PageQuery {
    pub fn page(&self) -> Page {
        Page::new(self.limit, self.offset)
    }
}

/// A page request, clamped: `limit` 1..=100 (default 20), `offset` from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    pub fn new(limit: Option<u32>, offset: Option<u32>) -> Self {
        Self {
            limit: i64::from(limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)),
            offset: i64::from(offset.unwrap_or(0)),
        }
    }

    /// A page of search hits: as `new`, but an offset past `MAX_SEARCH_OFFSET` is a 422.
    pub fn of_search(limit: Option<u32>, offset: Option<u32>) -> Result<Self, AppError> {
        match offset {
            Some(offset) if offset > MAX_SEARCH_OFFSET => Err(AppError::invalid(
                "offset",
                format!("must be at most {MAX_SEARCH_OFFSET}; narrow the query to see further"),
            )),
            _ => Ok(Self::new(limit, offset)),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

impl<T> Listing<T> {
    pub fn new(items: Vec<T>, total: i64, page: Page) -> Self {
        Self {
            items,
            total,
            limit: page.limit,
            offset: page.offset,
        }
    }

    /// One page of a list held in memory (the registry's tables, a candidate's holdings), each
    /// item shown through `view`.
    pub fn paged<S>(all: impl IntoIterator<Item = S>, page: Page, view: impl FnMut(S) -> T) -> Self {
        let all: Vec<S> = all.into_iter().collect();
        let total = all.len() as i64;
        let shown = all
            .into_iter()
            .skip(page.offset as usize)
            .take(page.limit as usize)
            .map(view)
            .collect();
        Self::new(shown, total, page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_is_capped_and_defaulted() {
        assert_eq!(Page::new(None, None), Page { limit: 20, offset: 0 });
        assert_eq!(
            Page::new(Some(10_000), Some(5)),
            Page {
                limit: 100,
                offset: 5
            }
        );
        assert_eq!(Page::new(Some(0), None).limit, 1);
    }

    #[test]
    fn search_pages_stop_at_the_deepest_offset() {
        assert_eq!(
            Page::of_search(None, Some(MAX_SEARCH_OFFSET)).unwrap().offset,
            10_000
        );
        assert!(Page::of_search(None, Some(MAX_SEARCH_OFFSET + 1)).is_err());
        assert!(Page::of_search(None, Some(u32::MAX)).is_err());
    }
}
