//! Employers: registration with a parsed registration number, members (owners and recruiters,
//! joined by emailed invitation), and the agency's verification, which publishing jobs needs.
//!
//! Who may do what: any signed-in user reads an employer (public company facts); employer
//! accounts register employers and list their own; owners rename, invite, remove members and
//! manage invitations; members and agency staff list members; agency staff verify and list all.

pub mod invitations;
pub mod membership;
pub mod model;
pub mod registration;
pub mod routes;
pub mod service;
pub mod store;
pub mod views;
