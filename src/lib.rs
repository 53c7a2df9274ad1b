//! TalentBridge: a backend for the cross-border labour market between Shenzhen and Hong Kong.
//!
//! Layers, bottom up. A module uses only the modules before it in this list, within its layer
//! and across layers (`source_rules::every_module_uses_only_the_modules_below_it` checks it;
//! docs/architecture.md draws it):
//! 1. ground: `error`, `db`, `cidr`, `settings`, `i18n`, `money`, `calendar`, `background`,
//!    `mail` (the outbox), `index_events` (the log search follows), `paging`, `patch`, `audit`,
//!    and the values `languages`, `nationality`, `telemetry`;
//! 2. `registry`, then `context` (what the areas are handed: database, settings, mail signal,
//!    registry, rates), then accounts (`auth`);
//! 3. the areas: `employers`, `candidates`, `jobs`, `applications`, `eligibility` (the route
//!    finder), `cases`;
//! 4. over the areas: `search`, `matching`, `alerts`, `analytics`, `data_rights` (export and
//!    erasure);
//! 5. entry: `state`, `http`, every area's `routes.rs`, `web` (the pages), `health`, `openapi`,
//!    `demo`, `startup`, `cli`.

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
pub mod context;
pub mod data_rights;
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
pub mod web;

#[cfg(test)]
mod source_rules;
