//! TalentBridge: a backend for the cross-border labour market between Shenzhen and Hong Kong.
//!
//! Module map — `db`, `error`, `http` and `mail` know no domain; `audit` records and never
//! decides; `auth` holds accounts; `registry` is the ground floor every other area stands on.

pub mod alerts;
pub mod analytics;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod background;
pub mod calendar;
pub mod candidates;
pub mod cases;
pub mod cidr;
pub mod cli;
pub mod db;
pub mod demo;
pub mod eligibility;
pub mod employers;
pub mod error;
pub mod health;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod languages;
pub mod mail;
pub mod matching;
pub mod money;
pub mod nationality;
pub mod openapi;
pub mod registry;
pub mod search;
pub mod settings;
pub mod startup;
pub mod state;
pub mod telemetry;

#[cfg(test)]
mod source_rules;
