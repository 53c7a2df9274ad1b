//! The API test suite: one binary, one module per area, each test run on PostgreSQL and SQLite.

mod browser;
mod fixtures;
mod helpers;
#[path = "../support/smtp_sink.rs"]
mod smtp_sink;

mod applications;
mod auth;
mod authorization;
mod candidates;
mod cases;
mod demo;
mod employers;
mod fuzz_findings;
mod hidden;
mod http_errors;
mod index_events;
mod jobs;
mod lockouts;
mod mail;
mod mass_assignment;
mod matching;
mod metrics_listener;
mod migrations;
mod operations;
mod pages;
mod pages_agency;
mod pages_employer;
mod pages_profile;
mod privacy;
mod registry;
mod reindex;
mod routes;
mod saved_searches;
mod search;
mod search_fields;
mod security;
mod skill_gap;
mod talent_search;
mod vocabulary;
