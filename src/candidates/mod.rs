//! Candidates: the job seeker's profile (languages, skills, desired places, salary expectation,
//! visibility), the credentials and work authorisations they hold (verified by the agency), their
//! cross-border consents, and their data rights (export, erasure).
//!
//! The consent visibility rule lives here, in `visibility`, and nowhere else: other areas
//! (applications, search, matches) ask it.

pub mod consents;
pub mod holdings;
pub mod model;
pub mod profile;
pub mod records;
pub mod routes;
pub mod store;
pub mod validation;
pub mod views;
pub mod visibility;

/// The version of the cross-border sharing notice a candidate is shown when consenting; each
/// consent records the version it was given under, so a later notice can ask again.
pub const CONSENT_NOTICE_VERSION: &str = "2026-11";
