//! `/me/credentials`: the seeker's qualifications and rights to work, each with the agency's
//! verdict, added and removed on the page. The forms call the holdings service the API calls.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::seeker;
use super::texts::ProfileTexts;
use crate::auth::AuthUser;
use crate::candidates::holdings::{self, CredentialInput, Kind, WorkAuthorizationInput};
use crate::candidates::model::{CredentialRow, WorkAuthorizationRow};
use crate::error::{AppError, FieldError};
use crate::i18n::Locale;
use crate::registry::Registry;
use crate::web::choices::{self, ChoiceGroup};
use crate::web::form::Posted;
use crate::web::page::{FormErrors, Page, render};
use crate::web::text::pick;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me/credentials").get(show).post(add_credential))
        .service(web::resource("/me/credentials/{id}/remove").post(remove_credential))
        .service(web::resource("/me/work-authorizations").post(add_authorization))
        .service(web::resource("/me/work-authorizations/{id}/remove").post(remove_authorization));
}

struct HoldingLine {
    id: String,
    name: String,
    detail: String,
    status: &'static str,
    tone: &'static str,
    note: String,
}

/// What the two forms hold as typed, to show again beside their problems.
#[derive(Default, Deserialize)]
#[serde(default)]
struct HoldingForm {
    qualification_id: String,
    awarded_on: String,
    basis: String,
    valid_until: String,
}

#[derive(Template)]
#[template(path = "web/holdings.html")]
struct HoldingsPage<'a> {
    page: &'a Page,
    t: &'static ProfileTexts,
    has_profile: bool,
    credentials: Vec<HoldingLine>,
    authorizations: Vec<HoldingLine>,
    qualifications: Vec<ChoiceGroup>,
    bases: Vec<ChoiceGroup>,
    form: HoldingForm,
    errors: FormErrors,
}

async fn show(page: Page) -> HttpResponse {
    let html = holdings_page(&page, HoldingForm::default(), Vec::new()).await;
    page.respond(html)
}

async fn holdings_page(page: &Page, form: HoldingForm, errors: Vec<FieldError>) -> Result<String, AppError> {
    let user = seeker(page)?;
    let state = page.state();
    let t = ProfileTexts::of(page.locale);
    let registry = state.registry.get();
    let (has_profile, credentials, authorizations) =
        match holdings::own_holdings(state, user.id.clone()).await {
            Ok((credentials, authorizations)) => (true, credentials, authorizations),
            Err(AppError::NotFound) => (false, Vec::new(), Vec::new()),
            Err(e) => return Err(e),
        };
    render(&HoldingsPage {
        page,
        t,
        has_profile,
        credentials: credentials
            .iter()
            .map(|row| credential_line(t, &registry, page, row))
            .collect(),
        authorizations: authorizations
            .iter()
            .map(|row| authorization_line(t, &registry, page, row))
            .collect(),
        qualifications: choices::qualifications(&registry, page.locale),
        bases: choices::work_authorization_bases(&registry, page.locale),
        form,
        errors: page.form_errors(errors),
    })
}

fn verdict(t: &ProfileTexts, status: &str) -> (&'static str, &'static str) {
    let tone = match status {
        "verified" => "good",
        "rejected" => "bad",
        _ => "warn",
    };
    (t.verification(status), tone)
}

fn credential_line(t: &ProfileTexts, registry: &Registry, page: &Page, row: &CredentialRow) -> HoldingLine {
    let (status, tone) = verdict(t, &row.status);
    let name = match registry.qualifications.get(&row.qualification_id) {
        Some(q) => pick(page.locale, &q.title_en, &q.title_zh_hans, &q.title_zh_hant).to_owned(),
        None => row.qualification_id.clone(),
    };
    HoldingLine {
        id: row.id.clone(),
        name,
        detail: row.awarded_on.map(|d| d.to_string()).unwrap_or_default(),
        status,
        tone,
        note: row.verification_note.clone().unwrap_or_default(),
    }
}

fn authorization_line(
    t: &ProfileTexts,
    registry: &Registry,
    page: &Page,
    row: &WorkAuthorizationRow,
) -> HoldingLine {
    let (status, tone) = verdict(t, &row.status);
    let basis = match registry.basis(&row.basis) {
        Some(b) => pick(page.locale, &b.name_en, &b.name_zh_hans, &b.name_zh_hant).to_owned(),
        None => row.basis.clone(),
    };
    let place = choices::jurisdiction_name(registry, page.locale, &row.jurisdiction);
    HoldingLine {
        id: row.id.clone(),
        // Chinese takes the full-width colon, without a space.
        name: match page.locale {
            Locale::En => format!("{place}: {basis}"),
            _ => format!("{place}：{basis}"),
        },
        detail: row.valid_until.map(|d| d.to_string()).unwrap_or_default(),
        status,
        tone,
        note: row.verification_note.clone().unwrap_or_default(),
    }
}

/// A date as the date field sends it; empty is none, anything else unreadable is a problem.
fn date(raw: &str, field: &str, t: &ProfileTexts, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.push(FieldError::new(field, t.date_format));
    }
    parsed
}

async fn add_credential(page: Page, form: Posted<HoldingForm>) -> HttpResponse {
    let (form, user) = match sent_by_seeker(&page, form) {
        Ok(sent) => sent,
        Err(e) => return page.fail(e),
    };
    let mut errors = Vec::new();
    let t = ProfileTexts::of(page.locale);
    let input = CredentialInput {
        qualification_id: form.qualification_id.clone(),
        awarded_on: date(&form.awarded_on, "awarded_on", t, &mut errors),
    };
    let saved = match errors.is_empty() {
        true => holdings::add_credential(page.state(), &user, input)
            .await
            .map(drop),
        false => Ok(()),
    };
    after_adding(page, form, errors, saved).await
}

async fn add_authorization(page: Page, form: Posted<HoldingForm>) -> HttpResponse {
    let (form, user) = match sent_by_seeker(&page, form) {
        Ok(sent) => sent,
        Err(e) => return page.fail(e),
    };
    let mut errors = Vec::new();
    let t = ProfileTexts::of(page.locale);
    // The select's value is `JURISDICTION|basis`: one choice names both.
    let (jurisdiction, basis) = form.basis.split_once('|').unwrap_or(("", form.basis.as_str()));
    let input = WorkAuthorizationInput {
        jurisdiction: jurisdiction.to_owned(),
        basis: basis.to_owned(),
        valid_until: date(&form.valid_until, "valid_until", t, &mut errors),
    };
    let saved = match errors.is_empty() {
        true => holdings::add_authorization(page.state(), &user, input)
            .await
            .map(drop),
        false => Ok(()),
    };
    after_adding(page, form, errors, saved).await
}

fn sent_by_seeker(page: &Page, form: Posted<HoldingForm>) -> Result<(HoldingForm, AuthUser), AppError> {
    let (form, user) = page.signed_in_with(form)?;
    seeker(page)?;
    Ok((form, user))
}

/// Back to the list when saved, else the page again with each problem beside its field and
/// what was typed kept.
async fn after_adding(
    page: Page,
    form: HoldingForm,
    mut errors: Vec<FieldError>,
    saved: Result<(), AppError>,
) -> HttpResponse {
    match saved {
        Ok(()) if errors.is_empty() => return page.redirect("/me/credentials"),
        Ok(()) => {}
        // The service names the basis's half `jurisdiction`; the form has one select for both.
        Err(AppError::Validation(refused)) => {
            errors.extend(refused.into_iter().map(|e| match e.field.as_str() {
                "jurisdiction" => FieldError::new("basis", e.message),
                _ => e,
            }))
        }
        Err(e) => return page.fail(e),
    }
    let html = holdings_page(&page, form, errors).await;
    page.respond_with(StatusCode::UNPROCESSABLE_ENTITY, html)
}

#[derive(Deserialize)]
struct Nothing {}

async fn remove_credential(page: Page, id: web::Path<String>, form: Posted<Nothing>) -> HttpResponse {
    remove(page, Kind::Credential, id.into_inner(), form).await
}

async fn remove_authorization(page: Page, id: web::Path<String>, form: Posted<Nothing>) -> HttpResponse {
    remove(page, Kind::WorkAuthorization, id.into_inner(), form).await
}

/// Someone else's entry is not found, as in the API.
async fn remove(page: Page, kind: Kind, id: String, form: Posted<Nothing>) -> HttpResponse {
    let (_, user) = match page.signed_in_with(form) {
        Ok(sent) => sent,
        Err(e) => return page.fail(e),
    };
    match holdings::remove(page.state(), &user, kind, id).await {
        Ok(()) => page.redirect("/me/credentials"),
        Err(e) => page.fail(e),
    }
}
