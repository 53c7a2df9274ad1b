//! The job seeker's way in: the search (facets, filters, highlighted hits) and a job's page,
//! which says what the reader's qualifications count for there and which routes let them work
//! there, and takes the application.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::choices;
use super::form::Posted;
use super::page::{FormErrors, Page, encode, render};
use super::text::{pick, texts};
use crate::alerts::service::{FiltersInput, SavedSearchInput};
use crate::auth::Role;
use crate::eligibility::views::{RouteView, RoutesQuery};
use crate::eligibility::{self, Whose};
use crate::error::{AppError, FieldError};
use crate::jobs::views::JobView;
use crate::paging::Page as Paging;
use crate::registry::Registry;
use crate::registry::views::{ResolutionView, level_name};
use crate::search::job_search::request::{self as job_request, JobFilters};
use crate::{alerts, applications, candidates, jobs};

texts!(SeekerTexts {
    search_title: "Find work on both sides of the boundary", "在深港两地找工作", "在深港兩地找工作";
    search_label: "Job title, skill or employer", "职位、技能或雇主", "職位、技能或僱主";
    search_hint: "Any script: 软件工程师, 軟件工程師 and software engineer find the same jobs.", "任何书写方式均可：软件工程师、軟件工程師和 software engineer 找到相同的职位。", "任何書寫方式均可：软件工程师、軟件工程師和 software engineer 找到相同的職位。";
    search_button: "Search", "搜索", "搜尋";
    filters: "Filters", "筛选", "篩選";
    jurisdiction: "Where", "地区", "地區";
    anywhere: "Shenzhen and Hong Kong", "深圳及香港", "深圳及香港";
    employment_type: "Type of work", "工作类型", "工作類型";
    any_type: "Any type", "任何类型", "任何類型";
    full_time: "Full time", "全职", "全職";
    part_time: "Part time", "兼职", "兼職";
    contract: "Contract", "合同", "合約";
    internship: "Internship", "实习", "實習";
    temporary: "Temporary", "临时", "臨時";
    salary_min: "Pay at least", "最低薪酬", "最低薪酬";
    salary_currency: "in", "币种", "幣種";
    sponsorship: "Visa sponsorship offered", "提供签证担保", "提供簽證擔保";
    apply_filters: "Apply filters", "应用筛选", "套用篩選";
    clear_filters: "Clear filters", "清除筛选", "清除篩選";
    skills: "Skills", "技能", "技能";
    results: "jobs found", "个职位", "個職位";
    no_results: "No open job matches. Try fewer words or filters.", "没有符合条件的职位，请减少关键词或筛选条件。", "沒有符合條件的職位，請減少關鍵字或篩選條件。";
    per_month: "a month", "每月", "每月";
    per_year: "a year", "每年", "每年";
    per_hour: "an hour", "每小时", "每小時";
    per_day: "a day", "每天", "每天";
    sponsored: "Sponsorship", "可担保签证", "可擔保簽證";
    verified_employer: "Verified employer", "已认证雇主", "已認證僱主";
    posted: "Posted", "发布于", "發佈於";
    expires: "Open until", "截止日期", "截止日期";
    about_job: "About the job", "职位介绍", "職位介紹";
    required_skills: "Skills asked for", "技能要求", "技能要求";
    level: "level", "级别", "級別";
    nice_to_have: "nice to have", "加分项", "加分項";
    languages: "Languages", "语言", "語言";
    qualification: "Qualification asked for", "学历要求", "學歷要求";
    your_qualifications: "What your qualifications count for here", "您的资历在当地的认可", "您的資歷在當地的認可";
    no_credentials: "Add your qualifications to your profile to see what they count for here.", "在个人资料中添加资历，即可查看其在当地的认可情况。", "在個人資料中加入資歷，即可查看其在當地的認可情況。";
    verify_first: "To be confirmed with the authority", "需向主管机构确认", "需向主管機構確認";
    your_routes: "Routes that let you work here", "可让您在当地工作的途径", "可讓您在當地工作的途徑";
    no_routes: "Complete your profile to see which permits or visas fit.", "完善个人资料后即可查看适合的许可或签证。", "完善個人資料後即可查看適合的許可或簽證。";
    route_already_authorised: "You may work there already", "您已可在当地工作", "您已可在當地工作";
    route_eligible: "Eligible", "符合条件", "符合條件";
    route_possible: "Possible", "或许符合", "或許符合";
    route_not_eligible: "Not eligible", "不符合条件", "不符合條件";
    apply: "Apply", "申请", "申請";
    save_alert: "Email me new jobs like these", "有类似新职位时邮件通知我", "有類似新職位時電郵通知我";
    frequency: "How often", "频率", "頻率";
    instant: "As they come", "即时", "即時";
    daily: "Daily", "每天", "每天";
    weekly: "Weekly", "每周", "每週";
    cover_letter: "Cover letter (optional)", "求职信（可选）", "求職信（可選）";
    sign_in_to_apply: "Sign in as a job seeker to apply", "以求职者身份登录后申请", "以求職者身份登入後申請";
    applied: "You have applied. Follow it on your page.", "您已申请，可在个人主页跟进。", "您已申請，可在個人主頁跟進。";
    not_open: "This job no longer takes applications.", "此职位已停止接受申请。", "此職位已停止接受申請。";
    consent_first: "This employer is across the boundary. Applying shares your profile with employers in", "该雇主位于境外。申请即会向以下地区的雇主提供您的资料：", "該僱主位於境外。申請即會向以下地區的僱主提供您的資料：";
    consent_first_after: "so your consent comes first. You may withdraw it later on your page.", "因此需要先取得您的同意。您之后可在个人主页撤回。", "因此需要先取得您的同意。您之後可在個人主頁撤回。";
    consent_button: "I consent to share my profile there", "我同意向当地共享资料", "我同意向當地共享資料";
});

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `/jobs/search` is the address alert emails link a saved search by.
    cfg.service(web::resource("/").get(search))
        .service(web::resource("/jobs").get(search))
        .service(web::resource("/jobs/search").get(search))
        .service(web::resource("/jobs/alerts").post(save_alert))
        .service(web::resource("/jobs/{id}").get(job))
        .service(web::resource("/jobs/{id}/apply").post(apply));
}

/// The search's query string, as typed: every value is text, checked here, so a mistyped
/// amount is shown beside its field.
#[derive(Debug, Default, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    jurisdiction: String,
    #[serde(default)]
    employment_type: String,
    #[serde(default)]
    skill_id: String,
    #[serde(default)]
    salary_min: String,
    #[serde(default)]
    salary_currency: String,
    #[serde(default)]
    sponsorship: String,
    #[serde(default)]
    offset: String,
}

const PAGE_SIZE: u32 = 20;

impl SearchForm {
    fn filters(&self) -> Result<(JobFilters, u32), Vec<FieldError>> {
        let mut errors = Vec::new();
        let salary_min = match self.salary_min.trim() {
            "" => None,
            text => match text.replace([',', '_'], "").parse::<i64>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        "salary_min",
                        "must be a whole amount, like 30000",
                    ));
                    None
                }
            },
        };
        let offset = self.offset.trim().parse::<u32>().unwrap_or(0).min(10_000);
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let filters = JobFilters {
            q: some(&self.q),
            jurisdiction: some(&self.jurisdiction),
            location_id: None,
            skill_id: some(&self.skill_id),
            employment_type: some(&self.employment_type),
            sponsorship: (self.sponsorship == "true").then_some(true),
            posted_since: None,
            salary_currency: salary_min.and(some(&self.salary_currency)),
            salary_min,
        };
        if errors.is_empty() {
            Ok((filters, offset))
        } else {
            Err(errors)
        }
    }

    /// This search's query string with one parameter changed (`""` removes it).
    fn with(&self, name: &str, value: &str) -> String {
        let mut pairs: Vec<(&str, &str)> = [
            ("q", self.q.as_str()),
            ("jurisdiction", &self.jurisdiction),
            ("employment_type", &self.employment_type),
            ("skill_id", &self.skill_id),
            ("salary_min", &self.salary_min),
            ("salary_currency", &self.salary_currency),
            ("sponsorship", &self.sponsorship),
        ]
        .into_iter()
        .filter(|(n, _)| *n != name && *n != "offset")
        .collect();
        if !value.is_empty() {
            pairs.push((name, value));
        }
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.into_iter().filter(|(_, v)| !v.is_empty()))
            .finish();
        format!("/jobs?{query}")
    }
}

/// The parts of the search answer (`JobSearchResult`) a page shows.
#[derive(Deserialize)]
struct Found {
    total: usize,
    hits: Vec<Hit>,
    facets: Facets,
}

#[derive(Deserialize)]
struct Hit {
    job: JobCard,
    highlights: Highlights,
}

#[derive(Deserialize)]
struct JobCard {
    id: String,
    title: String,
    employer: EmployerCard,
    location_id: String,
    jurisdiction: Option<String>,
    employment_type: String,
    salary_min: i64,
    salary_max: i64,
    salary_currency: String,
    salary_period: String,
    sponsorship: bool,
}

#[derive(Deserialize)]
struct EmployerCard {
    name: String,
    verified: bool,
}

/// Already HTML: matched words in `<b>`, everything else escaped by the search.
#[derive(Deserialize)]
struct Highlights {
    title: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
struct Facets {
    jurisdiction: BTreeMap<String, u64>,
    employment_type: BTreeMap<String, u64>,
    skills: BTreeMap<String, u64>,
}

/// A facet value with its count and the search that selects it.
struct FacetLink {
    label: String,
    count: u64,
    href: String,
    selected: bool,
}

struct HitCard {
    id: String,
    /// Already HTML (see `Highlights`).
    title_html: String,
    snippet_html: Option<String>,
    employer: String,
    verified: bool,
    place: String,
    employment_type: &'static str,
    pay: String,
    sponsorship: bool,
}

#[derive(Template)]
#[template(path = "web/search.html")]
struct SearchPage<'a> {
    page: &'a Page,
    t: &'static SeekerTexts,
    form: &'a SearchForm,
    errors: FormErrors,
    total: usize,
    hits: Vec<HitCard>,
    jurisdictions: Vec<FacetLink>,
    types: Vec<FacetLink>,
    skills: Vec<FacetLink>,
    /// Every jurisdiction for the filter's select: (code, name).
    places: Vec<choices::Choice>,
    previous: Option<String>,
    next: Option<String>,
}

async fn search(page: Page, query: web::Query<SearchForm>) -> HttpResponse {
    let form = query.into_inner();
    let (status, html) = search_page(&page, &form).await;
    page.respond_with(status, html)
}

async fn search_page(page: &Page, form: &SearchForm) -> (StatusCode, Result<String, AppError>) {
    let t = SeekerTexts::of(page.locale);
    let registry = page.state().registry.get();
    let mut template = SearchPage {
        page,
        t,
        form,
        errors: FormErrors::default(),
        total: 0,
        hits: Vec::new(),
        jurisdictions: Vec::new(),
        types: Vec::new(),
        skills: Vec::new(),
        places: choices::jurisdictions(&registry, page.locale),
        previous: None,
        next: None,
    };
    let (filters, offset) = match form.filters() {
        Ok(parsed) => parsed,
        Err(errors) => {
            template.errors = page.form_errors(errors);
            return (StatusCode::UNPROCESSABLE_ENTITY, render(&template));
        }
    };
    let paging = Paging {
        limit: i64::from(PAGE_SIZE),
        offset: i64::from(offset),
    };
    let state = page.state();
    let answer = match job_request::search_jobs(state, &state.search, filters, paging).await {
        Ok(answer) => answer,
        Err(AppError::Validation(errors)) => {
            template.errors = page.form_errors(errors);
            return (StatusCode::UNPROCESSABLE_ENTITY, render(&template));
        }
        Err(e) => return (StatusCode::OK, Err(e)),
    };
    let found: Found = match serde_json::from_slice(&answer) {
        Ok(found) => found,
        Err(e) => return (StatusCode::OK, Err(AppError::Unexpected(e.into()))),
    };
    template.total = found.total;
    template.hits = found
        .hits
        .into_iter()
        .map(|hit| card(page, t, &registry, hit))
        .collect();
    template.jurisdictions = facet_links(form, "jurisdiction", &found.facets.jurisdiction, |code| {
        choices::jurisdiction_name(&registry, page.locale, code)
    });
    template.types = facet_links(form, "employment_type", &found.facets.employment_type, |code| {
        employment_type(t, code).to_string()
    });
    let mut skills = facet_links(form, "skill_id", &found.facets.skills, |id| {
        registry
            .skill(id)
            .map(|s| s.labels.get(page.locale).to_string())
            .unwrap_or_else(|| id.to_string())
    });
    skills.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    skills.truncate(12);
    template.skills = skills;
    let base = form.with("offset", "");
    let joiner = if base.ends_with('?') { "" } else { "&" };
    if offset > 0 {
        template.previous = Some(format!(
            "{base}{joiner}offset={}",
            offset.saturating_sub(PAGE_SIZE)
        ));
    }
    if (offset + PAGE_SIZE) < found.total.min(10_000) as u32 {
        template.next = Some(format!("{base}{joiner}offset={}", offset + PAGE_SIZE));
    }
    (StatusCode::OK, render(&template))
}

fn facet_links(
    form: &SearchForm,
    name: &str,
    counts: &BTreeMap<String, u64>,
    label: impl Fn(&str) -> String,
) -> Vec<FacetLink> {
    let current = match name {
        "jurisdiction" => &form.jurisdiction,
        "employment_type" => &form.employment_type,
        _ => &form.skill_id,
    };
    counts
        .iter()
        .map(|(value, count)| {
            let selected = current == value;
            FacetLink {
                label: label(value),
                count: *count,
                href: form.with(name, if selected { "" } else { value }),
                selected,
            }
        })
        .collect()
}

fn card(page: &Page, t: &'static SeekerTexts, registry: &Registry, hit: Hit) -> HitCard {
    let job = hit.job;
    HitCard {
        title_html: hit
            .highlights
            .title
            .unwrap_or_else(|| html_escape::encode_text(&job.title).into_owned()),
        snippet_html: hit.highlights.description,
        employer: job.employer.name,
        verified: job.employer.verified,
        place: place(page, registry, &job.location_id, job.jurisdiction.as_deref()),
        employment_type: employment_type(t, &job.employment_type),
        pay: pay(
            t,
            job.salary_min,
            job.salary_max,
            &job.salary_currency,
            &job.salary_period,
        ),
        sponsorship: job.sponsorship,
        id: job.id,
    }
}

fn place(page: &Page, registry: &Registry, location_id: &str, jurisdiction: Option<&str>) -> String {
    let location = registry.locations.iter().find(|l| l.id == location_id);
    match (location, jurisdiction) {
        (Some(l), Some(j)) if l.kind != "jurisdiction" => format!(
            "{}, {}",
            pick(page.locale, &l.name_en, &l.name_zh_hans, &l.name_zh_hant),
            choices::jurisdiction_name(registry, page.locale, j)
        ),
        (_, Some(j)) => choices::jurisdiction_name(registry, page.locale, j),
        (Some(l), None) => pick(page.locale, &l.name_en, &l.name_zh_hans, &l.name_zh_hant).to_string(),
        (None, None) => location_id.to_string(),
    }
}

fn employment_type(t: &SeekerTexts, code: &str) -> &'static str {
    match code {
        "full_time" => t.full_time,
        "part_time" => t.part_time,
        "contract" => t.contract,
        "internship" => t.internship,
        "temporary" => t.temporary,
        _ => t.any_type,
    }
}

/// `HKD 30,000–45,000 a month`.
fn pay(t: &SeekerTexts, min: i64, max: i64, currency: &str, period: &str) -> String {
    let per = match period {
        "year" | "annual" | "yearly" => t.per_year,
        "hour" | "hourly" => t.per_hour,
        "day" | "daily" => t.per_day,
        _ => t.per_month,
    };
    if min == max {
        format!("{currency} {} {per}", grouped(min))
    } else {
        format!("{currency} {}–{} {per}", grouped(min), grouped(max))
    }
}

/// Thousands separated by commas, as both jurisdictions write amounts.
fn grouped(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if amount < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

struct SkillLine {
    label: String,
    min_level: i32,
    required: bool,
}

struct RouteLine {
    name: String,
    status: &'static str,
    tone: &'static str,
    explanation: String,
}

#[derive(Template)]
#[template(path = "web/job.html")]
struct JobPage<'a> {
    page: &'a Page,
    t: &'static SeekerTexts,
    job: JobView,
    place: String,
    employment_type: &'static str,
    pay: String,
    paragraphs: Vec<String>,
    skills: Vec<SkillLine>,
    qualification: Option<String>,
    /// For a signed-in candidate: what each of their qualifications counts for here.
    resolutions: Option<Vec<ResolutionView>>,
    routes: Option<Vec<RouteLine>>,
    can_apply: bool,
    applied: bool,
    /// Applying needs a cross-border consent to the job's jurisdiction first.
    needs_consent: bool,
    jurisdiction_name: String,
    cover_letter: String,
    errors: FormErrors,
}

async fn job(page: Page, id: web::Path<String>) -> HttpResponse {
    let html = job_page(&page, id.into_inner(), String::new(), FormErrors::default()).await;
    page.respond(html)
}

async fn job_page(
    page: &Page,
    id: String,
    cover_letter: String,
    errors: FormErrors,
) -> Result<String, AppError> {
    let state = page.state();
    let t = SeekerTexts::of(page.locale);
    let job = jobs::service::get(state, page.viewer.clone(), id).await?;
    let registry = state.registry.get();
    let jurisdiction = job.jurisdiction.clone().unwrap_or_default();
    let candidate = page.viewer.as_ref().filter(|v| v.role == Role::Candidate);
    let (resolutions, routes, applied, needs_consent) = match candidate {
        Some(user) => {
            let (credentials, _) = candidates::holdings::own_holdings(state, user.id.clone()).await?;
            let resolutions = credentials
                .iter()
                .filter_map(|c| {
                    crate::registry::routes::resolution(
                        &registry,
                        &c.qualification_id,
                        &jurisdiction,
                        page.locale,
                    )
                    .ok()
                })
                .collect();
            let query = RoutesQuery {
                to: jurisdiction.clone(),
                job_id: Some(job.id.clone()),
            };
            // No profile yet is an answer here, not an error: the page says what to do.
            let routes = eligibility::routes(state, user, Whose::Me, query, page.locale)
                .await
                .ok()
                .map(|answer| answer.items.iter().take(4).map(|r| route_line(t, r)).collect());
            let applied = applications::service::list(
                state,
                user,
                Paging {
                    limit: 100,
                    offset: 0,
                },
            )
            .await
            .map(|(seen, _)| seen.iter().any(|s| s.application.job_id == job.id))
            .unwrap_or(false);
            (
                Some(resolutions),
                routes,
                applied,
                needs_consent(page, &jurisdiction).await?,
            )
        }
        None => (None, None, false, false),
    };
    let skills = job
        .skills
        .iter()
        .map(|s| SkillLine {
            label: registry
                .skill(&s.skill_id)
                .map(|k| k.labels.get(page.locale).to_string())
                .unwrap_or_else(|| s.skill_id.clone()),
            min_level: s.min_level,
            required: s.required,
        })
        .collect();
    let qualification = job.qualification.as_ref().and_then(|q| {
        q.qualification_id
            .as_ref()
            .and_then(|id| registry.qualifications.get(id))
            .map(|q| q.title().get(page.locale).to_string())
            .or_else(|| {
                q.min_level
                    .as_ref()
                    .and_then(|id| registry.levels.get(id))
                    .map(|level| level_name(level).get(page.locale).to_string())
            })
    });
    let template = JobPage {
        page,
        t,
        place: place(page, &registry, &job.location_id, job.jurisdiction.as_deref()),
        employment_type: employment_type(t, &job.employment_type),
        pay: pay(
            t,
            job.salary_min,
            job.salary_max,
            &job.salary_currency,
            &job.salary_period,
        ),
        paragraphs: job
            .description
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect(),
        skills,
        qualification,
        can_apply: job.status == jobs::status::JobStatus::Open,
        job,
        resolutions,
        routes,
        applied,
        needs_consent,
        jurisdiction_name: choices::jurisdiction_name(&registry, page.locale, &jurisdiction),
        cover_letter,
        errors,
    };
    render(&template)
}

/// Whether applying here would share the reader's profile across the boundary without their
/// consent (the applications area refuses it; the page offers the consent first).
async fn needs_consent(page: &Page, jurisdiction: &str) -> Result<bool, AppError> {
    let Some(user) = page.viewer.as_ref() else {
        return Ok(false);
    };
    let state = page.state();
    let profile = match candidates::profile::own(state, user.id.clone(), page.locale).await {
        Ok(profile) => profile,
        Err(AppError::NotFound) => return Ok(false),
        Err(e) => return Err(e),
    };
    if profile.residence_jurisdiction == jurisdiction {
        return Ok(false);
    }
    let consents = candidates::consents::list(state, user.id.clone()).await?;
    Ok(!consents
        .iter()
        .any(|c| c.is_active() && c.to_jurisdiction == jurisdiction))
}

fn route_line(t: &SeekerTexts, route: &RouteView) -> RouteLine {
    use crate::eligibility::finder::RouteStatus;
    let (status, tone) = match route.status {
        RouteStatus::AlreadyAuthorised => (t.route_already_authorised, "good"),
        RouteStatus::Eligible => (t.route_eligible, "good"),
        RouteStatus::Possible => (t.route_possible, "warn"),
        RouteStatus::NotEligible => (t.route_not_eligible, "bad"),
    };
    RouteLine {
        name: route.name.clone(),
        status,
        tone,
        explanation: route.explanation.clone(),
    }
}

#[derive(Deserialize)]
struct ApplyForm {
    #[serde(default)]
    cover_letter: String,
}

async fn apply(page: Page, id: web::Path<String>, form: Posted<ApplyForm>) -> HttpResponse {
    let id = id.into_inner();
    let (form, user) = match page.signed_in_with(form) {
        Ok(sent) => sent,
        Err(e) => return page.fail(e),
    };
    let letter = Some(form.cover_letter.trim().to_string()).filter(|l| !l.is_empty());
    match applications::service::apply(page.state(), &user, id.clone(), letter).await {
        Ok(_) => page.redirect(&format!("/me?applied={}#applications", encode(&id))),
        Err(AppError::Validation(errors)) => {
            let html = job_page(&page, id, form.cover_letter, page.form_errors(errors)).await;
            page.respond_with(StatusCode::UNPROCESSABLE_ENTITY, html)
        }
        Err(AppError::Conflict(why)) => {
            let errors = page.form_errors(vec![FieldError::new("application", why)]);
            let html = job_page(&page, id, form.cover_letter, errors).await;
            page.respond_with(StatusCode::CONFLICT, html)
        }
        Err(e) => page.fail(e),
    }
}

#[derive(Deserialize)]
struct AlertForm {
    #[serde(flatten)]
    search: SearchForm,
    #[serde(default)]
    frequency: String,
}

/// Saves the search as it stands as an alert: the same words and filters, checked by the
/// alerts area as the API checks them.
async fn save_alert(page: Page, form: Posted<AlertForm>) -> HttpResponse {
    let (form, user) = match page.signed_in_with(form) {
        Ok(sent) => sent,
        Err(e) => return page.fail(e),
    };
    let (filters, _) = match form.search.filters() {
        Ok(parsed) => parsed,
        Err(errors) => return page.fail(AppError::Validation(errors)),
    };
    let input = SavedSearchInput {
        query: filters.q,
        filters: Some(FiltersInput {
            jurisdiction: filters.jurisdiction,
            location_id: filters.location_id,
            skill_id: filters.skill_id,
            employment_type: filters.employment_type,
            sponsorship: filters.sponsorship,
            salary_min: filters.salary_min,
            salary_currency: filters.salary_currency,
            posted_since: None,
        }),
        frequency: form.frequency,
    };
    let state = page.state();
    match alerts::service::create(state, &state.search, &user, input).await {
        Ok(_) => page.redirect("/me#saved-searches"),
        Err(e) => page.fail(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(30000), "30,000");
        assert_eq!(grouped(1234567), "1,234,567");
        assert_eq!(grouped(-45000), "-45,000");
    }

    #[test]
    fn a_mistyped_amount_is_named_and_a_facet_link_keeps_the_other_filters() {
        let form = SearchForm {
            q: "軟件工程師".into(),
            salary_min: "lots".into(),
            ..SearchForm::default()
        };
        let errors = form.filters().unwrap_err();
        assert_eq!(errors[0].field, "salary_min");

        let form = SearchForm {
            q: "rust".into(),
            jurisdiction: "HK".into(),
            offset: "40".into(),
            ..SearchForm::default()
        };
        let (filters, offset) = form.filters().unwrap();
        assert_eq!((filters.q.as_deref(), offset), (Some("rust"), 40));
        assert_eq!(filters.salary_currency, None, "a currency alone filters nothing");
        assert_eq!(
            form.with("employment_type", "contract"),
            "/jobs?q=rust&jurisdiction=HK&employment_type=contract"
        );
        assert_eq!(form.with("jurisdiction", ""), "/jobs?q=rust");
    }
}
