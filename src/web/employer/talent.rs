//! `/employer/talent`: talent search. The talent search service decides whom the reader may
//! find (the consent rule is part of its query) and audits cross-border reads; this page only
//! asks and shows.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{EmployerTexts, employer_user, skills};
use crate::error::{AppError, FieldError};
use crate::paging::Page as Paging;
use crate::search::talent_search::on_index::TalentQuery;
use crate::search::talent_search::request::{self as talent, TalentHitView};
use crate::web::page::{FormErrors, Page, encode, render};
use crate::web::text::pick;

const PER_PAGE: u32 = 20;
/// The languages the form offers (a language the results carry is added).
const LANGUAGES: [&str; 3] = ["en", "cmn", "yue"];

/// The search form as sent: text throughout.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct TalentForm {
    q: String,
    skill: String,
    skill_id: String,
    jurisdiction: String,
    language: String,
    offset: String,
}

struct Choice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "web/employer/talent.html")]
struct TalentPage<'a> {
    page: &'a Page,
    t: &'static EmployerTexts,
    form: TalentForm,
    jurisdictions: Vec<Choice>,
    languages: Vec<Choice>,
    errors: FormErrors,
    total: usize,
    hits: Vec<TalentHitView>,
    previous: Option<String>,
    next: Option<String>,
}

pub(super) async fn search(page: Page, query: web::Query<TalentForm>) -> HttpResponse {
    match talent_page(&page, query.into_inner()).await {
        Ok((status, html)) => page.respond_with(status, Ok(html)),
        Err(e) => page.fail(e),
    }
}

async fn talent_page(page: &Page, form: TalentForm) -> Result<(StatusCode, String), AppError> {
    let user = employer_user(page)?;
    let ctx = page.state();
    let registry = ctx.registry.get();
    let mut errors = Vec::new();
    let skill_id = if form.skill.trim().is_empty() {
        None
    } else {
        match skills::resolve(&registry, &form.skill, &form.skill_id) {
            Some(skill) => Some(skill.id.clone()),
            None => {
                errors.push(FieldError::new(
                    "skill",
                    EmployerTexts::of(page.locale).unknown_skill,
                ));
                None
            }
        }
    };
    let offset = form.offset.trim().parse::<u32>().ok();
    let paging =
        Paging::of_search(Some(PER_PAGE), offset).unwrap_or_else(|_| Paging::new(Some(PER_PAGE), None));
    let query = TalentQuery {
        text: some(&form.q),
        skill_id,
        jurisdiction: some(&form.jurisdiction),
        language: some(&form.language),
    };
    let mut found = None;
    if errors.is_empty() {
        match talent::search_candidates(ctx, &ctx.search, &user, query, paging, page.locale).await {
            Ok(result) => found = Some(result),
            Err(AppError::Validation(problems)) => errors.extend(problems.into_iter().map(|p| {
                let field = if p.field == "skill_id" {
                    "skill".into()
                } else {
                    p.field
                };
                FieldError::new(field, p.message)
            })),
            // Malformed query syntax: said beside the words.
            Err(AppError::BadRequest { detail, .. }) => errors.push(FieldError::new("q", detail)),
            Err(e) => return Err(e),
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (total, hits) = match found {
        Some(result) => (result.total, result.hits),
        None => (0, Vec::new()),
    };
    let here = |offset: i64| {
        format!(
            "/employer/talent?q={}&skill={}&skill_id={}&jurisdiction={}&language={}&offset={offset}",
            encode(&form.q),
            encode(&form.skill),
            encode(&form.skill_id),
            encode(&form.jurisdiction),
            encode(&form.language),
        )
    };
    let previous = (paging.offset > 0).then(|| here((paging.offset - paging.limit).max(0)));
    let next = ((paging.offset + paging.limit) < total as i64).then(|| here(paging.offset + paging.limit));
    let t = EmployerTexts::of(page.locale);
    let locale = page.locale;
    let jurisdictions = registry
        .jurisdictions
        .iter()
        .map(|j| Choice {
            value: j.code.clone(),
            label: pick(locale, &j.name_en, &j.name_zh_hans, &j.name_zh_hant).to_owned(),
        })
        .collect();
    let mut codes: Vec<String> = LANGUAGES.iter().map(|c| (*c).to_owned()).collect();
    for hit in &hits {
        for language in &hit.candidate.languages {
            if !codes.contains(&language.code) {
                codes.push(language.code.clone());
            }
        }
    }
    let languages = codes
        .into_iter()
        .map(|code| Choice {
            label: match page.t.language(&code) {
                "" => code.clone(),
                name => name.to_owned(),
            },
            value: code,
        })
        .collect();
    let html = render(&TalentPage {
        page,
        t,
        form,
        jurisdictions,
        languages,
        errors: page.form_errors(errors),
        total,
        hits,
        previous,
        next,
    })?;
    Ok((status, html))
}

fn some(value: &str) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}
