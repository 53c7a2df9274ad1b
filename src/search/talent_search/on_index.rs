//! Talent search on the candidates index. The consent rule is part of the query
//! (`candidates::visibility::Audience`): a candidate an employer may not see is never a hit, not
//! even in the total or the facets.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::Term;
use tantivy::query::{BooleanQuery, EmptyQuery, Occur, Query};
use utoipa::ToSchema;

use crate::candidates::visibility::Audience;
use crate::error::AppError;
use crate::paging::Page;
use crate::search::Search;
use crate::search::query::{
    self, FacetTriple, HighlightPair, TextField, narrowing, parse_text, run, term, words_within_facets,
};

const HEADLINE_BOOST: f32 = 3.0;
const SKILLS_BOOST: f32 = 2.0;

#[derive(Debug, Default, Clone)]
pub struct TalentQuery {
    pub text: Option<String>,
    pub skill_id: Option<String>,
    /// Where the candidate lives.
    pub jurisdiction: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct TalentHighlights {
    pub headline: Option<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct TalentFacets {
    pub jurisdiction: BTreeMap<String, u64>,
    pub skills: BTreeMap<String, u64>,
    pub languages: BTreeMap<String, u64>,
}

impl HighlightPair for TalentHighlights {
    fn from_pair([headline, summary]: [Option<String>; 2]) -> Self {
        TalentHighlights { headline, summary }
    }
}

impl FacetTriple for TalentFacets {
    const ROOTS: [&'static str; 3] = ["jurisdiction", "skill", "language"];
    fn from_triple([jurisdiction, skills, languages]: [BTreeMap<String, u64>; 3]) -> Self {
        TalentFacets {
            jurisdiction,
            skills,
            languages,
        }
    }
}

pub type TalentFound = query::Found<TalentHighlights, TalentFacets>;

/// Blocking: call it on the blocking pool.
pub fn search(
    search: &Search,
    query: &TalentQuery,
    audience: &Audience,
    page: Page,
) -> Result<TalentFound, AppError> {
    let fields = &search.candidate_fields;
    // One index for the whole search, even if a rebuilt one is swapped in meanwhile.
    let index = search.candidates();
    // The names `q` may use (`headline:engineer`), as the API documents them for `q`; the
    // consent rule's fields are not among them.
    let text_fields = [
        TextField::new("headline", fields.headline_words, HEADLINE_BOOST)
            .as_written(fields.headline, fields.headline_edits),
        TextField::new("skills", fields.skills_text, SKILLS_BOOST),
        TextField::new("summary", fields.summary_words, 1.0).as_written(fields.summary, fields.summary_edits),
    ];
    let text = parse_text(&index.index, query.text.as_deref(), &text_fields)?;
    let mut clauses = words_within_facets(
        &index,
        text.matching,
        [
            ("skill", fields.skill_id, &query.skill_id),
            ("jurisdiction", fields.residence, &query.jurisdiction),
            ("language", fields.language, &query.language),
        ],
    );
    clauses.push((Occur::Must, audience_filter(search, audience)));
    let query = BooleanQuery::new(clauses);

    run(
        &index,
        &query,
        &*text.words,
        page,
        fields.id,
        [text_fields[0], text_fields[2]],
        None,
    )
}

/// The consent rule as a query: visible to employers, and living in or consenting to one of the
/// reader's jurisdictions.
pub(crate) fn audience_filter(search: &Search, audience: &Audience) -> Box<dyn Query> {
    let fields = &search.candidate_fields;
    match audience {
        Audience::Everyone => Box::new(tantivy::query::AllQuery),
        Audience::Nobody => Box::new(EmptyQuery),
        Audience::Employers(jurisdictions) => {
            let reachable: Vec<(Occur, Box<dyn Query>)> = jurisdictions
                .iter()
                .flat_map(|j| {
                    [
                        (Occur::Should, term(Term::from_field_text(fields.residence, j))),
                        (Occur::Should, term(Term::from_field_text(fields.consented_to, j))),
                    ]
                })
                .collect();
            narrowing(Box::new(BooleanQuery::new(vec![
                (
                    Occur::Must,
                    term(Term::from_field_text(fields.visibility, "employers")),
                ),
                (Occur::Must, Box::new(BooleanQuery::new(reachable))),
            ])))
        }
    }
}
