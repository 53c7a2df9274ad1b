//! Jobs: postings of an employer with skills, languages and an optional qualification, validated
//! against the registry; lifecycle draft → open → closed, and expiry (an open job past
//! `expires_at` is `expired`, no longer open). Members of the employer write; open jobs are public.
//!
//! Other areas use `store::find_job`, `model::JobRow` and `service::is_open`.

pub mod input;
pub mod lifecycle;
pub mod model;
pub mod records;
pub mod routes;
pub mod service;
pub mod status;
pub mod store;
pub mod views;
