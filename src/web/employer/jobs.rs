//! `/employer/jobs`: the jobs of every employer the person belongs to, in every state, with
//! their applicant counts and the lifecycle buttons (publish a draft, close an open job).

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::{EmployerTexts, employer_user, job_badge};
use crate::auth::AuthUser;
use crate::context::AreaContext;
use crate::db::schema::applications;
use crate::employers::views::EmployerView;
use crate::error::AppError;
use crate::jobs::status::JobStatus;
use crate::jobs::views::JobView;
use crate::jobs::{lifecycle, service as jobs};
use crate::paging::Page as Paging;
use crate::web::form::Posted;
use crate::web::page::{Page, render};
use crate::web::text::pick;

/// More employers than this for one person is not a real organisation chart.
pub(super) const MAX_EMPLOYERS: u32 = 100;
const MAX_JOBS_PER_EMPLOYER: u32 = 100;

/// A job as its line in the list shows it.
pub(super) struct JobLine {
    pub id: String,
    pub title: String,
    pub employer: String,
    pub status: JobStatus,
    pub badge: &'static str,
    pub location: String,
    pub salary: String,
    pub applicants: usize,
    pub expires: Option<String>,
    pub created: String,
}

#[derive(Template)]
#[template(path = "web/employer/jobs.html")]
struct JobsPage<'a> {
    page: &'a Page,
    t: &'static EmployerTexts,
    employers: Vec<EmployerView>,
    jobs: Vec<JobLine>,
}

/// The person's employers (owner or recruiter).
pub(super) async fn employers_of(ctx: &AreaContext, user: &AuthUser) -> Result<Vec<EmployerView>, AppError> {
    let (employers, _) =
        crate::employers::service::list(ctx, user, Paging::new(Some(MAX_EMPLOYERS), None)).await?;
    Ok(employers)
}

pub(super) async fn list(page: Page) -> HttpResponse {
    let html = jobs_page(&page).await;
    page.respond(html)
}

async fn jobs_page(page: &Page) -> Result<String, AppError> {
    let user = employer_user(page)?;
    let ctx = page.state();
    let t = EmployerTexts::of(page.locale);
    let employers = employers_of(ctx, &user).await?;
    let mut views: Vec<JobView> = Vec::new();
    for employer in &employers {
        let paging = Paging::new(Some(MAX_JOBS_PER_EMPLOYER), None);
        let (jobs, _) = jobs::list_for_employer(ctx, Some(user.clone()), employer.id.clone(), paging).await?;
        views.extend(jobs);
    }
    views.sort_by_key(|job| std::cmp::Reverse(job.created_at));
    let counts = applicant_counts(ctx, views.iter().map(|j| j.id.clone()).collect()).await?;
    let registry = ctx.registry.get();
    let jobs = views
        .into_iter()
        .map(|job| JobLine {
            applicants: counts.get(&job.id).copied().unwrap_or(0),
            location: registry
                .locations
                .iter()
                .find(|l| l.id == job.location_id)
                .map(|l| pick(page.locale, &l.name_en, &l.name_zh_hans, &l.name_zh_hant).to_owned())
                .unwrap_or_else(|| job.location_id.clone()),
            salary: format!(
                "{}–{} {} / {}",
                job.salary_min,
                job.salary_max,
                job.salary_currency,
                t.period(&job.salary_period)
            ),
            expires: job.expires_at.map(|at| at.format("%Y-%m-%d").to_string()),
            created: job.created_at.format("%Y-%m-%d").to_string(),
            badge: job_badge(job.status),
            status: job.status,
            employer: job.employer.name,
            title: job.title,
            id: job.id,
        })
        .collect();
    render(&JobsPage {
        page,
        t,
        employers,
        jobs,
    })
}

/// How many applications each job has (hidden applicants too: a number names nobody).
async fn applicant_counts(
    ctx: &AreaContext,
    job_ids: Vec<String>,
) -> Result<HashMap<String, usize>, AppError> {
    if job_ids.is_empty() {
        return Ok(HashMap::new());
    }
    ctx.db
        .read(move |conn| {
            let applied: Vec<String> = applications::table
                .filter(applications::job_id.eq_any(&job_ids))
                .select(applications::job_id)
                .load(conn)?;
            let mut counts = HashMap::new();
            for job_id in applied {
                *counts.entry(job_id).or_insert(0) += 1;
            }
            Ok(counts)
        })
        .await
}

/// A form that carries nothing but its CSRF token.
#[derive(Deserialize)]
pub(super) struct Button {}

pub(super) async fn publish(page: Page, id: web::Path<String>, form: Posted<Button>) -> HttpResponse {
    change(page, id.into_inner(), form, Change::Publish).await
}

pub(super) async fn close(page: Page, id: web::Path<String>, form: Posted<Button>) -> HttpResponse {
    change(page, id.into_inner(), form, Change::Close).await
}

enum Change {
    Publish,
    Close,
}

async fn change(page: Page, id: String, form: Posted<Button>, change: Change) -> HttpResponse {
    if let Err(e) = form.accept() {
        return page.fail(e);
    }
    let user = match employer_user(&page) {
        Ok(user) => user,
        Err(e) => return page.fail(e),
    };
    let changed = match change {
        Change::Publish => lifecycle::publish(page.state(), &user, id).await,
        Change::Close => lifecycle::close(page.state(), &user, id).await,
    };
    match changed {
        Ok(_) => page.redirect("/employer/jobs"),
        Err(e) => page.fail(e),
    }
}
