//! Employers: organisations with a checked registration number, their members and invitations,
//! and agency verification.

pub mod membership;
pub mod routes;
