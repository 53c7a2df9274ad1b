//! TalentBridge: a backend for the cross-border labour market between Shenzhen and Hong Kong.
//!
//! Layers, bottom up; each is meant to use only those below it (docs/architecture.md draws them
//! and lists where the code still crosses them; there are no import circles among files):
//! 1. ground: `error`, `db`, `settings`, `i18n`, `money`, `calendar`, `background`, `mail`, `index_events`, `paging`, `patch`,
//!    `audit`, and the values `cidr`, `languages`, `nationality`, `telemetry`;
//! 2. the registry (`registry`) and accounts (`auth`);
//! 3. the areas: `candidates`, `employers`, `jobs`, `applications`, `cases`;
//! 4. search and advice: `search`, `matching`, `alerts`, `analytics`, `eligibility`;
//! 5. entry: `http`, each area's `routes`, `openapi`, `health`, `state`, `startup`, `cli`, `demo`.

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
pub mod data_rights;
pub mod cli;
pub mod db;
pub mod demo;
pub mod eligibility;
pub mod employers;
pub mod error;
pub mod health;
pub mod http;
pub mod i18n;
pub mod index_events;
pub mod jobs;
pub mod languages;
pub mod mail;
pub mod matching;
pub mod money;
pub mod nationality;
pub mod openapi;
pub mod paging;
pub mod patch;
pub mod registry;
pub mod search;
pub mod settings;
pub mod startup;
pub mod state;
pub mod telemetry;

#[cfg(test)]
mod source_rules;
