//! Jobs: postings of verified employers, their requirements, and the draft → open → closed
//! lifecycle.

pub mod routes;
