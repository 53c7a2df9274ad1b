//! `/employer/organisations/new`: an employer account registers its organisation through the
//! employers service (as `POST /api/v1/employers`) and becomes its owner. The agency verifies it
//! before its jobs can be published.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;
use serde::Deserialize;

use super::{EmployerTexts, employer_user};
use crate::employers::service::{self as employers, EmployerInput};
use crate::error::{AppError, FieldError};
use crate::web::choices::{self, Choice};
use crate::web::form::Posted;
use crate::web::page::{FormErrors, Page, encode, render};

/// The form as sent: text throughout.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RegisterForm {
    name: String,
    jurisdiction: String,
    registration_number: String,
}

/// How a jurisdiction's registration numbers are written, for the hint beside the field.
struct NumberFormat {
    jurisdiction: String,
    name: String,
    example: Option<String>,
}

#[derive(Template)]
#[template(path = "web/employer/register.html")]
struct RegisterPage<'a> {
    page: &'a Page,
    t: &'static EmployerTexts,
    jurisdictions: Vec<Choice>,
    formats: Vec<NumberFormat>,
    form: RegisterForm,
    errors: FormErrors,
}

pub(super) async fn form(page: Page) -> HttpResponse {
    let html = match employer_user(&page) {
        Ok(_) => render_form(&page, RegisterForm::default(), Vec::new()),
        Err(e) => Err(e),
    };
    page.respond(html)
}

pub(super) async fn create(page: Page, form: Posted<RegisterForm>) -> HttpResponse {
    let (form, user) = match form.accept().and_then(|form| Ok((form, employer_user(&page)?))) {
        Ok(both) => both,
        Err(e) => return page.fail(e),
    };
    let t = EmployerTexts::of(page.locale);
    let input = EmployerInput {
        name: form.name.clone(),
        jurisdiction: form.jurisdiction.trim().to_owned(),
        registration_number: form.registration_number.clone(),
    };
    let (status, errors) = match employers::create(page.state(), &user, input).await {
        Ok(view) => return page.redirect(&format!("/employer/organisations/{}", encode(&view.id))),
        Err(AppError::Validation(problems)) => (StatusCode::UNPROCESSABLE_ENTITY, problems),
        // The one conflict: a verified organisation holds the number.
        Err(AppError::Conflict(_)) => (
            StatusCode::CONFLICT,
            vec![FieldError::new("registration_number", t.number_taken)],
        ),
        Err(e) => return page.fail(e),
    };
    let html = render_form(&page, form, errors);
    page.respond_with(status, html)
}

fn render_form(page: &Page, form: RegisterForm, errors: Vec<FieldError>) -> Result<String, AppError> {
    let registry = page.state().registry.get();
    let formats = registry
        .jurisdictions
        .iter()
        .filter_map(|j| {
            let format = j.registration_format()?;
            Some(NumberFormat {
                jurisdiction: choices::jurisdiction_name(&registry, page.locale, &j.code),
                name: format.name.get(page.locale).to_owned(),
                example: format.example,
            })
        })
        .collect();
    render(&RegisterPage {
        page,
        t: EmployerTexts::of(page.locale),
        jurisdictions: choices::jurisdictions(&registry, page.locale),
        formats,
        form,
        errors: page.form_errors(errors),
    })
}
