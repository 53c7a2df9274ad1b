//! Talent search, the query side of the candidates index: `request` says who may search, turns
//! the consent rule into the query and re-checks the page it loads; `on_index` runs the query.

pub mod on_index;
pub mod request;
