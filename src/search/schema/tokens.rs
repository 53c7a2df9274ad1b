//! The token streams the analyzers hand tantivy: a text's tokens replayed from a buffer, read
//! from the memory of short texts, or straight from the chain.

use tantivy::tokenizer::{BoxTokenStream, Token, TokenStream};

/// The tokens of one text: replayed from a buffer, read from memory, or from the chain.
pub enum Tokens<'a> {
    Replayed {
        tokens: &'a mut Vec<Token>,
        next: usize,
    },
    /// Read in place, never copied: the indexer only reads a token. A caller that changes one
    /// changes a copy (`changed`), so the memory keeps what the chain gave.
    Remembered {
        tokens: &'a [Token],
        next: usize,
        changed: Option<Token>,
    },
    Analysed(BoxTokenStream<'a>),
}

impl<'a> Tokens<'a> {
    /// Gives `tokens` as they are.
    pub fn replaying(tokens: &'a mut Vec<Token>) -> Self {
        Tokens::Replayed { tokens, next: 0 }
    }
}

impl TokenStream for Tokens<'_> {
    fn advance(&mut self) -> bool {
        match self {
            Tokens::Replayed { tokens, next } => {
                *next += 1;
                *next <= tokens.len()
            }
            Tokens::Remembered {
                tokens,
                next,
                changed,
            } => {
                *changed = None;
                *next += 1;
                *next <= tokens.len()
            }
            Tokens::Analysed(stream) => stream.advance(),
        }
    }

    fn token(&self) -> &Token {
        match self {
            Tokens::Replayed { tokens, next } => &tokens[*next - 1],
            Tokens::Remembered {
                tokens,
                next,
                changed,
            } => changed.as_ref().unwrap_or(&tokens[*next - 1]),
            Tokens::Analysed(stream) => stream.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self {
            Tokens::Replayed { tokens, next } => &mut tokens[*next - 1],
            Tokens::Remembered {
                tokens,
                next,
                changed,
            } => changed.get_or_insert_with(|| tokens[*next - 1].clone()),
            Tokens::Analysed(stream) => stream.token_mut(),
        }
    }
}
