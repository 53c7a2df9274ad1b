//! Candidates: profile, languages, skills, credentials, work authorisations, consents to
//! cross-border sharing, data export and erasure — and the one rule of who may see a candidate.

pub mod routes;
