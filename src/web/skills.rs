//! Skills in the forms (a job's requirements, a profile's skills): the suggestions the script
//! asks for as a person types (`GET /suggest/skills?q=`), and the skill a typed name stands for
//! when the form is sent (with or without the script).

use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::i18n::Locale;
use crate::registry::Registry;
use crate::registry::snapshot::Skill;
use crate::state::AppState;
use crate::web::session::{ACCESS_COOKIE, LANGUAGE_COOKIE};

const MAX_QUERY_CHARS: usize = 100;
const SUGGESTIONS: usize = 10;

#[derive(Deserialize)]
pub struct SuggestQuery {
    q: Option<String>,
}

#[derive(Serialize)]
struct Suggestions {
    items: Vec<Suggestion>,
}

#[derive(Serialize)]
struct Suggestion {
    id: String,
    label: String,
}

/// `{items: [{id, label}]}`, labels in the page's language, best matches first. Signed-in
/// people only (the registry's reads are). The access cookie alone is read, never renewed: this
/// answer carries no cookies, so it must not rotate the session's refresh token; an expired
/// access token gets 401 and the script simply offers nothing until the next page renews it.
pub async fn suggest(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<SuggestQuery>,
) -> HttpResponse {
    let signed_in = req
        .cookie(ACCESS_COOKIE)
        .and_then(|c| state.jwt.verify(c.value()))
        .is_some();
    if !signed_in {
        return HttpResponse::Unauthorized()
            .insert_header((CACHE_CONTROL, "no-store"))
            .json(Suggestions { items: Vec::new() });
    }
    let locale = req
        .cookie(LANGUAGE_COOKIE)
        .and_then(|c| Locale::from_tag(c.value()))
        .unwrap_or_else(|| Locale::from_request(&req));
    let q = query.q.as_deref().unwrap_or("").trim();
    let items = if q.is_empty() || q.chars().count() > MAX_QUERY_CHARS {
        Vec::new()
    } else {
        state
            .registry
            .get()
            .search_skills(q, SUGGESTIONS)
            .into_iter()
            .map(|s| Suggestion {
                id: s.id.clone(),
                label: s.labels.get(locale).to_owned(),
            })
            .collect()
    };
    HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(Suggestions { items })
}

/// The skill a form names: the id the script chose when it still matches what is typed, else the
/// skill whose id, label (any script) or alias is what was typed. `None` when nothing is.
pub fn resolve<'r>(registry: &'r Registry, typed: &str, chosen_id: &str) -> Option<&'r Skill> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    if let Some(skill) = registry.skill(chosen_id.trim())
        && called(skill, typed)
    {
        return Some(skill);
    }
    if let Some(skill) = registry.skill(typed) {
        return Some(skill);
    }
    registry
        .search_skills(typed, SUGGESTIONS)
        .into_iter()
        .find(|skill| called(skill, typed))
}

/// Whether `typed` is the skill's id, one of its labels or an alias (case aside).
fn called(skill: &Skill, typed: &str) -> bool {
    let same = |name: &str| name.trim().to_lowercase() == typed.to_lowercase();
    same(&skill.id)
        || same(&skill.labels.en)
        || same(&skill.labels.zh_hans)
        || same(&skill.labels.zh_hant)
        || skill.aliases.iter().any(|a| same(a))
}
