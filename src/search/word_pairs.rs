//! A query's word that is two Chinese words side by side (`schema::pairs`) searched as one term
//! of the fields of pairs, instead of as a phrase: one posting list read, where the phrase read
//! the positions of both words in every document holding both. A pair is in a document's field
//! of pairs exactly where the phrase is in the field, and `PairQuery` scores a document as the
//! phrase does (BM25 of the two words, with the text field's length and the pair's count), so
//! the answer — matches, scores, order — is the phrase's.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25Weight, BooleanQuery, BoostQuery, EmptyQuery, EmptyScorer, EnableScoring, Explanation, Occur, Query,
    QueryParser, QueryParserError, Scorer, Weight,
};
use tantivy::query_grammar::{UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{Field, IndexRecordOption, Schema};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use crate::search::any_of::does_not_match;
use crate::search::schema::pairs::query_pair;
use crate::search::text_field::TextField;

/// `ast` as `parser` builds it, with each literal that is a pair of words searched as a
/// `PairQuery` in every field it reaches. `None` when no literal is such a pair (or a field it
/// reaches keeps no pairs): the parser's own query is then the one.
pub fn with_pairs(
    parser: &QueryParser,
    ast: &UserInputAst,
    schema: &Schema,
    fields: &[TextField],
) -> Result<Option<Box<dyn Query>>, QueryParserError> {
    if !any_pair(ast, schema, fields) {
        return Ok(None);
    }
    let built = build(parser, ast, schema, fields)?;
    Ok(Some(built.unwrap_or_else(|| Box::new(EmptyQuery))))
}

fn any_pair(ast: &UserInputAst, schema: &Schema, fields: &[TextField]) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().any(|(_, clause)| any_pair(clause, schema, fields)),
        UserInputAst::Boost(inner, _) => any_pair(inner, schema, fields),
        UserInputAst::Leaf(leaf) => pair_of(leaf, schema, fields).is_some(),
    }
}

/// What the parser builds, node by node, as its `convert_to_query` does: a clause's parts with
/// the default occurrence (the caller's parser asks for every word: `Must`), a clause without
/// parts left out (`None`), a boost kept even around nothing. Leaves other than pairs are the
/// parser's own.
fn build(
    parser: &QueryParser,
    ast: &UserInputAst,
    schema: &Schema,
    fields: &[TextField],
) -> Result<Option<Box<dyn Query>>, QueryParserError> {
    match ast {
        UserInputAst::Clause(clauses) => {
            let mut built = Vec::with_capacity(clauses.len());
            for (occur, clause) in clauses {
                if let Some(query) = build(parser, clause, schema, fields)? {
                    built.push((occur.unwrap_or(Occur::Must), query));
                }
            }
            Ok((!built.is_empty()).then(|| Box::new(BooleanQuery::new(built)) as Box<dyn Query>))
        }
        UserInputAst::Boost(inner, boost) => {
            let inner = build(parser, inner, schema, fields)?.unwrap_or_else(|| Box::new(EmptyQuery));
            Ok(Some(boosted(inner, boost.into_inner() as Score)))
        }
        UserInputAst::Leaf(leaf) => match pair_of(leaf, schema, fields) {
            Some(pair) => Ok(Some(pair.query())),
            None => {
                let query = parser.build_query_from_user_input_ast(ast.clone())?;
                Ok((!query.is::<EmptyQuery>()).then_some(query))
            }
        },
    }
}

/// As the parser boosts: not at all by 1.
fn boosted(query: Box<dyn Query>, boost: Score) -> Box<dyn Query> {
    if (boost - 1.0).abs() < Score::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

/// A literal that is a pair of words, and the fields it reaches.
struct PairLiteral<'a> {
    words: (String, String),
    reached: Vec<&'a TextField>,
}

impl PairLiteral<'_> {
    /// One field's query, or the fields' as optional clauses, each with its field's boost.
    fn query(&self) -> Box<dyn Query> {
        let (first, second) = &self.words;
        let mut per_field: Vec<Box<dyn Query>> = self
            .reached
            .iter()
            .filter_map(|text_field| {
                let pairs = text_field.pairs?;
                let query = PairQuery {
                    pair: Term::from_field_text(pairs, &format!("{first} {second}")),
                    words: [
                        Term::from_field_text(text_field.field, first),
                        Term::from_field_text(text_field.field, second),
                    ],
                };
                Some(boosted(Box::new(query), text_field.boost))
            })
            .collect();
        if per_field.len() == 1 {
            return per_field.remove(0);
        }
        Box::new(BooleanQuery::new(
            per_field
                .into_iter()
                .map(|query| (Occur::Should, query))
                .collect(),
        ))
    }
}

fn pair_of<'a>(leaf: &UserInputLeaf, schema: &Schema, fields: &'a [TextField]) -> Option<PairLiteral<'a>> {
    let UserInputLeaf::Literal(literal) = leaf else {
        return None;
    };
    let UserInputLiteral {
        field_name,
        phrase,
        slop: 0,
        prefix: false,
        ..
    } = literal
    else {
        return None;
    };
    let reached: Vec<&TextField> = match field_name {
        None => fields.iter().collect(),
        Some(name) => fields
            .iter()
            .filter(|text_field| schema.get_field_name(text_field.field) == name)
            .collect(),
    };
    if reached.is_empty() || reached.iter().any(|text_field| text_field.pairs.is_none()) {
        return None;
    }
    let pair = query_pair(phrase)?;
    let (first, second) = pair.split_once(' ')?;
    Some(PairLiteral {
        words: (first.to_owned(), second.to_owned()),
        reached,
    })
}

/// Documents whose field of pairs holds `pair`, scored as the phrase of `words` (two terms of
/// the text field the pairs are of) is.
#[derive(Debug, Clone)]
pub struct PairQuery {
    pair: Term,
    words: [Term; 2],
}

impl Query for PairQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let similarity = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider, ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.words)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PairWeight {
            pair: self.pair.clone(),
            field: self.words[0].field(),
            similarity,
        }))
    }

    /// The two words, as the phrase gives them: highlights and the cache see the words.
    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for word in &self.words {
            visitor(word, true);
        }
    }
}

struct PairWeight {
    pair: Term,
    field: Field,
    similarity: Option<Bm25Weight>,
}

impl PairWeight {
    fn pair_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Option<PairScorer>> {
        let Some(postings) = reader
            .inverted_index(self.pair.field())?
            .read_postings(&self.pair, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        // The phrase's length norm is its text field's, as the phrase scorer reads it.
        let fieldnorms = match &self.similarity {
            Some(_) => reader.get_fieldnorms_reader(self.field)?,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        Ok(Some(PairScorer {
            postings,
            fieldnorms,
            similarity: self.similarity.as_ref().map(|weight| weight.boost_by(boost)),
        }))
    }
}

impl Weight for PairWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.pair_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let Some(mut scorer) = self.pair_scorer(reader, 1.0)? else {
            return Err(does_not_match(doc));
        };
        if scorer.seek(doc) != doc {
            return Err(does_not_match(doc));
        }
        Ok(Explanation::new(
            "the phrase of two words, found as their pair",
            scorer.score(),
        ))
    }
}

struct PairScorer {
    postings: SegmentPostings,
    fieldnorms: FieldNormReader,
    similarity: Option<Bm25Weight>,
}

impl DocSet for PairScorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for PairScorer {
    /// The phrase scorer's: BM25 of the text field's length and how often the phrase occurs,
    /// which is how often the pair does.
    fn score(&mut self) -> Score {
        match &self.similarity {
            Some(weight) => weight.score(
                self.fieldnorms.fieldnorm_id(self.postings.doc()),
                self.postings.term_freq(),
            ),
            None => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query_grammar::parse_query;
    use tantivy::tokenizer::TokenizerManager;

    use super::*;
    use crate::search::schema::{jobs, register_query_analyzers};

    /// Where no literal is a pair, building node by node gives what the parser gives whole: the
    /// same clauses, occurrences, boosts and leaves, and the same leaving out of words that have
    /// no terms.
    #[test]
    fn node_by_node_is_the_parsers_query() {
        let (schema, fields) = jobs::schema();
        let tokenizers = TokenizerManager::default();
        register_query_analyzers(&tokenizers);
        let mut parser = QueryParser::new(
            schema.clone(),
            vec![fields.title_words, fields.description_words],
            tokenizers,
        );
        parser.set_field_boost(fields.title_words, 3.0);
        parser.set_conjunction_by_default();
        let text_fields = [
            TextField::new("title", fields.title_words, 3.0).with_pairs(fields.title_pairs),
            TextField::new("description", fields.description_words, 1.0).with_pairs(fields.description_pairs),
        ];
        for text in [
            "data analyst",
            "(title_words:rust OR analyst) -contract",
            "rust !!!",
            "(!!!)^2 rust",
            "rust^2 工程師",
            "\"软件 工程师\"",
            "\"软件工程师\"~1 OR 测试",
            "+rust -(a OR b)",
            "description_words:[a TO c]",
        ] {
            let ast = parse_query(text).unwrap();
            let whole = parser.build_query_from_user_input_ast(ast.clone()).unwrap();
            let by_node = build(&parser, &ast, &schema, &text_fields)
                .unwrap()
                .unwrap_or_else(|| Box::new(EmptyQuery));
            assert_eq!(format!("{by_node:?}"), format!("{whole:?}"), "{text}");
        }
    }
}
