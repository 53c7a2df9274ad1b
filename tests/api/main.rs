//! The API test suite: one binary, one module per area, each test run on PostgreSQL and SQLite.

mod fixtures;
mod helpers;

mod auth;
mod employers;
mod candidates;
mod http_errors;
mod jobs;
mod mail;
mod migrations;
mod operations;
mod registry;
