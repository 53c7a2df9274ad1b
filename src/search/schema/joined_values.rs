//! Several values of a text field handed to the index as one text. A skill is found by its
//! labels in three scripts and its aliases (eight texts on average), and every job and candidate
//! carries about three skills, twice (the words and their pairs). As separate values, each text
//! was one more value for tantivy to sort, box a token stream for and look up in the analyzer's
//! memory; joined, a skill's words are one lookup per field. They are analysed as tantivy
//! places separate values, each value's positions starting one past the end of the one before,
//! so the index holds the same terms at the same positions either way, and no pair of words
//! (`pairs`) spans two values.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use crate::search::schema::tokens::Tokens;

/// Begins each value of a joined text: a control character, which labels, aliases and names do
/// not hold. One that did would only have its words' positions moved by a gap where it stands.
const VALUE_MARK: char = '\u{1F}';

/// tantivy's gap between two values of one field (`POSITION_GAP` in its postings writer).
const POSITION_GAP: usize = 1;

/// `values` as one text that `each_value` analyses value by value.
pub fn join<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut joined = String::new();
    for value in values {
        joined.push(VALUE_MARK);
        joined.push_str(value);
    }
    joined
}

/// Whether `text` was made by `join`.
pub fn is_joined(text: &str) -> bool {
    text.starts_with(VALUE_MARK)
}

/// `chain`, reading a joined text as the separate values it joins; any other text as it is.
pub fn each_value(chain: TextAnalyzer) -> TextAnalyzer {
    TextAnalyzer::from(EachValue {
        chain,
        tokens: Vec::new(),
    })
}

#[derive(Clone)]
struct EachValue {
    chain: TextAnalyzer,
    tokens: Vec<Token>,
}

impl Tokenizer for EachValue {
    type TokenStream<'a> = Tokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        if !is_joined(text) {
            return Tokens::Analysed(self.chain.token_stream(text));
        }
        self.tokens.clear();
        // Where the value's positions and offsets start in the joined text.
        let (mut position, mut offset) = (0, 0);
        for value in text[VALUE_MARK.len_utf8()..].split(VALUE_MARK) {
            offset += VALUE_MARK.len_utf8();
            let mut end = position;
            let mut stream = self.chain.token_stream(value);
            while stream.advance() {
                let mut token = stream.token().clone();
                token.position += position;
                token.offset_from += offset;
                token.offset_to += offset;
                end = end.max(token.position + token.position_length);
                self.tokens.push(token);
            }
            position = end + POSITION_GAP;
            offset += value.len();
        }
        Tokens::replaying(&mut self.tokens)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::postings::Postings;
    use tantivy::schema::{Field, IndexRecordOption};
    use tantivy::{DocSet, Index, TERMINATED, TantivyDocument, Term};

    use super::*;
    use crate::search::schema::analysis::{Given, chain_of, tokens_of};
    use crate::search::schema::jobs::JobFields;
    use crate::search::schema::register_analyzers;

    const VALUES: [&str; 6] = [
        "Integrated circuit design",
        "集成电路设计",
        "",
        "積體電路設計工程師",
        "IC design engineer",
        "芯片設計",
    ];

    /// A term's frequency and positions in each document holding it (no positions in a field
    /// without them).
    type InDocs = Vec<(u32, Vec<u32>)>;

    /// Every term of `field` in the documents of `index`, where it is.
    fn postings(index: &Index, field: Field) -> Vec<(String, InDocs)> {
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let inverted = segment.inverted_index(field).unwrap();
        let mut terms = inverted.terms().stream().unwrap();
        let mut found = Vec::new();
        while terms.advance() {
            let term = Term::from_field_bytes(field, terms.key());
            let mut postings = inverted
                .read_postings(&term, IndexRecordOption::WithFreqsAndPositions)
                .unwrap()
                .unwrap();
            let mut in_docs = Vec::new();
            while postings.doc() != TERMINATED {
                let mut positions = Vec::new();
                postings.positions(&mut positions);
                in_docs.push((postings.term_freq(), positions));
                postings.advance();
            }
            found.push((String::from_utf8(terms.key().to_vec()).unwrap(), in_docs));
        }
        found
    }

    /// The jobs index, written as `reindex` writes it, with documents whose skills' words are
    /// `skills`, each given as separate values or joined.
    fn jobs_index(skills: &[&[&str]], joined: bool) -> (Index, JobFields) {
        let (schema, fields) = crate::search::schema::jobs::schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Twice: the second time the analyzers' memory answers.
        for _ in 0..2 {
            let mut doc = TantivyDocument::default();
            for values in skills {
                for field in [fields.skills_text, fields.skills_text_pairs] {
                    if joined {
                        doc.add_text(field, join(values.iter().copied()));
                    } else {
                        for value in *values {
                            doc.add_text(field, value);
                        }
                    }
                }
            }
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, fields)
    }

    #[test]
    fn joined_values_are_indexed_as_the_separate_values() {
        let skills: [&[&str]; 2] = [&VALUES, &["數據分析", "Data analysis", "大數據分析師"]];
        let (separate, fields) = jobs_index(&skills, false);
        let (joined, _) = jobs_index(&skills, true);
        for field in [fields.skills_text, fields.skills_text_pairs] {
            let expected = postings(&separate, field);
            assert!(expected.len() > 5, "{expected:?}");
            assert_eq!(postings(&joined, field), expected);
        }
        let pairs = postings(&joined, fields.skills_text_pairs);
        assert!(pairs.iter().any(|(pair, _)| pair == "芯片 设计"), "{pairs:?}");
    }

    #[test]
    fn a_joined_texts_offsets_fall_in_its_values() {
        let text = join(VALUES);
        let tokens = tokens_of(&mut each_value(chain_of(Given::AsWritten)), &text);
        let words: Vec<&str> = tokens
            .iter()
            .map(|token| &text[token.offset_from..token.offset_to])
            .collect();
        assert!(
            words.contains(&"Integrated") && words.iter().any(|word| word.contains("芯片")),
            "{words:?}"
        );
        assert!(words.iter().all(|word| !word.contains(VALUE_MARK)), "{words:?}");
    }

    #[test]
    fn other_texts_are_analysed_as_they_are() {
        let text = "Rust 工程師";
        assert!(!is_joined(text) && is_joined(&join([text])));
        let plain = tokens_of(&mut chain_of(Given::AsWritten), text);
        assert_eq!(
            tokens_of(&mut each_value(chain_of(Given::AsWritten)), text),
            plain
        );
        assert!(join([]).is_empty());
    }
}
