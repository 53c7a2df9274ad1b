//! `/employer/jobs/{id}/applicants`: a job's applications grouped by pipeline stage, each
//! applicant shown only as far as the applications service lets this reader see them (the
//! consent rule lives there), with a form to move each along the pipeline.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{EmployerTexts, employer_user};
use crate::applications::service as applications;
use crate::applications::status::{Side, Status};
use crate::error::AppError;
use crate::jobs::service as jobs;
use crate::jobs::views::JobView;
use crate::paging::Page as Paging;
use crate::web::form::Posted;
use crate::web::page::{Page, encode, render};

/// Applications a page shows, newest first; more are on the next pages.
const PER_PAGE: u32 = 100;

/// An applicant as far as the reader may see them.
struct Applicant {
    name: String,
    headline: String,
    lives_in: String,
}

struct Application {
    id: String,
    applied: String,
    /// `None`: the consent rule hides the person; the application stays.
    applicant: Option<Applicant>,
    cover_letter: Option<String>,
    /// The stages the employer may move it to.
    moves: Vec<Status>,
}

struct Stage {
    status: Status,
    applications: Vec<Application>,
}

#[derive(Template)]
#[template(path = "web/employer/applicants.html")]
struct ApplicantsPage<'a> {
    page: &'a Page,
    t: &'static EmployerTexts,
    job: JobView,
    total: i64,
    stages: Vec<Stage>,
    previous: Option<String>,
    next: Option<String>,
}

/// Text, as a link may carry anything: an offset that is no number is the first page.
#[derive(Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    offset: String,
}

pub(super) async fn list(page: Page, id: web::Path<String>, query: web::Query<ListQuery>) -> HttpResponse {
    let html = applicants_page(&page, id.into_inner(), query.offset.trim().parse().ok()).await;
    page.respond(html)
}

async fn applicants_page(page: &Page, job_id: String, offset: Option<u32>) -> Result<String, AppError> {
    let user = employer_user(page)?;
    let ctx = page.state();
    // The applications service decides whose applicants these are to read (403 for another
    // employer's open job, 404 for a job the reader may not know) and what of each they see.
    let paging = Paging::new(Some(PER_PAGE), offset);
    let (seen, total) = applications::list_for_job(ctx, &user, job_id.clone(), paging).await?;
    let job = jobs::get(ctx, Some(user.clone()), job_id).await?;
    let here = |offset: i64| format!("/employer/jobs/{}/applicants?offset={offset}", encode(&job.id));
    let previous = (paging.offset > 0).then(|| here((paging.offset - paging.limit).max(0)));
    let next = (paging.offset + paging.limit < total).then(|| here(paging.offset + paging.limit));
    let mut stages: Vec<Stage> = Status::ALL
        .into_iter()
        .map(|status| Stage {
            status,
            applications: Vec::new(),
        })
        .collect();
    for one in seen {
        let status = Status::parse(&one.application.status).unwrap_or(Status::Submitted);
        let Some(stage) = stages.iter_mut().find(|s| s.status == status) else {
            continue;
        };
        stage.applications.push(Application {
            moves: Status::ALL
                .into_iter()
                .filter(|to| status.may_move(*to, Side::Employer))
                .collect(),
            applied: one.application.created_at.format("%Y-%m-%d").to_string(),
            applicant: one.candidate.map(|c| Applicant {
                name: c.display_name,
                headline: c.headline,
                lives_in: c.residence_jurisdiction,
            }),
            cover_letter: one.application.cover_letter,
            id: one.application.id,
        });
    }
    render(&ApplicantsPage {
        page,
        t: EmployerTexts::of(page.locale),
        job,
        total,
        stages,
        previous,
        next,
    })
}

#[derive(Deserialize)]
pub(super) struct StageForm {
    #[serde(default)]
    status: String,
}

pub(super) async fn move_stage(page: Page, id: web::Path<String>, form: Posted<StageForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let user = match employer_user(&page) {
        Ok(user) => user,
        Err(e) => return page.fail(e),
    };
    let Some(to) = Status::parse(&form.status) else {
        return page.fail(AppError::invalid("status", "choose a stage of the list"));
    };
    match applications::change_status(page.state(), &user, id.into_inner(), to).await {
        Ok(seen) => page.redirect(&format!("/employer/jobs/{}/applicants", encode(&seen.job.id))),
        Err(e) => page.fail(e),
    }
}
