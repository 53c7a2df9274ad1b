//! The agency's picture of the market and of its own work: counts over the marketplace and cases
//! (`store`), and the skill gap between open jobs and candidates (`skill_gap`).

pub mod routes;
pub mod skill_gap;
pub mod store;
