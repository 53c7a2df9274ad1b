//! The pool of hits a match ranks: the index finds the jobs (or candidates) that share skills and
//! words with the other side, within the filters that must hold, and hands back their stored
//! facts with a text relevance — no database row is read here.

use serde::de::DeserializeOwned;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::candidates::visibility::Audience;
use crate::error::AppError;
use crate::search::Search;
use crate::search::best_scored::best_within;
use crate::search::index::SearchIndex;
use crate::search::query::{on_or_after, term, unexpected};
use crate::search::schema::facts::{CandidateFacts, JobFacts};

/// How many hits the index hands to the formula: enough that the best matches by the formula are
/// among the best by skills and words, few enough to score in well under a millisecond.
pub const POOL: usize = 200;
/// Words of free text used to find hits (a long summary adds noise, not recall).
const MAX_WORDS: usize = 32;
const SKILL_BOOST: f32 = 2.0;

/// One hit with its facts and its relevance relative to the best hit of the pool (0 to 1).
#[derive(Debug, Clone)]
pub struct Pooled<F> {
    pub facts: F,
    pub relevance: f64,
}

/// Open jobs for a candidate: in the jurisdictions they want (any, when they named none), found by
/// the skills they hold and the words of their headline.
pub fn jobs_for(
    search: &Search,
    candidate: &CandidateFacts,
    headline: &str,
    now: chrono::NaiveDateTime,
) -> Result<Vec<Pooled<JobFacts>>, AppError> {
    let fields = &search.job_fields;
    let mut filters = vec![on_or_after(fields.expires_at, now)];
    if !candidate.desired_jurisdictions.is_empty() {
        filters.push(any_of(fields.jurisdiction, &candidate.desired_jurisdictions));
    }
    let skills = candidate
        .skills
        .iter()
        .map(|s| (s.skill_id.as_str(), SKILL_BOOST));
    let index = search.jobs();
    let signals = signals(
        fields.skill_id,
        skills,
        &[(fields.title_words, 2.0), (fields.skills_text, 1.0)],
        headline,
    );
    pool(&index, filters, signals, fields.facts)
}

/// Candidates for a job, among those `audience` may see (the consent rule, in the query): found
/// by the job's skills (required ones weigh more) and the words of its title.
pub fn candidates_for(
    search: &Search,
    job: &JobFacts,
    title: &str,
    audience: &Audience,
) -> Result<Vec<Pooled<CandidateFacts>>, AppError> {
    let fields = &search.candidate_fields;
    let filters = vec![crate::search::talent_search::on_index::audience_filter(
        search, audience,
    )];
    let skills = job.skills.iter().map(|s| {
        let boost = if s.required { SKILL_BOOST } else { 1.0 };
        (s.skill_id.as_str(), boost)
    });
    let index = search.candidates();
    let signals = signals(
        fields.skill_id,
        skills,
        &[(fields.headline_words, 2.0), (fields.skills_text, 1.0)],
        title,
    );
    pool(&index, filters, signals, fields.facts)
}

/// Runs signals (which score) within filters (which do not) and parses each hit's stored facts.
/// A hit shares at least one signal with the other side: the signals are one disjunction, so a
/// search walks the records that share a skill or a word, not every record the filters let
/// through, and skips those that cannot reach the pool (`best_scored`). Without any signal (no
/// skills, no words) the pool is whatever the filters let through.
fn pool<F: DeserializeOwned>(
    index: &SearchIndex,
    filters: Vec<Box<dyn Query>>,
    signals: Vec<Box<dyn Query>>,
    facts_field: Field,
) -> Result<Vec<Pooled<F>>, AppError> {
    let any_signal: Box<dyn Query> = if signals.is_empty() {
        Box::new(AllQuery)
    } else {
        Box::new(BooleanQuery::new(
            signals
                .into_iter()
                .map(|signal| (Occur::Should, signal))
                .collect(),
        ))
    };
    let searcher = index.reader.searcher();
    let top = best_within(&searcher, any_signal.as_ref(), filters, POOL).map_err(unexpected)?;
    let best = top.first().map_or(0.0, |(score, _)| *score);
    let mut pooled = Vec::with_capacity(top.len());
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address).map_err(unexpected)?;
        let Some(facts) = doc
            .get_first(facts_field)
            .and_then(|v| v.as_str())
            .and_then(|json| serde_json::from_str(json).ok())
        else {
            continue;
        };
        let relevance = if best > 0.0 { f64::from(score / best) } else { 0.0 };
        pooled.push(Pooled { facts, relevance });
    }
    Ok(pooled)
}

/// One scoring clause per skill id and per analysed word of `text` in each weighted field.
fn signals<'a>(
    skill_field: Field,
    skills: impl Iterator<Item = (&'a str, f32)>,
    text_fields: &[(Field, f32)],
    text: &str,
) -> Vec<Box<dyn Query>> {
    let mut signals: Vec<Box<dyn Query>> = skills
        .map(|(id, boost)| boosted(term(Term::from_field_text(skill_field, id)), boost))
        .collect();
    // The words the index holds for `text` (indexing's own analyzer also hands pairs over to
    // the fields of pairs, which no signal reads).
    let mut analyzer = crate::search::schema::analysis::analyzer();
    let mut words: Vec<String> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() && words.len() < MAX_WORDS {
        let word = &stream.token().text;
        if !words.contains(word) {
            words.push(word.clone());
        }
    }
    for (field, boost) in text_fields {
        for word in &words {
            let query = TermQuery::new(Term::from_field_text(*field, word), IndexRecordOption::WithFreqs);
            signals.push(boosted(Box::new(query), *boost));
        }
    }
    signals
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if boost == 1.0 {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

fn any_of(field: Field, values: &[String]) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        values
            .iter()
            .map(|value| (Occur::Should, term(Term::from_field_text(field, value))))
            .collect(),
    ))
}
