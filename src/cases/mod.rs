//! One-stop cross-border employment cases: the agency's case for a candidate moving across the
//! boundary (permit or visa, credential recognition, social security, medical cover, schooling,
//! tax, bank, housing), with a checklist made from the direction's template, notes, a timeline
//! read from the audit log, deadlines and reminders.
//!
//! Who sees what: agency officers and admins see and change every case; the candidate reads
//! their own case, its tasks and the notes marked visible to them (another candidate's case is
//! 404); employers get 403 on every case endpoint.

pub mod access;
pub mod checklist;
pub mod journal;
pub mod model;
pub mod opening;
pub mod planning;
pub mod reminders;
pub mod routes;
pub mod service;
pub mod situation;
pub mod status;
pub mod store;
pub mod templates;
pub mod views;

pub use crate::calendar::{local_day, today};
