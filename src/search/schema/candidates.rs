//! The candidates index: every candidate not erased, with what talent search matches on (text
//! in all scripts, skills, languages) and what the consent rule needs to be enforced inside the
//! query (residence, visibility, the jurisdictions consented to).

use tantivy::TantivyDocument;
use tantivy::schema::{Facet, FacetOptions, Field, STORED, STRING, Schema};

use crate::candidates::model::CandidateRecords;
use crate::money::Rates;
use crate::registry::Registry;
use crate::search::schema::analysis::add_highlighted_text;
use crate::search::schema::facts::CandidateFacts;
use crate::search::schema::skill_words::SkillWords;
use crate::search::schema::{analyzed_text, segmented_text};

#[derive(Debug, Clone)]
pub struct CandidateFields {
    pub id: Field,
    /// The headline and the summary as written (stored: highlights mark them).
    pub headline: Field,
    pub summary: Field,
    /// Their words, indexed from the text the document's builder folded and rewrote
    /// (`analysis::add_highlighted_text`).
    pub headline_words: Field,
    pub summary_words: Field,
    pub skills_text: Field,
    pub residence: Field,
    /// `private` or `employers`.
    pub visibility: Field,
    /// Jurisdictions with an active cross-border consent.
    pub consented_to: Field,
    pub skill_id: Field,
    pub language: Field,
    /// `/jurisdiction/CN`, `/skill/<id>`, `/language/<code>`.
    pub facets: Field,
    /// `CandidateFacts` as JSON: what matching scores, stored so a pool of hits reads no row.
    pub facts: Field,
    /// What the vocabulary rewrote in the headline and in the summary, when it rewrote anything
    /// (`Edits::stored`): highlights make these edits instead of folding the text.
    pub headline_edits: Field,
    pub summary_edits: Field,
}

pub fn schema() -> (Schema, CandidateFields) {
    let mut builder = Schema::builder();
    let fields = CandidateFields {
        id: builder.add_text_field("id", STRING | STORED),
        headline: builder.add_text_field("headline", STORED),
        summary: builder.add_text_field("summary", STORED),
        headline_words: builder.add_text_field("headline_words", segmented_text()),
        summary_words: builder.add_text_field("summary_words", segmented_text()),
        skills_text: builder.add_text_field("skills_text", analyzed_text()),
        residence: builder.add_text_field("residence", STRING),
        visibility: builder.add_text_field("visibility", STRING),
        consented_to: builder.add_text_field("consented_to", STRING),
        skill_id: builder.add_text_field("skill_id", STRING),
        language: builder.add_text_field("language", STRING),
        facets: builder.add_facet_field("facets", FacetOptions::default()),
        facts: builder.add_text_field("facts", STORED),
        headline_edits: builder.add_text_field("headline_edits", STORED),
        summary_edits: builder.add_text_field("summary_edits", STORED),
    };
    (builder.build(), fields)
}

pub fn document(
    fields: &CandidateFields,
    candidate: &CandidateRecords,
    registry: &Registry,
    skill_words: &mut SkillWords,
    rates: &Rates,
) -> TantivyDocument {
    let row = &candidate.row;
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &row.id);
    add_highlighted_text(
        &mut doc,
        &row.headline,
        fields.headline,
        &[fields.headline_words],
        fields.headline_edits,
    );
    add_highlighted_text(
        &mut doc,
        &row.summary,
        fields.summary,
        &[fields.summary_words],
        fields.summary_edits,
    );
    doc.add_text(fields.residence, &row.residence_jurisdiction);
    doc.add_text(fields.visibility, &row.visibility);
    let facts = CandidateFacts::of(candidate, rates);
    doc.add_text(fields.facts, serde_json::to_string(&facts).unwrap_or_default());
    doc.add_facet(
        fields.facets,
        Facet::from_path(["jurisdiction", row.residence_jurisdiction.as_str()]),
    );
    for jurisdiction in &candidate.consented_to {
        doc.add_text(fields.consented_to, jurisdiction);
    }
    for language in &candidate.languages {
        doc.add_text(fields.language, &language.code);
        doc.add_facet(
            fields.facets,
            Facet::from_path(["language", language.code.as_str()]),
        );
    }
    for held in &candidate.skills {
        doc.add_text(fields.skill_id, &held.skill_id);
        doc.add_facet(fields.facets, Facet::from_path(["skill", held.skill_id.as_str()]));
        if let Some(skill) = registry.skill(&held.skill_id) {
            skill_words.add(&mut doc, &[fields.skills_text], registry, skill);
        }
    }
    doc
}
