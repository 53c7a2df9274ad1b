//! The jobs index: its schema (built in one place) and the document of one job. It holds open
//! jobs only; the text fields carry the job in every script it was written in plus the labels
//! and aliases of its skills in all three scripts, so a search in any of them finds it.

use chrono::NaiveDateTime;
use tantivy::schema::Value;
use tantivy::schema::{FAST, Facet, FacetOptions, Field, INDEXED, STORED, STRING, Schema};
use tantivy::{DateTime, TantivyDocument};

use crate::jobs::model::FullJob;
use crate::jobs::views::JobView;
use crate::money::{Rates, SalaryPeriod, monthly};
use crate::registry::Registry;
use crate::search::schema::analysis::{Given, add_highlighted_text};
use crate::search::schema::facts::JobFacts;
use crate::search::schema::skill_words::SkillWords;
use crate::search::schema::{analyzed_text, segmented_text, word_pairs};

/// 2200-01-01: the expiry of a job that does not expire (tantivy dates are nanoseconds in an
/// i64, which ends in 2262).
pub const NEVER_EXPIRES: i64 = 7_258_118_400;

/// The fields, resolved once.
#[derive(Debug, Clone)]
pub struct JobFields {
    pub id: Field,
    /// The title and the description as written (stored: what a page shows).
    pub title: Field,
    pub description: Field,
    /// The words of the title and of the description, indexed from the text the document's
    /// builder folded and rewrote (`analysis::add_highlighted_text`).
    pub title_words: Field,
    pub description_words: Field,
    pub skills_text: Field,
    pub employer_name: Field,
    pub jurisdiction: Field,
    pub location_id: Field,
    pub employment_type: Field,
    pub skill_id: Field,
    pub sponsorship: Field,
    pub published_at: Field,
    /// When the job stops being open; far in the future for jobs that do not expire. Searches
    /// exclude the past, so an expired job leaves the results without an event.
    pub expires_at: Field,
    /// The top of the salary range per month in the reference currency (see `money::Rates`).
    pub salary_max_monthly: Field,
    /// `/jurisdiction/HK`, `/employment_type/full_time`, `/skill/<id>`: one field for all facets.
    pub facets: Field,
    /// `JobFacts` as JSON: what matching scores, stored so a pool of hits reads no row.
    pub facts: Field,
    /// The job's `JobView` as JSON, without title and description (stored in their own
    /// fields): what a search page shows, so job search reads no row.
    pub view: Field,
    /// The pairs of adjacent Chinese words of each text field (see `schema::pairs`).
    pub title_pairs: Field,
    pub description_pairs: Field,
    pub skills_text_pairs: Field,
    pub employer_name_pairs: Field,
    /// What the vocabulary rewrote in the title and in the description, when it rewrote
    /// anything (`Edits::stored`): highlights make these edits instead of folding the text.
    pub title_edits: Field,
    pub description_edits: Field,
}

pub fn schema() -> (Schema, JobFields) {
    let mut builder = Schema::builder();
    let fields = JobFields {
        id: builder.add_text_field("id", STRING | STORED),
        title: builder.add_text_field("title", STORED),
        description: builder.add_text_field("description", STORED),
        title_words: builder.add_text_field("title_words", segmented_text()),
        description_words: builder.add_text_field("description_words", segmented_text()),
        skills_text: builder.add_text_field("skills_text", analyzed_text()),
        employer_name: builder.add_text_field("employer_name", analyzed_text()),
        jurisdiction: builder.add_text_field("jurisdiction", STRING),
        location_id: builder.add_text_field("location_id", STRING),
        employment_type: builder.add_text_field("employment_type", STRING),
        skill_id: builder.add_text_field("skill_id", STRING),
        sponsorship: builder.add_bool_field("sponsorship", INDEXED),
        published_at: builder.add_date_field("published_at", INDEXED | FAST),
        expires_at: builder.add_date_field("expires_at", INDEXED | FAST),
        salary_max_monthly: builder.add_u64_field("salary_max_monthly", INDEXED | FAST),
        facets: builder.add_facet_field("facets", FacetOptions::default()),
        facts: builder.add_text_field("facts", STORED),
        // Renamed when the stored view lost its title and description: an index holding the
        // older form is rebuilt when opened.
        view: builder.add_text_field("view_without_text", STORED),
        title_pairs: builder.add_text_field("title_pairs", word_pairs(Given::ReadyToSegment)),
        description_pairs: builder.add_text_field("description_pairs", word_pairs(Given::ReadyToSegment)),
        skills_text_pairs: builder.add_text_field("skills_text_pairs", word_pairs(Given::AsWritten)),
        employer_name_pairs: builder.add_text_field("employer_name_pairs", word_pairs(Given::AsWritten)),
        title_edits: builder.add_text_field("title_edits", STORED),
        description_edits: builder.add_text_field("description_edits", STORED),
    };
    (builder.build(), fields)
}

/// The document of an open job, as it is at `now`. Takes the job whole: its view is built from
/// it last, without a copy of its text (a rebuild writes a million of them).
pub fn document(
    fields: &JobFields,
    full: FullJob,
    registry: &Registry,
    skill_words: &mut SkillWords,
    rates: &Rates,
    now: NaiveDateTime,
) -> TantivyDocument {
    let job = &full.job;
    let jurisdiction = full.jurisdiction(registry).to_owned();
    let jurisdiction = jurisdiction.as_str();
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &job.id);
    add_highlighted_text(
        &mut doc,
        &job.title,
        fields.title,
        &[fields.title_words, fields.title_pairs],
        fields.title_edits,
    );
    add_highlighted_text(
        &mut doc,
        &job.description,
        fields.description,
        &[fields.description_words, fields.description_pairs],
        fields.description_edits,
    );
    doc.add_text(fields.employer_name, &full.employer_name);
    doc.add_text(fields.employer_name_pairs, &full.employer_name);
    doc.add_text(fields.jurisdiction, jurisdiction);
    doc.add_text(fields.location_id, &job.location_id);
    doc.add_text(fields.employment_type, &job.employment_type);
    let facts = JobFacts::of(&full, jurisdiction, rates);
    doc.add_text(fields.facts, serde_json::to_string(&facts).unwrap_or_default());
    doc.add_bool(fields.sponsorship, job.sponsorship);
    let published = job.published_at.unwrap_or(job.created_at).and_utc();
    doc.add_date(
        fields.published_at,
        DateTime::from_timestamp_secs(published.timestamp()),
    );
    let expires = job
        .expires_at
        .map(|at| at.and_utc().timestamp())
        .unwrap_or(NEVER_EXPIRES);
    doc.add_date(fields.expires_at, DateTime::from_timestamp_secs(expires));
    if let Some(period) = SalaryPeriod::parse(&job.salary_period)
        && let Some(top) = rates.to_reference(monthly(job.salary_max, period), &job.salary_currency)
    {
        doc.add_u64(fields.salary_max_monthly, top);
    }
    doc.add_facet(fields.facets, Facet::from_path(["jurisdiction", jurisdiction]));
    doc.add_facet(
        fields.facets,
        Facet::from_path(["employment_type", job.employment_type.as_str()]),
    );
    for requirement in &full.skills {
        doc.add_text(fields.skill_id, &requirement.skill_id);
        doc.add_facet(
            fields.facets,
            Facet::from_path(["skill", requirement.skill_id.as_str()]),
        );
        if let Some(skill) = registry.skill(&requirement.skill_id) {
            skill_words.add(
                &mut doc,
                &[fields.skills_text, fields.skills_text_pairs],
                registry,
                skill,
            );
        }
    }
    doc.add_text(fields.view, stored_view(full, registry, now));
    doc
}

/// Where a job's view, serialised with its title and description emptied, has them: right after
/// the employer, whose own fields hold neither key. The stored view leaves them out.
const EMPTY_TEXT: &str = r#","title":"","description":"""#;

/// The view without its title and description, as JSON.
fn stored_view(mut full: FullJob, registry: &Registry, now: NaiveDateTime) -> String {
    full.job.title.clear();
    full.job.description.clear();
    let view = JobView::new(full, registry, now);
    without_text(&serde_json::to_string(&view).unwrap_or_default())
}

fn without_text(view_json: &str) -> String {
    view_json.replacen(EMPTY_TEXT, "", 1)
}

/// Appends the view a document stores to `json`, with its title and description put back by
/// splicing rather than by parsing and writing it again (a search page is twenty of them).
/// `false`, with nothing appended, for a document without one, which only an index written by a
/// faulty indexer could hold.
pub fn write_view_json(fields: &JobFields, doc: &TantivyDocument, json: &mut Vec<u8>) -> bool {
    let text = |field| doc.get_first(field).and_then(|value| value.as_str());
    match (text(fields.view), text(fields.title), text(fields.description)) {
        (Some(stored), Some(title), Some(description)) => with_text(stored, title, description, json),
        _ => false,
    }
}

fn with_text(stored: &str, title: &str, description: &str, json: &mut Vec<u8>) -> bool {
    let Some(rest) = stored.strip_prefix('{') else {
        return false;
    };
    json.reserve(stored.len() + title.len() + description.len() + 32);
    json.extend_from_slice(br#"{"title":"#);
    // Writing a `str` into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *json, title);
    json.extend_from_slice(br#","description":"#);
    let _ = serde_json::to_writer(&mut *json, description);
    json.push(b',');
    json.extend_from_slice(rest.as_bytes());
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(title: &str, description: &str) -> JobView {
        let mut view: JobView = serde_json::from_value(serde_json::json!({
            "id": "j1", "employer_id": "e1",
            "employer": {"id": "e1", "name": "A \"title\":\"\" Ltd", "jurisdiction": "HK", "verified": true},
            "title": "", "description": "", "location_id": "hk-central", "jurisdiction": "HK",
            "employment_type": "full_time", "salary_min": 30000, "salary_max": 40000,
            "salary_currency": "HKD", "salary_period": "month",
            "skills": [{"skill_id": "rust", "min_level": 3, "required": true}],
            "qualification": null, "languages": [], "sponsorship": false, "status": "open",
            "expires_at": null, "published_at": "2026-12-01T00:00:00Z", "closed_at": null,
            "created_at": "2026-11-30T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z"
        }))
        .unwrap();
        view.title = title.into();
        view.description = description.into();
        view
    }

    #[test]
    fn the_spliced_view_is_the_view_with_its_text() {
        let (title, description) = ("軟件工程師 \"lead\"", "Line one\nline two: {\"x\": 1}");
        let stored = without_text(&serde_json::to_string(&view("", "")).unwrap());
        assert!(!stored.contains(r#""title""#), "{stored}");
        let mut json = b"[".to_vec();
        assert!(with_text(&stored, title, description, &mut json));
        json.push(b']');
        let spliced: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(spliced, serde_json::json!([view(title, description)]));
        let mut untouched = b"[".to_vec();
        assert!(!with_text("not a view", title, description, &mut untouched));
        assert_eq!(untouched, b"[", "nothing appended for a document without a view");
    }
}
