//! `/employer/jobs/{id}/applicants`: a job's applications grouped by pipeline stage, each
//! applicant shown only as far as the applications service lets this reader see them (the
//! consent rule lives there), with a form to move each along the pipeline.

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::jobs::employers_of;
use super::{EmployerTexts, employer_user};
use crate::applications::service::{self as applications, Seen};
use crate::applications::status::{Side, Status};
use crate::auth::AuthUser;
use crate::context::AreaContext;
use crate::db::schema::applications as applications_table;
use crate::error::AppError;
use crate::jobs::service as jobs;
use crate::jobs::views::JobView;
use crate::web::form::Posted;
use crate::web::page::{Page, encode, render};

/// A job with more applications than this shows the newest ones.
const MAX_APPLICANTS: i64 = 500;

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
    total: usize,
    stages: Vec<Stage>,
}

pub(super) async fn list(page: Page, id: web::Path<String>) -> HttpResponse {
    let html = applicants_page(&page, id.into_inner()).await;
    page.respond(html)
}

async fn applicants_page(page: &Page, job_id: String) -> Result<String, AppError> {
    let user = employer_user(page)?;
    let ctx = page.state();
    // The jobs service says whether the job exists for this reader (drafts of others do not);
    // a job others may see (an open one) is still only its employer's members' to manage.
    let job = jobs::get(ctx, Some(user.clone()), job_id).await?;
    let employers = employers_of(ctx, &user).await?;
    if !employers.iter().any(|e| e.id == job.employer_id) {
        return Err(AppError::Forbidden(
            "only members of the job's employer see its applicants".into(),
        ));
    }
    let seen = applications_to(ctx, &user, &job.id).await?;
    let total = seen.len();
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
    })
}

/// The job's applications as the applications service shows each to this reader: it decides
/// (and audits) what of each applicant the reader sees. Only ids are read here.
async fn applications_to(ctx: &AreaContext, user: &AuthUser, job_id: &str) -> Result<Vec<Seen>, AppError> {
    let job_id = job_id.to_owned();
    let ids: Vec<String> = ctx
        .db
        .read(move |conn| {
            Ok(applications_table::table
                .filter(applications_table::job_id.eq(&job_id))
                .order((applications_table::created_at.desc(), applications_table::id))
                .limit(MAX_APPLICANTS)
                .select(applications_table::id)
                .load(conn)?)
        })
        .await?;
    let mut seen = Vec::with_capacity(ids.len());
    for id in ids {
        seen.push(applications::get(ctx, user, id).await?);
    }
    Ok(seen)
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
