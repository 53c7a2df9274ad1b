//! A rule's edit page: the new-rule form (`rule_form`) filled with the stored rule, saved as the
//! API's `PATCH /equivalences/{id}` saves it. The qualification it starts from is shown, not
//! asked: another qualification would be another rule.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::equivalences::qualification_name;
use super::rule_form::{Refused, Rule, RuleChoices, RuleForm};
use super::{AgencyTexts, staff};
use crate::audit::Actor;
use crate::error::AppError;
use crate::registry::service;
use crate::web::form::Posted;
use crate::web::page::{FormErrors, Page, encode, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/agency/equivalences/{id}/edit")
            .get(edit_page)
            .post(save),
    );
}

#[derive(Template)]
#[template(path = "web/agency/equivalence_edit.html")]
struct EditPage<'a> {
    page: &'a Page,
    t: &'static AgencyTexts,
    id: String,
    from: String,
    choices: RuleChoices,
    editing: bool,
    form: RuleForm,
    errors: FormErrors,
    conflict: Option<&'static str>,
}

async fn edit_page(page: Page, id: web::Path<String>) -> HttpResponse {
    let html = edit_html(&page, &id, None);
    page.respond(html)
}

/// The page with the stored rule, or with what was typed and why it was refused.
fn edit_html(page: &Page, id: &str, refused: Option<Refused>) -> Result<String, AppError> {
    staff(page)?;
    let t = AgencyTexts::of(page.locale);
    let registry = page.state().registry.get();
    let row = registry.equivalence(id).ok_or(AppError::NotFound)?;
    let refused = refused.unwrap_or_else(|| Refused {
        form: RuleForm::of_row(row),
        ..Refused::default()
    });
    let template = EditPage {
        page,
        t,
        id: row.id.clone(),
        from: qualification_name(&registry, page.locale, &row.from_qualification_id),
        choices: RuleChoices::of(&registry, page.locale, t),
        editing: true,
        form: refused.form,
        errors: refused.errors,
        conflict: refused.conflict.then_some(t.rule_conflict),
    };
    render(&template)
}

async fn save(page: Page, id: web::Path<String>, form: Posted<RuleForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let error = match save_rule(&page, &id, &form).await {
        // All rules: an edit may make the rule scheduled or retired.
        Ok(()) => {
            let to = format!(
                "/agency/equivalences?status=all&done=updated#rule-{}",
                encode(&id)
            );
            return page.redirect(&to);
        }
        Err(e) => e,
    };
    match Refused::of(form, error, &page) {
        Ok((status, refused)) => {
            let html = edit_html(&page, &id, Some(refused));
            page.respond_with(status, html)
        }
        Err(e) => page.fail(e),
    }
}

async fn save_rule(page: &Page, id: &str, form: &RuleForm) -> Result<(), AppError> {
    let user = staff(page)?;
    let patch = Rule::read(form, AgencyTexts::of(page.locale), true)?.into_patch();
    let state = page.state();
    service::update_equivalence(
        &state.db,
        &state.registry,
        Actor::from(&user),
        id.to_string(),
        patch,
    )
    .await
    .map(drop)
}
