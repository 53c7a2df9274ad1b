//! Matching both ways — jobs for a candidate, candidates for a job — ranked by one formula
//! (`score`) over a pool the index retrieves (`retrieve`), every hit explained: skills met and
//! missing, the qualification rule used, work authorisation, languages, salary, text relevance.

pub mod retrieve;
pub mod routes;
pub mod score;
pub mod service;
