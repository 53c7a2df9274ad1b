//! List answers: `{items, total, limit, offset}` with a capped page size.

use serde::Serialize;
use utoipa::ToSchema;

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

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
}
