//! The part of a text a hit shows, chosen around its marked words, as HTML.
//!
//! A text up to `FRAGMENT_BYTES` long is shown whole. A longer one shows the window of that size
//! whose marks weigh most (rarer words weigh more; the earliest window wins a tie), widened to use
//! its room on both sides of the marks, and never cut inside an English word.

use std::ops::Range;

use tantivy::Score;

/// Bytes of a fragment: 200, as tantivy's snippets had (about 66 Chinese characters).
pub const FRAGMENT_BYTES: usize = 200;

/// A matched word: where it stands in the text, and what it weighs.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub span: Range<usize>,
    pub weight: Score,
}

/// The fragment of `text` around `marks`, escaped for HTML, each mark in `<b>…</b>`; `None` when
/// there is no mark. Spans must lie on character boundaries of `text`.
pub fn html(text: &str, mut marks: Vec<Mark>) -> Option<String> {
    if marks.is_empty() {
        return None;
    }
    marks.sort_by_key(|mark| (mark.span.start, mark.span.end));
    let shown = window(text, &marks);
    let mut html = String::with_capacity(shown.len() + 16);
    let mut written = shown.start;
    for span in merged(marks.iter().map(|mark| mark.span.clone()))
        .filter(|span| shown.start <= span.start && span.end <= shown.end)
    {
        escape_into(&text[written..span.start], &mut html);
        html.push_str("<b>");
        escape_into(&text[span.clone()], &mut html);
        html.push_str("</b>");
        written = span.end;
    }
    escape_into(&text[written..shown.end], &mut html);
    Some(html)
}

/// The byte range of `text` to show, given `marks` ordered by start.
fn window(text: &str, marks: &[Mark]) -> Range<usize> {
    let marked_to = |marks: &[Mark]| marks.iter().map(|mark| mark.span.end).max().unwrap_or(0);
    if text.len() <= FRAGMENT_BYTES {
        return trimmed(text, 0..text.len(), marks[0].span.start..marked_to(marks));
    }
    let (first, last) = heaviest_run(marks);
    let marked = marks[first].span.start..marked_to(&marks[first..=last]);
    let room = FRAGMENT_BYTES.saturating_sub(marked.len());
    // Half the room before the marks, unless the text ends first.
    let start = marked
        .start
        .saturating_sub(room / 2)
        .min(text.len() - FRAGMENT_BYTES);
    let start = word_start_at_or_after(text, start, marked.start);
    let end = word_end_at_or_before(text, start + FRAGMENT_BYTES, marked.end);
    trimmed(text, start..end, marked)
}

/// The marks `first..=last` that fit in one fragment and weigh most together; of equal weights,
/// the earliest. Summed afresh for each first mark, so that equal weights compare equal.
fn heaviest_run(marks: &[Mark]) -> (usize, usize) {
    let (mut best, mut best_weight) = ((0, 0), Score::MIN);
    for (first, from) in marks.iter().enumerate() {
        let fitting = marks[first + 1..]
            .iter()
            .take_while(|mark| mark.span.end - from.span.start <= FRAGMENT_BYTES)
            .count();
        let last = first + fitting;
        let weight: Score = marks[first..=last].iter().map(|mark| mark.weight).sum();
        if weight > best_weight {
            (best, best_weight) = ((first, last), weight);
        }
    }
    best
}

/// `byte` moved forward to a character boundary and out of an English word it cuts, but never
/// past `limit`.
fn word_start_at_or_after(text: &str, mut byte: usize, limit: usize) -> usize {
    while !text.is_char_boundary(byte) {
        byte += 1;
    }
    if cuts_a_word(text, byte) {
        byte += ascii_word_bytes(text[byte..].bytes());
    }
    byte.min(limit)
}

/// `byte` moved back to a character boundary and out of an English word it cuts, but never
/// before `limit`.
fn word_end_at_or_before(text: &str, byte: usize, limit: usize) -> usize {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    if cuts_a_word(text, byte) {
        byte -= ascii_word_bytes(text[..byte].bytes().rev());
    }
    byte.max(limit)
}

/// Whether `byte` falls between two letters or digits of an English word.
fn cuts_a_word(text: &str, byte: usize) -> bool {
    let before = text[..byte].chars().next_back();
    let after = text[byte..].chars().next();
    before.is_some_and(|c| c.is_ascii_alphanumeric()) && after.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// How many of `bytes` are letters or digits of English before any other (each is one byte, so
/// a count of them moves a character boundary to a character boundary).
fn ascii_word_bytes(bytes: impl Iterator<Item = u8>) -> usize {
    bytes.take_while(u8::is_ascii_alphanumeric).count()
}

/// `range` without white space at either end, never cutting into `marked`.
fn trimmed(text: &str, range: Range<usize>, marked: Range<usize>) -> Range<usize> {
    let shown = &text[range.clone()];
    let start = range.start + (shown.len() - shown.trim_start().len());
    let end = range.start + shown.trim_end().len();
    start.min(marked.start)..end.max(marked.end)
}

/// Overlapping or touching spans, ordered by start, joined into one.
fn merged(spans: impl Iterator<Item = Range<usize>>) -> impl Iterator<Item = Range<usize>> {
    let mut spans = spans.peekable();
    std::iter::from_fn(move || {
        let mut span = spans.next()?;
        while let Some(next) = spans.next_if(|next| next.start <= span.end) {
            span.end = span.end.max(next.end);
        }
        Some(span)
    })
}

/// `text` escaped as tantivy's snippets were: `&`, `<`, `>`, `"` and `'`.
fn escape_into(text: &str, html: &mut String) {
    html_escape::encode_quoted_attribute_to_string(text, html);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(text: &str, word: &str, weight: Score) -> Mark {
        let start = text.find(word).unwrap();
        Mark {
            span: start..start + word.len(),
            weight,
        }
    }

    #[test]
    fn a_short_text_is_shown_whole_with_its_marks() {
        let text = "Data analyst (Python) <R&D>";
        let marks = vec![mark(text, "analyst", 0.5), mark(text, "Python", 0.1)];
        assert_eq!(
            html(text, marks).unwrap(),
            "Data <b>analyst</b> (<b>Python</b>) &lt;R&amp;D&gt;"
        );
        assert_eq!(html(text, Vec::new()), None);
    }

    #[test]
    fn overlapping_marks_are_marked_once() {
        let text = "软件工程师";
        let marks = vec![
            Mark {
                span: 0..12,
                weight: 0.2,
            },
            Mark {
                span: 6..15,
                weight: 0.3,
            },
        ];
        assert_eq!(html(text, marks).unwrap(), "<b>软件工程师</b>");
    }

    /// A long text shows the window with the heaviest marks, its room on both sides, whole
    /// English words at both ends and no mark outside it.
    #[test]
    fn a_long_text_shows_the_heaviest_window_around_its_marks() {
        let filler = "lorem ipsum dolor sit amet ".repeat(12);
        let text = format!("Rust once. {filler} Then Kafka and Rust and Kafka again. {filler} The end.");
        let rust_first = mark(&text, "Rust", 0.1);
        let kafka = text.match_indices("Kafka").map(|(at, w)| Mark {
            span: at..at + w.len(),
            weight: 0.3,
        });
        let rust_later = text.match_indices("Rust").skip(1).map(|(at, w)| Mark {
            span: at..at + w.len(),
            weight: 0.1,
        });
        let marks: Vec<Mark> = std::iter::once(rust_first)
            .chain(kafka)
            .chain(rust_later)
            .collect();
        let shown = html(&text, marks).unwrap();
        assert!(shown.len() <= FRAGMENT_BYTES + 4 * 7, "{shown}");
        assert!(
            shown.contains("Then <b>Kafka</b> and <b>Rust</b> and <b>Kafka</b> again."),
            "{shown}"
        );
        assert!(!shown.contains("once"), "{shown}");
        let plain = shown.replace("<b>", "").replace("</b>", "");
        assert!(text.contains(&plain), "{plain}");
        let words: Vec<&str> = plain.split_whitespace().collect();
        for word in [words[0], words[words.len() - 1]] {
            assert!(
                filler.split_whitespace().any(|w| w == word) || word == "again.",
                "{word} is whole"
            );
        }
        let before = plain.find("Then").unwrap();
        let after = plain.len() - plain.find("again.").unwrap() - "again.".len();
        assert!(
            before > 40 && after > 40,
            "room on both sides: {before} and {after}"
        );
    }

    /// A mark near either end of a long text keeps the window inside the text and full.
    #[test]
    fn a_window_near_an_end_stays_in_the_text() {
        let text = format!("需要{}", "数据分析和机器学习。".repeat(20));
        for word in ["需要", "机器学习。"] {
            let at = if word == "需要" {
                0
            } else {
                text.rfind(word).unwrap()
            };
            let marks = vec![Mark {
                span: at..at + word.len(),
                weight: 1.0,
            }];
            let shown = html(&text, marks).unwrap();
            let plain = shown.replace("<b>", "").replace("</b>", "");
            assert!(text.contains(&plain));
            assert!(
                plain.len() > FRAGMENT_BYTES - 6 && plain.len() <= FRAGMENT_BYTES,
                "{}",
                plain.len()
            );
            assert!(shown.contains(&format!("<b>{word}</b>")), "{shown}");
        }
    }

    /// Wherever a mark stands in a long text of mixed scripts and punctuation, the fragment is
    /// a piece of the text that holds the mark, within the size.
    #[test]
    fn every_place_of_a_mark_gives_a_fragment_of_the_text() {
        let text =
            "加入我們位於觀塘區的先進製造團隊。你將運用生產計劃與物料控制（PMC）、供應商品質工程（SQE）、\
            製造執行系統（MES）and Node.js, C++ 3.5% — “quoted” <tags> & naïve café 📊 年薪¥300,000。"
                .repeat(3);
        for (start, c) in text.char_indices() {
            let end = start + c.len_utf8();
            let shown = html(
                &text,
                vec![Mark {
                    span: start..end,
                    weight: 1.0,
                }],
            )
            .unwrap();
            let escaped_mark = html(
                c.encode_utf8(&mut [0; 4]),
                vec![Mark {
                    span: 0..end - start,
                    weight: 1.0,
                }],
            );
            assert!(shown.contains(&escaped_mark.unwrap()), "{shown}");
            let plain =
                html_escape::decode_html_entities(&shown.replace("<b>", "").replace("</b>", "")).into_owned();
            assert!(text.contains(&plain), "{plain}");
            assert!(plain.len() <= FRAGMENT_BYTES, "{} bytes", plain.len());
        }
    }

    #[test]
    fn the_heaviest_run_prefers_weight_then_the_earliest() {
        let at = |start: usize, weight: Score| Mark {
            span: start..start + 3,
            weight,
        };
        assert_eq!(heaviest_run(&[at(0, 0.1), at(500, 0.5), at(600, 0.1)]), (1, 2));
        assert_eq!(heaviest_run(&[at(0, 0.2), at(500, 0.2)]), (0, 0));
        assert_eq!(heaviest_run(&[at(0, 0.1), at(10, 0.1), at(300, 0.15)]), (0, 1));
    }
}
