//! The agency's pages.

use actix_web::web;

pub fn configure(_cfg: &mut web::ServiceConfig) {}
