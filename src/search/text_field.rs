//! A text field as a query may reach it.

use tantivy::schema::Field;

/// A text field a caller may name in `q` (`title:engineer`): its public name, the index field it
/// searches and its weight when no field is named. The index has other fields (filters, the
/// consent rule's jurisdictions): `q` reaches only those listed, so no query can test them.
#[derive(Debug, Clone, Copy)]
pub struct TextField {
    pub name: &'static str,
    pub field: Field,
    pub boost: f32,
    /// The field of the word pairs its text holds, if the index keeps one (see `schema::pairs`).
    pub pairs: Option<Field>,
    /// The stored field holding its text as written, which highlights mark (the field itself
    /// unless `as_written` says otherwise).
    pub written: Field,
    /// The stored field of the vocabulary's edits of its text, if the index keeps one (see
    /// `schema::places`): highlights then fold no text.
    pub edits: Option<Field>,
}

impl TextField {
    pub const fn new(name: &'static str, field: Field, boost: f32) -> Self {
        Self {
            name,
            field,
            boost,
            pairs: None,
            written: field,
            edits: None,
        }
    }

    pub const fn with_pairs(self, pairs: Field) -> Self {
        Self {
            pairs: Some(pairs),
            ..self
        }
    }

    /// Its text as written is stored in `written`, beside the vocabulary's `edits` of it (see
    /// `schema::analysis::add_highlighted_text`).
    pub const fn as_written(self, written: Field, edits: Field) -> Self {
        Self {
            written,
            edits: Some(edits),
            ..self
        }
    }
}
