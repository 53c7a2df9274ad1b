//! A job seeker's own page: profile, cross-border consents (give, withdraw, the history),
//! matches with their reasons, applications and their stage, and the one-stop case checklist.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::form::Posted;
use super::page::{FormErrors, Page, render, safe_next};
use super::text::texts;
use crate::alerts::model::SavedSearchRow;
use crate::applications::status::Status;
use crate::auth::Role;
use crate::candidates::consents::{self, ConsentInput, ConsentPurpose};
use crate::candidates::model::ConsentRow;
use crate::candidates::profile;
use crate::candidates::views::ProfileView;
use crate::cases::service::{self as cases, ListRequest};
use crate::cases::views::CaseView;
use crate::error::AppError;
use crate::matching::service::{self as matching, MatchOptions};
use crate::paging::Page as Paging;
use crate::registry::Registry;
use crate::registry::fit::QualificationStatus;
use crate::web::choices::{direction_name, jurisdiction_name};
use crate::{alerts, applications};

texts!(MeTexts {
    title: "My page", "我的主页", "我的主頁";
    profile: "Profile", "个人资料", "個人資料";
    no_profile: "You have no profile yet: create it to be matched and seen.", "您还没有个人资料：请先创建资料，才能获得匹配并被雇主看到。", "您還沒有個人資料：請先建立資料，才能獲得配對並被僱主看到。";
    create_profile: "Create my profile", "创建个人资料", "建立個人資料";
    edit_profile: "Edit my profile", "编辑个人资料", "編輯個人資料";
    holdings: "Qualifications and permits", "学历与工作许可", "學歷與工作許可";
    saved: "Your profile is saved.", "个人资料已保存。", "個人資料已儲存。";
    lives_in: "Lives in", "居住地", "居住地";
    visibility: "Seen by", "可见范围", "可見範圍";
    visibility_employers: "verified employers", "已认证雇主", "已認證僱主";
    visibility_private: "only you and the agency", "仅您本人及服务机构", "僅您本人及服務機構";
    consents: "Sharing across the boundary", "跨境共享", "跨境共享";
    consents_intro: "Employers on the other side of the boundary see your profile only while you consent to it. You may withdraw at any time; the record of each consent is kept.", "只有在您同意的期间，境外雇主才能看到您的资料。您可以随时撤回；每次同意的记录都会保留。", "只有在您同意的期間，境外僱主才能看到您的資料。您可以隨時撤回；每次同意的紀錄都會保留。";
    consent_to: "Share my profile with employers in", "向以下地区的雇主共享我的资料", "向以下地區的僱主共享我的資料";
    give_consent: "Give consent", "同意共享", "同意共享";
    withdraw: "Withdraw", "撤回", "撤回";
    withdraw_confirm: "Withdraw this consent? Employers there will no longer see your profile.", "确定撤回？当地雇主将无法再看到您的资料。", "確定撤回？當地僱主將無法再看到您的資料。";
    granted: "Given", "同意于", "同意於";
    withdrawn: "Withdrawn", "撤回于", "撤回於";
    active: "Active", "有效", "有效";
    no_consents: "You have not consented to any sharing across the boundary.", "您尚未同意任何跨境共享。", "您尚未同意任何跨境共享。";
    notice_version: "Notice", "告知书版本", "告知書版本";
    applications: "My applications", "我的申请", "我的申請";
    no_applications: "No applications yet.", "暂无申请。", "暫無申請。";
    applied_now: "Your application is sent.", "申请已提交。", "申請已提交。";
    updated: "Updated", "更新于", "更新於";
    matches: "Jobs that fit you", "适合您的职位", "適合您的職位";
    no_matches: "No matches yet: add skills to your profile.", "暂无匹配：请在资料中添加技能。", "暫無配對：請在資料中加入技能。";
    score: "fit", "匹配度", "配對度";
    skills_matched: "Skills you have", "已具备的技能", "已具備的技能";
    skills_missing: "Skills to add", "欠缺的技能", "欠缺的技能";
    qualification_met: "Qualification met", "学历符合", "學歷符合";
    qualification_equivalent: "Qualification met by equivalence", "学历经对等认可后符合", "學歷經對等認可後符合";
    qualification_partial: "Qualification partly met", "学历部分符合", "學歷部分符合";
    qualification_missing: "Qualification not met", "学历不符合", "學歷不符合";
    cases: "My cross-border case", "我的跨境个案", "我的跨境個案";
    no_cases: "No case is open for you.", "暂无个案。", "暫無個案。";
    due: "due", "截止", "截止";
    overdue: "overdue", "已逾期", "已逾期";
    done: "done", "已完成", "已完成";
    alerts: "Job alerts", "职位提醒", "職位提醒";
    no_alerts: "No alerts. Search for jobs, then choose to be emailed new ones.", "暂无提醒。搜索职位后可选择接收新职位邮件。", "暫無提醒。搜尋職位後可選擇接收新職位電郵。";
    run_alert: "See the jobs", "查看职位", "查看職位";
    delete: "Delete", "删除", "刪除";
    instant: "as they come", "即时", "即時";
    daily: "daily", "每天", "每天";
    weekly: "weekly", "每周", "每週";
});

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me").get(me))
        .service(web::resource("/me/consents").post(give_consent))
        .service(web::resource("/me/consents/{id}/withdraw").post(withdraw_consent))
        .service(web::resource("/me/saved-searches/{id}/delete").post(delete_saved_search))
        // The addresses the emails use for the candidate's applications, case and alerts.
        .service(web::resource("/applications").get(|page: Page| async { page.redirect("/me#applications") }))
        .service(web::resource("/cases").get(|page: Page| async { page.redirect("/me#cases") }))
        .service(
            web::resource("/saved-searches").get(|page: Page| async { page.redirect("/me#saved-searches") }),
        );
}

struct AlertLine {
    id: String,
    words: String,
    href: String,
    frequency: &'static str,
}

struct ConsentLine {
    id: String,
    to: String,
    notice_version: String,
    granted_on: String,
    withdrawn_on: Option<String>,
}

struct ApplicationLine {
    job_id: String,
    job_title: String,
    stage: &'static str,
    final_stage: bool,
    updated_on: String,
}

struct MatchLine {
    job_id: String,
    title: String,
    employer: String,
    percent: u32,
    matched: Vec<String>,
    missing: Vec<String>,
    qualification: Option<&'static str>,
}

struct TaskLine {
    title: String,
    status: &'static str,
    due_on: Option<NaiveDate>,
    overdue: bool,
}

struct CaseCard {
    direction: String,
    status: &'static str,
    summary: String,
    tasks: Vec<TaskLine>,
}

#[derive(Template)]
#[template(path = "web/me.html")]
struct MePage<'a> {
    page: &'a Page,
    t: &'static MeTexts,
    profile: Option<ProfileView>,
    residence: String,
    consents: Vec<ConsentLine>,
    /// Jurisdictions a consent may name: (code, name), the residence left out.
    consent_targets: Vec<(String, String)>,
    consent_errors: FormErrors,
    applications: Vec<ApplicationLine>,
    just_applied: bool,
    just_saved: bool,
    matches: Vec<MatchLine>,
    cases: Vec<CaseCard>,
    alerts: Vec<AlertLine>,
}

#[derive(Deserialize)]
struct MeQuery {
    applied: Option<String>,
    saved: Option<String>,
}

async fn me(page: Page, query: web::Query<MeQuery>) -> HttpResponse {
    let notice = Notice {
        applied: query.applied.is_some(),
        saved: query.saved.is_some(),
    };
    let html = me_page(&page, notice, FormErrors::default()).await;
    page.respond(html)
}

/// What the page confirms at its top, after the form that led here.
#[derive(Default)]
struct Notice {
    applied: bool,
    saved: bool,
}

async fn me_page(page: &Page, notice: Notice, consent_errors: FormErrors) -> Result<String, AppError> {
    let user = page.signed_in()?;
    user.require(&[Role::Candidate])?;
    let state = page.state();
    let t = MeTexts::of(page.locale);
    let registry = state.registry.get();
    let name_of = |code: &str| jurisdiction_name(&registry, page.locale, code);
    let profile = match profile::own(state, user.id.clone(), page.locale).await {
        Ok(profile) => Some(profile),
        Err(AppError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let consents: Vec<ConsentLine> = match &profile {
        Some(_) => consents::list(state, user.id.clone())
            .await?
            .iter()
            .map(|row| consent_line(row, &name_of))
            .collect(),
        None => Vec::new(),
    };
    let residence = profile
        .as_ref()
        .map(|p| p.residence_jurisdiction.clone())
        .unwrap_or_default();
    let consent_targets = registry
        .jurisdictions
        .iter()
        .filter(|j| j.code != residence)
        .map(|j| (j.code.clone(), name_of(&j.code)))
        .collect();
    let (seen, _) = applications::service::list(state, user, Paging { limit: 50, offset: 0 }).await?;
    let applications = seen
        .iter()
        .map(|s| ApplicationLine {
            job_id: s.job.id.clone(),
            job_title: s.job.title.clone(),
            stage: page.t.stage(Status::stored(&s.application.status)),
            final_stage: Status::stored(&s.application.status).is_final(),
            updated_on: s.application.updated_at.format("%Y-%m-%d").to_string(),
        })
        .collect();
    let matches = match &profile {
        Some(_) => {
            let options = MatchOptions {
                limit: 5,
                authorized_only: false,
            };
            matching::jobs_for_candidate(state, &state.search, user, options, page.locale)
                .await?
                .hits
                .into_iter()
                .map(|m| MatchLine {
                    job_id: m.job_id,
                    title: m.job.title,
                    employer: m.job.employer.name,
                    percent: (m.explanation.score.clamp(0.0, 1.0) * 100.0).round() as u32,
                    matched: m
                        .explanation
                        .skills
                        .matched
                        .into_iter()
                        .map(|s| s.label)
                        .collect(),
                    missing: m
                        .explanation
                        .skills
                        .missing_required
                        .into_iter()
                        .map(|s| s.label)
                        .collect(),
                    qualification: qualification_words(t, m.explanation.qualification.status),
                })
                .collect()
        }
        None => Vec::new(),
    };
    let request = ListRequest {
        status: None,
        assignee: None,
        overdue: false,
        page: Paging { limit: 10, offset: 0 },
    };
    let (cases, _) = cases::list(state, user, request).await?;
    let cases = cases.iter().map(|c| case_card(page, &registry, c)).collect();
    let alerts = alerts::service::list(state, user.id.clone())
        .await?
        .iter()
        .map(|row| alert_line(t, row))
        .collect();
    let template = MePage {
        page,
        t,
        residence: if residence.is_empty() {
            String::new()
        } else {
            name_of(&residence)
        },
        profile,
        consents,
        consent_targets,
        consent_errors,
        applications,
        just_applied: notice.applied,
        just_saved: notice.saved,
        matches,
        cases,
        alerts,
    };
    render(&template)
}

fn consent_line(row: &ConsentRow, name_of: &impl Fn(&str) -> String) -> ConsentLine {
    ConsentLine {
        id: row.id.clone(),
        to: name_of(&row.to_jurisdiction),
        notice_version: row.notice_version.clone(),
        granted_on: row.granted_at.format("%Y-%m-%d %H:%M").to_string(),
        withdrawn_on: row.withdrawn_at.map(|at| at.format("%Y-%m-%d %H:%M").to_string()),
    }
}

fn alert_line(t: &MeTexts, row: &SavedSearchRow) -> AlertLine {
    let filters: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&row.filters).unwrap_or_default();
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if !row.query.is_empty() {
        query.append_pair("q", &row.query);
    }
    for (name, value) in &filters {
        match value {
            serde_json::Value::String(v) => {
                query.append_pair(name, v);
            }
            serde_json::Value::Number(_) | serde_json::Value::Bool(_) => {
                query.append_pair(name, &value.to_string());
            }
            _ => {}
        }
    }
    let words = if row.query.is_empty() {
        "*".to_string()
    } else {
        row.query.clone()
    };
    AlertLine {
        id: row.id.clone(),
        words,
        href: format!("/jobs?{}", query.finish()),
        frequency: match row.frequency.as_str() {
            "instant" => t.instant,
            "weekly" => t.weekly,
            _ => t.daily,
        },
    }
}

fn qualification_words(t: &MeTexts, status: QualificationStatus) -> Option<&'static str> {
    match status {
        QualificationStatus::NotRequired => None,
        QualificationStatus::Met => Some(t.qualification_met),
        QualificationStatus::MetViaEquivalence => Some(t.qualification_equivalent),
        QualificationStatus::Partial => Some(t.qualification_partial),
        QualificationStatus::Missing => Some(t.qualification_missing),
    }
}

/// A case as its candidate reads it: the direction, statuses and steps in the page's language.
fn case_card(page: &Page, registry: &Registry, case: &CaseView) -> CaseCard {
    CaseCard {
        direction: direction_name(registry, page.locale, &case.direction),
        status: page.t.case_status(&case.status),
        summary: case.summary.clone(),
        tasks: case
            .tasks
            .iter()
            .map(|task| TaskLine {
                title: task.title.get(page.locale).to_string(),
                status: page.t.task_status(&task.status),
                due_on: task.due_on,
                overdue: task.overdue,
            })
            .collect(),
    }
}

#[derive(Deserialize)]
struct ConsentForm {
    #[serde(default)]
    to_jurisdiction: String,
    /// Where to go on: the job page that asked for the consent, else the consents.
    next: Option<String>,
}

async fn give_consent(page: Page, form: Posted<ConsentForm>) -> HttpResponse {
    let (form, user) = match page.signed_in_with(form) {
        Ok(sent) => sent,
        Err(e) => return page.fail(e),
    };
    let next = match form.next.as_deref() {
        Some(next) => safe_next(Some(next)),
        None => "/me#consents".to_string(),
    };
    let input = ConsentInput {
        purpose: ConsentPurpose::CrossBorderSharing,
        to_jurisdiction: form.to_jurisdiction,
    };
    match consents::grant(page.state(), &user, input).await {
        Ok(_) => page.redirect(&next),
        Err(AppError::Validation(errors)) => {
            let html = me_page(&page, Notice::default(), page.form_errors(errors)).await;
            page.respond_with(StatusCode::UNPROCESSABLE_ENTITY, html)
        }
        Err(AppError::Conflict(why)) => {
            let errors = vec![crate::error::FieldError::new("to_jurisdiction", why)];
            let html = me_page(&page, Notice::default(), page.form_errors(errors)).await;
            page.respond_with(StatusCode::CONFLICT, html)
        }
        Err(e) => page.fail(e),
    }
}

#[derive(Deserialize)]
struct Nothing {}

async fn delete_saved_search(page: Page, id: web::Path<String>, form: Posted<Nothing>) -> HttpResponse {
    let (_, user) = match page.signed_in_with(form) {
        Ok(sent) => sent,
        Err(e) => return page.fail(e),
    };
    match alerts::service::delete(page.state(), &user, id.into_inner()).await {
        Ok(()) => page.redirect("/me#saved-searches"),
        Err(e) => page.fail(e),
    }
}

async fn withdraw_consent(page: Page, id: web::Path<String>, form: Posted<Nothing>) -> HttpResponse {
    let (_, user) = match page.signed_in_with(form) {
        Ok(sent) => sent,
        Err(e) => return page.fail(e),
    };
    match consents::withdraw(page.state(), &user, id.into_inner()).await {
        Ok(()) => page.redirect("/me#consents"),
        Err(e) => page.fail(e),
    }
}
