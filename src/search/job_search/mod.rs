//! Job search, the query side of the jobs index: `request` checks a request's filters against
//! the registry and loads the page it found; `on_index` runs the query on the index.

pub mod cache;
pub mod on_index;
pub mod request;
