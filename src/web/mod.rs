//! The web pages: server-rendered HTML for job seekers, employers and the agency, served by the
//! same binary under `/` (the API stays under `/api/v1`). Pages call the areas' services with
//! the signed-in person, exactly as the API's handlers do, so every rule (consent, ownership,
//! roles) holds here too. The script is progressive: every page works without it.

pub mod account;
pub mod agency;
pub mod assets;
pub mod choices;
pub mod employer;
pub mod form;
pub mod me;
pub mod page;
pub mod profile;
pub mod refusals;
pub mod seeker;
pub mod session;
pub mod sign_up;
pub mod skills;
pub mod text;

use actix_web::http::header::ACCEPT;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::AppError;
use page::Page;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.configure(assets::configure)
        .configure(account::configure)
        .configure(sign_up::configure)
        .configure(seeker::configure)
        .configure(me::configure)
        .configure(profile::configure)
        .configure(employer::configure)
        .configure(agency::configure)
        .service(web::resource("/suggest/skills").get(skills::suggest));
}

/// Unknown paths: a page for a browser, a problem for anyone else (and under `/api`).
pub async fn not_found(req: HttpRequest, page: Page) -> HttpResponse {
    let wants_html = req
        .headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_html && !req.path().starts_with("/api/") {
        page.fail(AppError::NotFound)
    } else {
        actix_web::ResponseError::error_response(&AppError::NotFound)
    }
}
