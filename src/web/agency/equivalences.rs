//! The equivalence rules: the list (in force, scheduled, retired), a form that creates a rule
//! and a button that retires one. The registry's service validates each rule; its problems are
//! shown beside the fields with what was typed kept.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;
use serde::Deserialize;

use super::{AgencyTexts, jurisdiction_name, parse_day, staff};
use crate::audit::Actor;
use crate::error::{AppError, FieldError};
use crate::i18n::Locale;
use crate::registry::Registry;
use crate::registry::resolve::Relation;
use crate::registry::service::{self, EquivalenceInput, TextInput};
use crate::registry::views::{EquivalenceView, RuleStatus};
use crate::web::form::Posted;
use crate::web::page::{FormErrors, Page, render};
use crate::web::text::pick;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/agency/equivalences").get(rules).post(create))
        .service(web::resource("/agency/equivalences/{id}/retire").post(retire));
}

const FILTERS: [&str; 4] = ["active", "scheduled", "retired", "all"];
const RELATIONS: [Relation; 3] = [Relation::Equivalent, Relation::Comparable, Relation::Partial];

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

struct Choice {
    value: String,
    label: String,
}

struct ChoiceGroup {
    label: String,
    choices: Vec<Choice>,
}

/// The create form as typed: every field as text.
#[derive(Deserialize, Default)]
struct RuleForm {
    #[serde(default)]
    from_qualification_id: String,
    #[serde(default)]
    to_qualification_id: String,
    #[serde(default)]
    to_jurisdiction: String,
    #[serde(default)]
    to_level: String,
    #[serde(default)]
    relation: String,
    #[serde(default)]
    conditions_en: String,
    #[serde(default)]
    conditions_zh_hans: String,
    #[serde(default)]
    conditions_zh_hant: String,
    #[serde(default)]
    authority: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    effective_from: String,
    #[serde(default)]
    effective_to: String,
    verify_before_use: Option<String>,
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
    qualifications: Vec<ChoiceGroup>,
    levels: Vec<ChoiceGroup>,
    jurisdictions: Vec<Choice>,
    relations: Vec<(&'static str, &'static str)>,
    form: RuleForm,
    errors: FormErrors,
    conflict: Option<&'static str>,
}

/// What the create form sent that was not accepted.
#[derive(Default)]
struct Refused {
    form: RuleForm,
    errors: FormErrors,
    conflict: bool,
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
        _ => None,
    };
    let template = RulesPage {
        page,
        t,
        rules,
        filter,
        filters: FILTERS.iter().map(|f| (*f, t.rule_status(f))).collect(),
        notice,
        qualifications: qualification_choices(&registry, locale),
        levels: level_choices(&registry, locale),
        jurisdictions: registry
            .jurisdictions
            .iter()
            .map(|j| Choice {
                value: j.code.clone(),
                label: pick(locale, &j.name_en, &j.name_zh_hans, &j.name_zh_hant).to_string(),
            })
            .collect(),
        relations: RELATIONS
            .iter()
            .map(|r| (r.as_str(), t.relation(r.as_str())))
            .collect(),
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
fn qualification_name(registry: &Registry, locale: Locale, id: &str) -> String {
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

/// The qualifications, grouped by jurisdiction, by title.
fn qualification_choices(registry: &Registry, locale: Locale) -> Vec<ChoiceGroup> {
    registry
        .jurisdictions
        .iter()
        .map(|j| {
            let mut choices: Vec<Choice> = registry
                .qualifications
                .values()
                .filter(|q| q.jurisdiction == j.code)
                .map(|q| Choice {
                    value: q.id.clone(),
                    label: q.title().get(locale).to_string(),
                })
                .collect();
            choices.sort_by(|a, b| a.label.cmp(&b.label));
            ChoiceGroup {
                label: pick(locale, &j.name_en, &j.name_zh_hans, &j.name_zh_hant).to_string(),
                choices,
            }
        })
        .filter(|g| !g.choices.is_empty())
        .collect()
}

/// The framework levels, grouped by jurisdiction, by framework and rank.
fn level_choices(registry: &Registry, locale: Locale) -> Vec<ChoiceGroup> {
    registry
        .jurisdictions
        .iter()
        .map(|j| {
            let mut levels: Vec<_> = registry
                .levels
                .values()
                .filter(|l| l.jurisdiction == j.code)
                .collect();
            levels.sort_by(|a, b| (&a.framework, a.rank, &a.id).cmp(&(&b.framework, b.rank, &b.id)));
            ChoiceGroup {
                label: pick(locale, &j.name_en, &j.name_zh_hans, &j.name_zh_hant).to_string(),
                choices: levels
                    .into_iter()
                    .map(|l| Choice {
                        value: l.id.clone(),
                        label: pick(locale, &l.name_en, &l.name_zh_hans, &l.name_zh_hant).to_string(),
                    })
                    .collect(),
            }
        })
        .filter(|g| !g.choices.is_empty())
        .collect()
}

async fn create(page: Page, form: Posted<RuleForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let t = AgencyTexts::of(page.locale);
    let (errors, conflict) = match save_rule(&page, &form).await {
        Ok(()) => return page.redirect("/agency/equivalences?done=created"),
        Err(AppError::Validation(errors)) => (errors, false),
        Err(AppError::Conflict(_)) => (Vec::new(), true),
        Err(e) => return page.fail(e),
    };
    let errors = errors
        .into_iter()
        .map(|e| {
            let field = if e.field == "conditions.en" {
                "conditions_en".to_string()
            } else {
                e.field
            };
            FieldError::new(field, t.problem(&e.message))
        })
        .collect();
    let status = if conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let refused = Refused {
        form,
        errors: FormErrors(errors),
        conflict,
    };
    let html = rules_html(&page, None, None, refused);
    page.respond_with(status, html)
}

fn given(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|s| !s.is_empty())
}

/// Reads the form (every mistake at once), then asks the registry to create the rule.
async fn save_rule(page: &Page, form: &RuleForm) -> Result<(), AppError> {
    let user = staff(page)?;
    let t = AgencyTexts::of(page.locale);
    let mut errors = Vec::new();
    let from_qualification_id = given(&form.from_qualification_id).unwrap_or_default();
    if from_qualification_id.is_empty() {
        errors.push(FieldError::new("from_qualification_id", t.required));
    }
    let relation = Relation::parse(form.relation.trim());
    if relation.is_none() {
        errors.push(FieldError::new("relation", t.required));
    }
    if form.authority.trim().is_empty() {
        errors.push(FieldError::new("authority", t.required));
    }
    let mut day = |field: &str, text: &str| match parse_day(text) {
        Ok(day) => day,
        Err(()) => {
            errors.push(FieldError::new(field, t.bad_date));
            None
        }
    };
    let effective_from = day("effective_from", &form.effective_from);
    let effective_to = day("effective_to", &form.effective_to);
    let (en, hans, hant) = (
        given(&form.conditions_en),
        given(&form.conditions_zh_hans),
        given(&form.conditions_zh_hant),
    );
    let conditions = match en {
        Some(en) => Some(TextInput {
            en,
            zh_hans: hans,
            zh_hant: hant,
        }),
        None if hans.is_some() || hant.is_some() => {
            errors.push(FieldError::new("conditions_en", t.p_conditions_en));
            None
        }
        None => None,
    };
    let (Some(relation), true) = (relation, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let input = EquivalenceInput {
        from_qualification_id,
        to_qualification_id: given(&form.to_qualification_id),
        to_jurisdiction: given(&form.to_jurisdiction),
        to_level: given(&form.to_level),
        relation,
        conditions,
        authority: form.authority.clone(),
        source: given(&form.source),
        effective_from,
        effective_to,
        verify_before_use: form.verify_before_use.is_some(),
    };
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
