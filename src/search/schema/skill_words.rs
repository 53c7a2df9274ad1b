//! The words a document carries for each of its skills: the skill's labels in the three scripts
//! and its aliases as one joined text (`joined_values`), leaving out each value whose words are
//! exactly those of a value before it. Folded and rewritten by the vocabulary, a skill's
//! Traditional label is mostly its Simplified one (集成電路設計, 集成电路设计), and so are many
//! aliases (積體電路設計, 芯片設計 / 芯片设计): over the registry's 438 skills, 3,535 values make
//! 2,464 distinct ones and 8,470 terms 5,547. Each value has its own run of positions, so a
//! phrase or a pair never spans two, and a value repeated finds no document the first did not;
//! yet every job and candidate carried the repeats, and the skills' text was the largest field
//! of the jobs index (bench/changes.md). Only the skill's term frequencies and its field's
//! length, which BM25 scores by, change.

use std::collections::HashMap;

use tantivy::TantivyDocument;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

use crate::registry::Registry;
use crate::registry::snapshot::Skill;
use crate::search::schema::analysis::{analyzer, tokens_of};
use crate::search::schema::joined_values;

/// Each skill's joined words, worked out the first time a document has the skill. Kept by a
/// writer for one registry: a rebuild for all its pages, the indexer for a batch.
pub struct SkillWords {
    /// The registry version the texts were worked out for; another empties the memory.
    version: i64,
    joined: HashMap<String, String>,
    analyzer: TextAnalyzer,
}

impl Default for SkillWords {
    fn default() -> Self {
        SkillWords {
            version: i64::MIN,
            joined: HashMap::new(),
            analyzer: analyzer(),
        }
    }
}

impl SkillWords {
    /// Adds the words of `skill`, of `registry`, to each of `fields` of `doc`.
    pub fn add(&mut self, doc: &mut TantivyDocument, fields: &[Field], registry: &Registry, skill: &Skill) {
        if self.version != registry.version {
            self.joined.clear();
            self.version = registry.version;
        }
        if !self.joined.contains_key(&skill.id) {
            let words = distinct_values(&mut self.analyzer, skill);
            self.joined.insert(skill.id.clone(), words);
        }
        let words = &self.joined[&skill.id];
        for &field in fields {
            doc.add_text(field, words);
        }
    }
}

/// A word as a value's terms hold it: a phrase and a pair are matched by the text, the position
/// and the length in positions of each (see `pairs::adjacent_pairs`), nothing else.
type Term = (String, usize, usize);

/// The skill's labels and aliases joined, each value whose terms a value before it already has,
/// at the same positions, left out.
fn distinct_values(analyzer: &mut TextAnalyzer, skill: &Skill) -> String {
    let labels = [&skill.labels.en, &skill.labels.zh_hans, &skill.labels.zh_hant];
    let mut seen: Vec<Vec<Term>> = Vec::new();
    let mut kept = Vec::new();
    for value in labels.into_iter().chain(&skill.aliases) {
        let terms: Vec<Term> = tokens_of(analyzer, value)
            .into_iter()
            .map(|token| (token.text, token.position, token.position_length))
            .collect();
        if !seen.contains(&terms) {
            seen.push(terms);
            kept.push(value.as_str());
        }
    }
    joined_values::join(kept)
}

#[cfg(test)]
mod tests {
    use tantivy::collector::Count;
    use tantivy::query::QueryParser;
    use tantivy::schema::{Schema, Value};
    use tantivy::{Index, IndexWriter};

    use super::*;
    use crate::i18n::LocalizedText;
    use crate::search::schema::{analyzed_text, register_analyzers, register_query_analyzers};

    fn skill(en: &str, hans: &str, hant: &str, aliases: &[&str]) -> Skill {
        Skill {
            id: "ic-design".into(),
            category_id: "electronics".into(),
            labels: LocalizedText {
                en: en.into(),
                zh_hans: hans.into(),
                zh_hant: hant.into(),
            },
            aliases: aliases.iter().map(|alias| (*alias).to_owned()).collect(),
        }
    }

    fn integrated_circuits() -> Skill {
        skill(
            "Integrated circuit design",
            "集成电路设计",
            "集成電路設計",
            &[
                "積體電路設計",
                "IC design",
                "芯片設計",
                "芯片设计",
                "IC設計",
                "IC设计",
            ],
        )
    }

    #[test]
    fn a_value_with_the_words_of_one_before_is_left_out() {
        let joined = distinct_values(&mut analyzer(), &integrated_circuits());
        let values: Vec<&str> = joined.split('\u{1F}').skip(1).collect();
        assert_eq!(
            values,
            [
                "Integrated circuit design",
                "集成电路设计",
                "IC design",
                "芯片設計",
                "IC設計"
            ],
            "the Traditional label, 積體電路 (the vocabulary's Taiwan form) and the other scripts' \
             repeats are left out"
        );
    }

    #[test]
    fn a_value_with_other_words_or_places_stays() {
        let chips = skill(
            "Chip design",
            "芯片设计",
            "晶片設計",
            &["芯片设计工程师", "CHIP  design"],
        );
        let joined = distinct_values(&mut analyzer(), &chips);
        let values: Vec<&str> = joined.split('\u{1F}').skip(1).collect();
        assert_eq!(
            values,
            ["Chip design", "芯片设计", "芯片设计工程师", "CHIP  design"],
            "晶片設計 is 芯片设计 in the vocabulary; case is folded, but two spaces move the word after them"
        );
    }

    #[test]
    fn another_registry_version_works_the_words_out_again() {
        let mut words = SkillWords::default();
        let mut schema = Schema::builder();
        let field = schema.add_text_field("skills_text", tantivy::schema::STORED);
        let mut registry = Registry::default();
        let mut doc = TantivyDocument::default();
        words.add(&mut doc, &[field], &registry, &integrated_circuits());
        registry.version += 1;
        let renamed = skill("Chip design", "芯片设计", "晶片設計", &[]);
        words.add(&mut doc, &[field], &registry, &renamed);
        let texts: Vec<&str> = doc.get_all(field).filter_map(|value| value.as_str()).collect();
        assert!(texts[0].contains("Integrated"), "{texts:?}");
        assert!(texts[1].starts_with("\u{1F}Chip design"), "{texts:?}");
    }

    /// Every query over the skill's words finds the document whether it carries every value or
    /// only the distinct ones: the words, a phrase, a pair, each script and the other side's.
    #[test]
    fn the_distinct_values_find_what_all_of_them_find() {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("skills_text", analyzed_text());
        let index = Index::create_in_ram(schema.build());
        register_analyzers(&index);
        let skill = integrated_circuits();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let labels = [&skill.labels.en, &skill.labels.zh_hans, &skill.labels.zh_hant];
        let every = joined_values::join(labels.into_iter().chain(&skill.aliases).map(String::as_str));
        let distinct = distinct_values(&mut analyzer(), &skill);
        for text in [&every, &distinct] {
            let mut doc = TantivyDocument::default();
            doc.add_text(field, text);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        register_query_analyzers(index.tokenizers());
        let parser = QueryParser::for_index(&index, vec![field]);
        let found = |query: &str| {
            searcher
                .search(&parser.parse_query(query).unwrap(), &Count)
                .unwrap()
        };
        for query in [
            "ic",
            "design",
            "\"circuit design\"",
            "集成电路",
            "積體電路",
            "芯片设计",
            "晶片",
            "設計",
            "\"integrated circuit\"",
            "ic设计",
            "Integrated",
        ] {
            assert_eq!(found(query), 2, "{query}: found by both texts");
        }
        for query in ["engineer", "\"design circuit\""] {
            assert_eq!(found(query), 0, "{query}: in neither text");
        }
    }
}
