//! The job seeker's own profile, made and changed on a page (`/me/profile`), and what they hold:
//! qualifications and rights to work (`/me/credentials`). Both call the services the API's
//! `PUT /candidates/me` and `…/credentials`, `…/work-authorizations` call, with the same rules.

mod form;
mod holdings;
mod texts;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use self::form::{LanguageRow, ProfileForm, SkillRow, shown_fields};
use self::texts::ProfileTexts;
use super::choices::{self, Choice, ChoiceGroup, LEVELS};
use super::form::{Pairs, Posted};
use super::page::{FormErrors, Page, render};
use crate::auth::{AuthUser, Role};
use crate::candidates::profile;
use crate::error::{AppError, FieldError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me/profile").get(edit).post(save))
        .configure(holdings::configure);
}

/// The signed-in job seeker; others are sent to sign in (anonymous) or refused.
fn seeker(page: &Page) -> Result<AuthUser, AppError> {
    let user = page.signed_in()?;
    user.require(&[Role::Candidate])?;
    Ok(user.clone())
}

#[derive(Template)]
#[template(path = "web/profile.html")]
struct ProfilePage<'a> {
    page: &'a Page,
    t: &'static ProfileTexts,
    creating: bool,
    form: ProfileForm,
    errors: FormErrors,
    others: Vec<FieldError>,
    jurisdictions: Vec<Choice>,
    locations: Vec<ChoiceGroup>,
    languages: Vec<Choice>,
    currencies: Vec<String>,
    periods: Vec<Choice>,
    levels: [&'static str; 5],
}

impl ProfilePage<'_> {
    fn chosen(&self, list: &[String], value: &str) -> bool {
        list.iter().any(|v| v == value)
    }

    fn language_rows(&self) -> &[LanguageRow] {
        &self.form.languages
    }

    fn skill_rows(&self) -> &[SkillRow] {
        &self.form.skills
    }
}

async fn edit(page: Page) -> HttpResponse {
    let html = async {
        let user = seeker(&page)?;
        let state = page.state();
        let (form, creating) = match profile::own(state, user.id.clone(), page.locale).await {
            Ok(view) => (ProfileForm::from_view(&view), false),
            Err(AppError::NotFound) => {
                let account = crate::auth::service::current_user(state, user.id.clone()).await?;
                (ProfileForm::new(&account.display_name), true)
            }
            Err(e) => return Err(e),
        };
        form_page(&page, form, creating, Vec::new())
    }
    .await;
    page.respond(html)
}

async fn save(page: Page, form: Posted<Pairs>) -> HttpResponse {
    let (pairs, user) = match page.signed_in_with(form) {
        Ok(sent) => sent,
        Err(e) => return page.fail(e),
    };
    let outcome = async {
        user.require(&[Role::Candidate])?;
        let state = page.state();
        let t = ProfileTexts::of(page.locale);
        let form = ProfileForm::from_pairs(&pairs);
        let creating = pairs.one("creating") == "true";
        let errors = match form.to_input(&state.registry.get(), t) {
            Ok(input) => match profile::put(state, &user, input, page.locale).await {
                Ok(_) => return Ok(None),
                // A rule the form could not check alone (the profile was erased, say).
                Err(AppError::Validation(errors)) => errors,
                Err(e) => return Err(e),
            },
            Err(errors) => errors,
        };
        form_page(&page, form, creating, errors).map(Some)
    }
    .await;
    match outcome {
        Ok(None) => page.redirect("/me?saved=profile"),
        Ok(Some(html)) => page.respond_with(StatusCode::UNPROCESSABLE_ENTITY, Ok(html)),
        Err(e) => page.fail(e),
    }
}

fn form_page(
    page: &Page,
    form: ProfileForm,
    creating: bool,
    errors: Vec<FieldError>,
) -> Result<String, AppError> {
    let t = ProfileTexts::of(page.locale);
    let registry = page.state().registry.get();
    let errors = page.form_errors(errors);
    let shown = shown_fields(&form);
    let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
    let others = errors.others(&shown).cloned().collect();
    let mut currencies: Vec<String> = registry.currencies().map(str::to_owned).collect();
    currencies.dedup();
    let languages = choices::languages(page.t, form.languages.iter().map(|l| l.code.as_str()));
    render(&ProfilePage {
        page,
        t,
        creating,
        jurisdictions: choices::jurisdictions(&registry, page.locale),
        locations: choices::locations(&registry, page.locale),
        languages,
        currencies,
        periods: ["hour", "month", "year"]
            .iter()
            .map(|p| Choice {
                value: (*p).to_owned(),
                label: t.period(p).to_owned(),
            })
            .collect(),
        levels: LEVELS,
        form,
        errors,
        others,
    })
}
