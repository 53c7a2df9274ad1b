//! `talentbridge analyze`: the terms search reads a text as, for feeding another engine the same
//! analysis (script folding, the vocabulary, segmentation, stemming) and for explaining a match.

use std::io::{BufRead, Write};

use clap::Args;

use crate::search::schema::analysis::{positioned_query_terms, positioned_terms, query_terms, terms};
use crate::search::schema::vocabulary::pairs;

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Analyse each line as a query (the longest of overlapping words only), not as a text.
    #[arg(long)]
    pub query: bool,
    /// Print the vocabulary's pairs (the other side's form, a tab, the Mainland form) instead.
    #[arg(long, conflicts_with = "query")]
    pub vocabulary: bool,
    /// Write each term as `position:term`, the position it holds in the line (jieba's parts of
    /// a word share the word's position), so that another engine matches phrases as search does.
    #[arg(long, conflicts_with = "vocabulary")]
    pub positions: bool,
}

/// Reads standard input line by line and writes one line of terms, space-separated, for each.
pub fn analyze(args: AnalyzeArgs) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.vocabulary {
        for (other, mainland) in pairs() {
            writeln!(out, "{other}\t{mainland}")?;
        }
        return Ok(out.flush()?);
    }
    let analyse: fn(&str) -> Vec<String> = match (args.query, args.positions) {
        (false, false) => terms,
        (true, false) => query_terms,
        (false, true) => |line| with_positions(positioned_terms(line)),
        (true, true) => |line| with_positions(positioned_query_terms(line)),
    };
    for line in std::io::stdin().lock().lines() {
        writeln!(out, "{}", analyse(&line?).join(" "))?;
    }
    Ok(out.flush()?)
}

fn with_positions(terms: Vec<(usize, String)>) -> Vec<String> {
    terms
        .into_iter()
        .map(|(position, term)| format!("{position}:{term}"))
        .collect()
}
