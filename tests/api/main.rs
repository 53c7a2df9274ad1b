//! The API test suite: one binary, one module per area, each test run on PostgreSQL and SQLite.

mod helpers;

mod auth;
mod candidates;
mod http_errors;
mod mail;
mod migrations;
mod operations;
mod registry;
