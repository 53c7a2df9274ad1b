//! TalentBridge: a backend for the cross-border labour market between Shenzhen and Hong Kong.
//!
//! Module map — `db`, `error`, `http` and `mail` know no domain; `auth` is the first domain area.

pub mod auth;
pub mod cli;
pub mod db;
pub mod error;
pub mod health;
pub mod http;
pub mod i18n;
pub mod mail;
pub mod openapi;
pub mod settings;
pub mod startup;
pub mod state;
pub mod telemetry;
