//! The equivalence rules: the list (in force, scheduled, retired), a form that creates a rule
//! and a button that retires one (each rule links to its edit page, `rule_edit`). The registry's
//! service validates each rule; its problems are shown beside the fields with what was typed
//! kept (the form is `rule_form`'s, shared with the edit page).

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;
use serde::Deserialize;

use super::rule_form::{Refused, Rule, RuleChoices, RuleForm};
use super::{AgencyTexts, staff};
use crate::audit::Actor;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::registry::Registry;
use crate::registry::service;
use crate::registry::views::{EquivalenceView, RuleStatus};
use crate::web::choices::jurisdiction_name;
use crate::web::form::Posted;
use crate::web::page::{FormErrors, Page, render};
use crate::web::text::pick;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/agency/equivalences").get(rules).post(create))
        .service(web::resource("/agency/equivalences/{id}/retire").post(retire));
}

const FILTERS: [&str; 4] = ["active", "scheduled", "retired", "all"];

#[derive(Deserialize)]
struct RulesQuery {
    status: Option<String>,
    done: Option<String>,
}

struct RuleLine {
    id: String,
    from: String,
    target: String,
    relation: &'static str,
    conditions: Option<String>,
    authority: String,
    source: Option<String>,
    from_day: String,
    to_day: Option<String>,
    status: &'static str,
    verify: bool,
}

#[derive(Template)]
#[template(path = "web/agency/equivalences.html")]
struct RulesPage<'a> {
    page: &'a Page,
    t: &'static AgencyTexts,
    rules: Vec<RuleLine>,
    filter: &'static str,
    filters: Vec<(&'static str, &'static str)>,
    notice: Option<&'static str>,
    choices: RuleChoices,
    editing: bool,
    form: RuleForm,
    errors: FormErrors,
    conflict: Option<&'static str>,
}

async fn rules(page: Page, query: web::Query<RulesQuery>) -> HttpResponse {
    let query = query.into_inner();
    let html = rules_html(
        &page,
        query.status.as_deref(),
        query.done.as_deref(),
        Refused::default(),
    );
    page.respond(html)
}

fn rules_html(
    page: &Page,
    filter: Option<&str>,
    done: Option<&str>,
    refused: Refused,
) -> Result<String, AppError> {
    staff(page)?;
    let t = AgencyTexts::of(page.locale);
    let locale = page.locale;
    let registry = page.state().registry.get();
    let filter = FILTERS
        .into_iter()
        .find(|f| Some(*f) == filter)
        .unwrap_or("active");
    let today = Utc::now().date_naive();
    let mut rules: Vec<RuleLine> = registry
        .equivalences
        .iter()
        .map(|row| (row, EquivalenceView::new(row, today)))
        .filter(|(_, view)| filter == "all" || status_name(view.status) == filter)
        .map(|(row, view)| RuleLine {
            id: row.id.clone(),
            from: qualification_name(&registry, locale, &row.from_qualification_id),
            target: target_name(&registry, locale, &view),
            relation: t.relation(view.relation.as_str()),
            conditions: view.conditions.as_ref().map(|c| c.get(locale).to_string()),
            authority: view.authority.clone(),
            source: view.source.clone(),
            from_day: view.effective_from.to_string(),
            to_day: view.effective_to.map(|d| d.to_string()),
            status: status_name(view.status),
            verify: view.verify_before_use,
        })
        .collect();
    rules.sort_by(|a, b| a.from.cmp(&b.from).then(a.target.cmp(&b.target)));
    let notice = match done {
        Some("created") => Some(t.rule_created),
        Some("retired") => Some(t.rule_retired_notice),
        Some("updated") => Some(t.rule_updated),
        _ => None,
    };
    let template = RulesPage {
        page,
        t,
        rules,
        filter,
        filters: FILTERS.iter().map(|f| (*f, t.rule_status(f))).collect(),
        notice,
        choices: RuleChoices::of(&registry, locale, t),
        editing: false,
        form: refused.form,
        errors: refused.errors,
        conflict: refused.conflict.then_some(t.rule_conflict),
    };
    render(&template)
}

fn status_name(status: RuleStatus) -> &'static str {
    match status {
        RuleStatus::Active => "active",
        RuleStatus::Scheduled => "scheduled",
        RuleStatus::Retired => "retired",
    }
}

/// A qualification as `HK · title`: titles often name their place, codes keep it short.
pub(super) fn qualification_name(registry: &Registry, locale: Locale, id: &str) -> String {
    match registry.qualifications.get(id) {
        Some(q) => format!("{} · {}", q.jurisdiction, q.title().get(locale)),
        None => id.to_string(),
    }
}

/// What the rule says the qualification counts as: a qualification, or a framework level, in
/// the target jurisdiction.
fn target_name(registry: &Registry, locale: Locale, view: &EquivalenceView) -> String {
    if let Some(id) = &view.to_qualification_id {
        return qualification_name(registry, locale, id);
    }
    match view.to_level.as_ref().and_then(|id| registry.levels.get(id)) {
        Some(level) => format!(
            "{} · {}",
            level.jurisdiction,
            pick(locale, &level.name_en, &level.name_zh_hans, &level.name_zh_hant)
        ),
        None => jurisdiction_name(registry, locale, &view.to_jurisdiction),
    }
}

async fn create(page: Page, form: Posted<RuleForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let error = match save_rule(&page, &form).await {
        Ok(()) => return page.redirect("/agency/equivalences?done=created"),
        Err(e) => e,
    };
    match Refused::of(form, error, &page) {
        Ok((status, refused)) => {
            let html = rules_html(&page, None, None, refused);
            page.respond_with(status, html)
        }
        Err(e) => page.fail(e),
    }
}

async fn save_rule(page: &Page, form: &RuleForm) -> Result<(), AppError> {
    let user = staff(page)?;
    let input = Rule::read(form, AgencyTexts::of(page.locale), false)?.into_input();
    let state = page.state();
    service::create_equivalence(&state.db, &state.registry, Actor::from(&user), input)
        .await
        .map(drop)
}

#[derive(Deserialize)]
struct RetireForm {}

async fn retire(page: Page, id: web::Path<String>, form: Posted<RetireForm>) -> HttpResponse {
    if let Err(e) = form.accept() {
        return page.fail(e);
    }
    let outcome = match staff(&page) {
        Ok(user) => {
            let state = page.state();
            service::retire_equivalence(&state.db, &state.registry, Actor::from(&user), id.into_inner()).await
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => page.redirect("/agency/equivalences?done=retired"),
        Err(e) => page.fail(e),
    }
}
