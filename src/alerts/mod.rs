//! Saved searches and job alerts (issue #5): a candidate saves a job search (words, the filters
//! of `GET /jobs/search`, a frequency), and new jobs matching it are emailed as one digest per
//! search — instantly, daily or weekly — each job at most once per search.
//!
//! Who: candidates only (403 for every other role); a candidate sees and deletes only their own
//! (another's is 404). Erasure deletes a candidate's searches; the export lists them.

pub mod digest;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
