//! The API test suite: one binary, one module per area, each test run on PostgreSQL and SQLite.

mod fixtures;
mod helpers;

mod applications;
mod auth;
mod authorization;
mod candidates;
mod cases;
mod demo;
mod employers;
mod fuzz_findings;
mod http_errors;
mod jobs;
mod mail;
mod mass_assignment;
mod matching;
mod migrations;
mod operations;
mod privacy;
mod registry;
mod reindex;
mod saved_searches;
mod search;
mod security;
mod skill_gap;
mod talent_search;
