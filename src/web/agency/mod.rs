//! The agency's pages: the case board and a case's page (status, checklist, milestones, notes,
//! timeline), the equivalence rules, and the analytics drawn as charts. Every page is for agency
//! officers and admins; anyone else signed in gets the "not allowed" page, and a visitor the
//! sign-in page. Each page calls the areas' services as the API's handlers do.

mod analytics;
mod board;
mod case;
mod case_forms;
mod case_input;
mod equivalences;
mod rule_edit;
mod rule_form;
mod texts;

use std::collections::HashMap;

use actix_web::web;
use chrono::{Datelike, NaiveDate};

use super::page::Page;
use super::text::pick;
use crate::auth::AuthUser;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::registry::Registry;
pub use texts::AgencyTexts;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.configure(board::configure)
        .configure(case::configure)
        .configure(case_forms::configure)
        .configure(equivalences::configure)
        .configure(rule_edit::configure)
        .configure(analytics::configure);
}

/// The signed-in agency officer or admin: a visitor is sent to sign in, anyone else refused.
fn staff(page: &Page) -> Result<AuthUser, AppError> {
    let user = page.signed_in()?;
    user.require_agency()?;
    Ok(user.clone())
}

/// A work-authorisation basis's name in the page's language (its code when unknown).
fn basis_name(registry: &Registry, locale: Locale, code: &str) -> String {
    match registry.basis(code) {
        Some(b) => pick(locale, &b.name_en, &b.name_zh_hans, &b.name_zh_hant).to_string(),
        None => code.to_string(),
    }
}

/// The badge class of a case's or a task's status: settled is good, waiting is a warning.
pub fn tone(status: &str) -> &'static str {
    match status {
        "resolved" | "closed" | "done" | "active" => "good",
        "waiting_on_candidate" | "doing" | "scheduled" => "warn",
        _ => "",
    }
}

/// A date typed in a form: empty is `None`; a date `YYYY-MM-DD` between 2000 and 2100 (the
/// range the services accept) is the day; anything else is an error for the field.
fn parse_day(text: &str) -> Result<Option<NaiveDate>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(day) if (2000..=2100).contains(&day.year()) => Ok(Some(day)),
        _ => Err(()),
    }
}

/// The names of user accounts (staff, authors, actors), by id; unknown ids are left out.
async fn people(page: &Page, ids: Vec<String>) -> Result<HashMap<String, String>, AppError> {
    read_each_once(page, ids, |conn, ids| {
        let mut names = HashMap::new();
        for id in ids {
            if let Some(user) = crate::auth::store::find_user(conn, &id)? {
                let name = if user.display_name.trim().is_empty() {
                    user.email
                } else {
                    user.display_name
                };
                names.insert(id, name);
            }
        }
        Ok(names)
    })
    .await
}

/// The agency staff a case may be assigned to, by name: (id, name), the viewer marked as
/// themselves.
async fn colleagues(page: &Page, viewer: &AuthUser) -> Result<Vec<(String, String)>, AppError> {
    let t = AgencyTexts::of(page.locale);
    let me = viewer.id.clone();
    page.state()
        .db
        .read(move |conn| {
            let staff = crate::auth::store::active_agency_staff(conn)?;
            Ok(staff
                .into_iter()
                .map(|(id, name)| {
                    let name = if id == me {
                        format!("{name} {}", t.you)
                    } else {
                        name
                    };
                    (id, name)
                })
                .collect())
        })
        .await
}

/// The candidates' names by candidate id; `None` for an erased profile.
async fn candidate_names(page: &Page, ids: Vec<String>) -> Result<HashMap<String, Option<String>>, AppError> {
    read_each_once(page, ids, |conn, ids| {
        let rows = crate::candidates::store::find_many(conn, &ids)?;
        Ok(rows
            .into_iter()
            .map(|c| {
                let name = c.erased_at.is_none().then_some(c.display_name);
                (c.id, name)
            })
            .collect())
    })
    .await
}

/// `lookup` in one database read, given each id once: a page gathers the ids from many rows,
/// where the same person stands again and again.
async fn read_each_once<T, F>(page: &Page, mut ids: Vec<String>, lookup: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection, Vec<String>) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    ids.sort();
    ids.dedup();
    page.state().db.read(move |conn| lookup(conn, ids)).await
}

/// A candidate's name for the agency; an erased profile says so.
fn candidate_label(t: &AgencyTexts, names: &HashMap<String, Option<String>>, id: &str) -> String {
    match names.get(id) {
        Some(Some(name)) => name.clone(),
        Some(None) => t.erased_profile.to_string(),
        None => t.unknown_person.to_string(),
    }
}

/// A time of the audit log as the agency's clock shows it (UTC+8, as Shenzhen and Hong Kong).
fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    (at.naive_utc() + chrono::Duration::hours(8))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::parse_day;
    use chrono::NaiveDate;

    #[test]
    fn typed_dates_are_read_in_the_services_range() {
        assert_eq!(parse_day(""), Ok(None));
        assert_eq!(parse_day("  "), Ok(None));
        assert_eq!(parse_day("2026-05-01"), Ok(NaiveDate::from_ymd_opt(2026, 5, 1)));
        assert_eq!(parse_day("2026-13-01"), Err(()));
        assert_eq!(parse_day("1999-12-31"), Err(()));
        assert_eq!(parse_day("tomorrow"), Err(()));
    }
}
