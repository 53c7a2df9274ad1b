//! Accounts and authentication: sign-up, email verification, login, token rotation, password
//! reset, staff accounts, and the `AuthUser` extractor every other area uses.

pub mod domain;
pub mod extractor;
pub mod model;
pub mod password;
pub mod routes;
pub mod service;
pub mod store;
pub mod throttle;
pub mod tokens;

pub use domain::Role;
pub use extractor::AuthUser;
