//! `/employer/jobs/new`: the job form (see `job_form`) that creates a draft for one of the
//! person's employers.

use actix_web::HttpResponse;

use super::job_form::{self, JobForm, Purpose};
use super::jobs::employers_of;
use super::{EmployerTexts, employer_user};
use crate::employers::views::EmployerView;
use crate::error::{AppError, FieldError};
use crate::jobs::service as jobs;
use crate::registry::Registry;
use crate::web::form::Posted;
use crate::web::page::Page;

fn purpose(t: &'static EmployerTexts) -> Purpose {
    Purpose {
        heading: t.new_job_title,
        note: t.draft_note,
        action: "/employer/jobs/new".into(),
        submit: t.save_draft,
        employer: None,
    }
}

pub(super) async fn form(page: Page) -> HttpResponse {
    let html = async {
        let user = employer_user(&page)?;
        let employers = employers_of(page.state(), &user).await?;
        let registry = page.state().registry.get();
        let form = JobForm::blank(employers.first(), &registry);
        render(&page, &registry, employers, form, Vec::new())
    }
    .await;
    page.respond(html)
}

pub(super) async fn create(page: Page, form: Posted<JobForm>) -> HttpResponse {
    let outcome = match form.accept() {
        Ok(form) => submit(&page, form).await,
        Err(e) => Err(e),
    };
    job_form::answer(page, outcome)
}

/// Creates the draft (`Ok(Ok)`), or renders the form again with its problems (`Ok(Err(html))`).
async fn submit(page: &Page, form: JobForm) -> Result<Result<(), String>, AppError> {
    let user = employer_user(page)?;
    let t = EmployerTexts::of(page.locale);
    let employers = employers_of(page.state(), &user).await?;
    let registry = page.state().registry.get();
    let mut parsed = form.parse(&registry, t);
    if !employers.iter().any(|e| e.id == form.employer_id) {
        parsed
            .errors
            .push(FieldError::new("employer_id", t.choose_employer));
    }
    let saved = job_form::save(&registry, parsed, async |input| {
        jobs::create(page.state(), &user, input).await.map(drop)
    })
    .await?;
    match saved {
        Ok(()) => Ok(Ok(())),
        Err(errors) => render(page, &registry, employers, form, errors).map(Err),
    }
}

fn render(
    page: &Page,
    registry: &Registry,
    employers: Vec<EmployerView>,
    form: JobForm,
    errors: Vec<FieldError>,
) -> Result<String, AppError> {
    let purpose = purpose(EmployerTexts::of(page.locale));
    job_form::render_form(page, registry, purpose, employers, form, errors)
}
