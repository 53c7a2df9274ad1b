//! The agency's picture of the market and of its own work: counts over the marketplace and cases.

pub mod routes;
pub mod store;
