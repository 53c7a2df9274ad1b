//! `/employer/jobs/{id}/edit`: the job form (see `job_form`) filled with the job, saved through
//! the same update as `PATCH /api/v1/jobs/{id}`. The form sends the whole job, so the patch
//! names every field; an expiry left as shown is left as stored (to the second, and even when
//! it has passed).

use actix_web::{HttpResponse, web};

use super::job_form::{self, JobForm, Purpose};
use super::jobs::employers_of;
use super::{EmployerTexts, employer_user};
use crate::auth::AuthUser;
use crate::error::{AppError, FieldError};
use crate::jobs::input::JobPatch;
use crate::jobs::service as jobs;
use crate::jobs::status::JobStatus;
use crate::jobs::views::JobView;
use crate::registry::Registry;
use crate::web::form::Posted;
use crate::web::page::{Page, encode};

pub(super) async fn form(page: Page, id: web::Path<String>) -> HttpResponse {
    let html = async {
        let user = employer_user(&page)?;
        let job = editable(&page, &user, id.into_inner()).await?;
        let registry = page.state().registry.get();
        let form = JobForm::of_job(&job, &registry, page.locale);
        render(&page, &registry, &job, form, Vec::new())
    }
    .await;
    page.respond(html)
}

pub(super) async fn update(page: Page, id: web::Path<String>, form: Posted<JobForm>) -> HttpResponse {
    let outcome = match form.accept() {
        Ok(form) => submit(&page, id.into_inner(), form).await,
        Err(e) => Err(e),
    };
    job_form::answer(page, outcome)
}

/// The job for a member of its employer, while it may change: the jobs service's rules, asked
/// before the form is shown (the update asks them again). Another employer's open job is 403,
/// any other job of theirs 404; a closed job is final (409).
async fn editable(page: &Page, user: &AuthUser, id: String) -> Result<JobView, AppError> {
    let job = jobs::get(page.state(), Some(user.clone()), id).await?;
    let employers = employers_of(page.state(), user).await?;
    if !employers.iter().any(|e| e.id == job.employer_id) {
        return Err(AppError::Forbidden(
            "only members of the job's employer may change it".into(),
        ));
    }
    if job.status == JobStatus::Closed {
        return Err(AppError::Conflict("a closed job cannot be changed".into()));
    }
    Ok(job)
}

async fn submit(page: &Page, id: String, mut form: JobForm) -> Result<Result<(), String>, AppError> {
    let user = employer_user(page)?;
    let job = editable(page, &user, id).await?;
    let registry = page.state().registry.get();
    let t = EmployerTexts::of(page.locale);
    // The employer does not change, whatever the form says.
    form.employer_id = job.employer_id.clone();
    let mut parsed = form.parse(&registry, t);
    let kept_expiry = job_form::shown_expiry(&job) == form.expires_at.trim();
    if kept_expiry {
        parsed.input.expires_at = None;
    }
    let saved = job_form::save(&registry, parsed, async |input| {
        let patch = JobPatch {
            title: Some(input.title),
            description: Some(input.description),
            location_id: Some(input.location_id),
            employment_type: Some(input.employment_type),
            salary_min: Some(input.salary_min),
            salary_max: Some(input.salary_max),
            salary_currency: Some(input.salary_currency),
            salary_period: Some(input.salary_period),
            skills: Some(input.skills),
            qualification: Some(input.qualification),
            languages: Some(input.languages),
            sponsorship: Some(input.sponsorship),
            expires_at: (!kept_expiry).then_some(input.expires_at),
        };
        jobs::update(page.state(), &user, job.id.clone(), patch)
            .await
            .map(drop)
    })
    .await?;
    match saved {
        Ok(()) => Ok(Ok(())),
        Err(errors) => render(page, &registry, &job, form, errors).map(Err),
    }
}

fn render(
    page: &Page,
    registry: &Registry,
    job: &JobView,
    form: JobForm,
    errors: Vec<FieldError>,
) -> Result<String, AppError> {
    let t = EmployerTexts::of(page.locale);
    let purpose = Purpose {
        heading: t.edit_job_title,
        note: t.edit_note,
        action: format!("/employer/jobs/{}/edit", encode(&job.id)),
        submit: t.save_changes,
        employer: Some(job.employer.name.clone()),
    };
    job_form::render_form(page, registry, purpose, Vec::new(), form, errors)
}
