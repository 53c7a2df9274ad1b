//! Hong Kong, Taiwan and Mainland words for the same thing (程式設計 / 程序设计, 資訊 / 信息,
//! 質素 / 质量), rewritten to the Mainland word before segmentation, at index and at query time
//! alike: a search in either side's words finds text written in the other's. Script folding runs
//! first, so the table's keys are Simplified. Offsets of the rewritten text are mapped back to the
//! text as written, so highlights fall on the words the posting holds.
//!
//! Groups come from `assets/vocabulary.tsv` and from the skills whose two Chinese labels differ
//! in wording (`assets/registry/skills.json`). Skill aliases are synonyms (编程 for 程序设计,
//! 程序员 for a person who does it), not the same word on the other side, so they stay in the
//! skills field and are not rewritten in free text.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::i18n::LocalizedText;
use crate::registry::fold::to_simplified;

const TABLE: &str = include_str!("../../../assets/vocabulary.tsv");
const SKILLS: &str = include_str!("../../../assets/registry/skills.json");

/// Words of one meaning: the Mainland form, and the others as written in the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub mainland: String,
    pub others: Vec<String>,
}

/// The groups of the table, then those of the skills' labels.
pub fn groups() -> Vec<Group> {
    let mut groups = table_groups(TABLE);
    groups.extend(skill_groups(SKILLS));
    groups
}

/// Each distinct (other side's form, Mainland form) pair, in the groups' order: a form the
/// table gives for both Hong Kong and Taiwan, or that a skill's label repeats, counts once.
pub fn pairs() -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    groups()
        .into_iter()
        .flat_map(|group| {
            let mainland = group.mainland;
            group
                .others
                .into_iter()
                .map(move |other| (other, mainland.clone()))
        })
        .filter(|pair| seen.insert(pair.clone()))
        .collect()
}

fn table_groups(table: &str) -> Vec<Group> {
    table
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let mut columns = line.split('\t');
            let mainland = columns.next().unwrap_or_default().to_owned();
            let others = columns
                .take(2)
                .flat_map(|column| column.split('|'))
                .filter(|form| *form != "-" && !form.is_empty())
                .map(str::to_owned)
                .collect();
            Group { mainland, others }
        })
        .collect()
}

#[derive(Deserialize)]
struct SkillLabels {
    labels: LocalizedText,
}

fn skill_groups(skills: &str) -> Vec<Group> {
    let skills: Vec<SkillLabels> = serde_json::from_str(skills).unwrap_or_else(|error| {
        tracing::error!(%error, "the shipped skills do not parse; their labels are not bridged");
        Vec::new()
    });
    skills
        .into_iter()
        .filter(|skill| to_simplified(&skill.labels.zh_hant) != skill.labels.zh_hans)
        .map(|skill| {
            let (mainland, other) = without_shared_words(&skill.labels.zh_hans, &skill.labels.zh_hant);
            Group {
                mainland: mainland.to_owned(),
                others: vec![other.to_owned()],
            }
        })
        .collect()
}

/// The labels without the words both begin with (`ISO 9001质量体系`, `ISO 9001品質管理體系`):
/// a query's words are analysed one by one, so a form holding a space could never match one.
fn without_shared_words<'a>(mut mainland: &'a str, mut other: &'a str) -> (&'a str, &'a str) {
    while let (Some((first, rest)), Some((other_first, other_rest))) =
        (mainland.split_once(' '), other.split_once(' '))
    {
        if first != other_first {
            break;
        }
        (mainland, other) = (rest.trim_start(), other_rest.trim_start());
    }
    (mainland, other)
}

/// What the rewriting found wrong in the groups: a form in two groups, a form too short or all
/// ASCII. Tests require none; at run time the first group to claim a form keeps it.
pub fn problems(groups: &[Group]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut owner = HashMap::new();
    for group in groups {
        for form in std::iter::once(&group.mainland).chain(&group.others) {
            let key = to_simplified(form).into_owned();
            if key.chars().count() < 2 || key.is_ascii() || key.contains(char::is_whitespace) {
                problems.push(format!(
                    "{form}: a form needs two characters, one not ASCII, and no space"
                ));
            }
            match owner.insert(key, &group.mainland) {
                Some(earlier) if earlier != &group.mainland => problems.push(format!(
                    "{form}: in the groups of {earlier} and {}",
                    group.mainland
                )),
                _ => {}
            }
        }
    }
    problems
}

/// The rewriting, built once.
pub struct Vocabulary {
    keys: AhoCorasick,
    /// The Mainland form each key is written as, by key index.
    replacements: Vec<String>,
}

/// Whether the other side's words are rewritten (`search.vocabulary`); on unless configured off.
static ENABLED: OnceLock<bool> = OnceLock::new();

/// Switches the rewriting on or off for this process (`search.vocabulary`). It must run before
/// the first index is opened: the analyzer reads it once. Only the benchmark turns it off, to
/// measure what the rewriting costs a reindex and the index's size.
pub fn configure(enabled: bool) {
    // The first call in a process holds; test servers sharing one process all keep the default.
    let _ = ENABLED.set(enabled);
}

fn enabled() -> bool {
    *ENABLED.get_or_init(|| true)
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    let groups = if enabled() { groups() } else { Vec::new() };
    Vocabulary::new(&groups)
});

/// The name indexes register the analyzer under: it carries a digest of the vocabulary, so an
/// index written with other groups (or with the rewriting off) has another schema and is
/// rebuilt when opened.
pub static ANALYZER_NAME: LazyLock<String> = LazyLock::new(|| {
    if enabled() {
        analyzer_name(TABLE, SKILLS)
    } else {
        analyzer_name("", "")
    }
});

fn analyzer_name(table: &str, skills: &str) -> String {
    let digest = Sha256::new()
        .chain_update(table.as_bytes())
        .chain_update(skills.as_bytes())
        .finalize();
    format!("talent-{}", &hex::encode(digest)[..12])
}

impl Vocabulary {
    pub fn new(groups: &[Group]) -> Self {
        let mut keys: Vec<String> = Vec::new();
        let mut replacements = Vec::new();
        for group in groups {
            // The Mainland form is a key too, written as itself: where it overlaps another
            // group's form (房地产 holds 地产), the leftmost longest key keeps it whole.
            for form in std::iter::once(&group.mainland).chain(&group.others) {
                let key = to_simplified(form).into_owned();
                if key.chars().count() < 2
                    || key.is_ascii()
                    || key.contains(char::is_whitespace)
                    || keys.contains(&key)
                {
                    continue;
                }
                keys.push(key);
                replacements.push(group.mainland.clone());
            }
        }
        let keys = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&keys)
            .expect("a few hundred short keys fit any automaton");
        Vocabulary { keys, replacements }
    }

    /// The shipped vocabulary.
    pub fn shipped() -> &'static Vocabulary {
        &VOCABULARY
    }

    /// Writes `text` with every other-side word replaced into `out`, and the replaced spans
    /// into `edits`. Returns false, leaving both empty, when nothing is replaced.
    pub fn rewrite(&self, text: &str, out: &mut String, edits: &mut Edits) -> bool {
        out.clear();
        edits.0.clear();
        // Every key holds a character that is not ASCII.
        if text.is_ascii() {
            return false;
        }
        let mut copied = 0;
        for found in self.keys.find_iter(text) {
            let replacement = &self.replacements[found.pattern().as_usize()];
            if &text[found.range()] == replacement {
                continue;
            }
            out.push_str(&text[copied..found.start()]);
            let new_start = out.len();
            out.push_str(replacement);
            edits.0.push(Edit {
                new_start,
                new_end: out.len(),
                old_start: found.start(),
                old_end: found.end(),
            });
            copied = found.end();
        }
        if edits.0.is_empty() {
            out.clear();
            return false;
        }
        out.push_str(&text[copied..]);
        true
    }
}

/// One replaced span: where it is in the rewritten text and where it was in the original.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Edit {
    new_start: usize,
    new_end: usize,
    old_start: usize,
    old_end: usize,
}

/// The replaced spans of one rewriting, in order, to map offsets back to the original text.
#[derive(Debug, Clone, Default)]
pub struct Edits(Vec<Edit>);

impl Edits {
    /// No replaced span: offsets stay where they are.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Where a token starting at `offset` of the rewritten text starts in the original; a start
    /// inside a replaced word moves to that word's start.
    pub fn start(&self, offset: usize) -> usize {
        let (before, within) = self.locate(offset);
        match within {
            Some(edit) => edit.old_start,
            None => shifted(before, offset),
        }
    }

    /// Where a token ending at `offset` ends in the original; an end inside a replaced word
    /// moves to that word's end.
    pub fn end(&self, offset: usize) -> usize {
        let (before, within) = self.locate(offset);
        match within {
            Some(edit) => edit.old_end,
            None => shifted(before, offset),
        }
    }

    /// The edits as the index stores them beside a text (`schema::jobs`), so that highlights
    /// replay them (`replay`) instead of folding the text again: a line per replaced word,
    /// `start end word`, where `start..end` are its bytes in the text and `word` is what the
    /// vocabulary wrote in its place in `rewritten`.
    pub fn stored(&self, rewritten: &str) -> String {
        let mut stored = String::new();
        for edit in &self.0 {
            if !stored.is_empty() {
                stored.push('\n');
            }
            let word = &rewritten[edit.new_start..edit.new_end];
            let _ = write!(stored, "{} {} {word}", edit.old_start, edit.old_end);
        }
        stored
    }

    /// Writes `text` with the `stored` edits (see `stored`) made into `out`, and takes their
    /// places in it. Returns false, leaving both empty, when `stored` does not fit `text` (an
    /// index out of step with it).
    pub fn replay(&mut self, text: &str, stored: &str, out: &mut String) -> bool {
        out.clear();
        self.0.clear();
        let mut copied = 0;
        for line in stored.split('\n') {
            let Some((old_start, old_end, word)) = stored_edit(line)
                .filter(|&(start, end, _)| copied <= start && text.get(start..end).is_some())
            else {
                out.clear();
                self.0.clear();
                return false;
            };
            out.push_str(&text[copied..old_start]);
            let new_start = out.len();
            out.push_str(word);
            self.0.push(Edit {
                new_start,
                new_end: out.len(),
                old_start,
                old_end,
            });
            copied = old_end;
        }
        out.push_str(&text[copied..]);
        true
    }

    /// The last edit wholly before `offset`, and the edit `offset` falls strictly inside.
    fn locate(&self, offset: usize) -> (Option<&Edit>, Option<&Edit>) {
        let done = self.0.partition_point(|edit| edit.new_end <= offset);
        let within = self.0.get(done).filter(|edit| edit.new_start < offset);
        (done.checked_sub(1).map(|i| &self.0[i]), within)
    }
}

/// One line of `Edits::stored`: the replaced bytes and the word written there.
fn stored_edit(line: &str) -> Option<(usize, usize, &str)> {
    let mut parts = line.splitn(3, ' ');
    let start = parts.next()?.parse().ok()?;
    let end = parts.next()?.parse().ok()?;
    Some((start, end, parts.next()?))
}

fn shifted(before: Option<&Edit>, offset: usize) -> usize {
    match before {
        Some(edit) => edit.old_end + (offset - edit.new_end),
        None => offset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(text: &str) -> (String, Edits) {
        let mut out = String::new();
        let mut edits = Edits::default();
        if !Vocabulary::shipped().rewrite(text, &mut out, &mut edits) {
            out = text.to_owned();
        }
        (out, edits)
    }

    #[test]
    fn the_shipped_groups_have_no_problems() {
        let groups = groups();
        assert_eq!(problems(&groups), Vec::<String>::new());
        let pairs = pairs();
        assert!(pairs.len() >= 50, "only {} pairs", pairs.len());
        let distinct: std::collections::HashSet<_> = pairs.iter().collect();
        assert_eq!(distinct.len(), pairs.len());
    }

    #[test]
    fn a_form_in_two_groups_is_a_problem() {
        let groups = table_groups("程序\t程式\t-\n代码\t程式\t-\n");
        assert_eq!(
            problems(&groups),
            vec!["程式: in the groups of 程序 and 代码".to_owned()]
        );
        assert_eq!(problems(&table_groups("软件\t软\t-\n")).len(), 1);
        assert_eq!(problems(&table_groups("软件 工程\t軟體工程\t-\n")).len(), 1);
    }

    #[test]
    fn every_form_is_written_as_its_mainland_word_which_stays_as_it_is() {
        for group in groups() {
            assert_eq!(rewritten(&group.mainland).0, group.mainland);
            for form in &group.others {
                let folded = to_simplified(form).into_owned();
                assert_eq!(rewritten(&folded).0, group.mainland, "{form}");
            }
        }
    }

    #[test]
    fn words_both_labels_begin_with_are_left_out() {
        assert_eq!(
            without_shared_words("ISO 9001质量体系", "ISO 9001品質管理體系"),
            ("9001质量体系", "9001品質管理體系")
        );
        assert_eq!(
            without_shared_words("计算机视觉", "電腦視覺"),
            ("计算机视觉", "電腦視覺")
        );
        assert_eq!(without_shared_words("A 甲", "B 乙"), ("A 甲", "B 乙"));
    }

    #[test]
    fn both_words_of_every_pair_are_indexed_and_asked_for_as_the_same_terms() {
        use crate::search::schema::analysis::{query_terms, terms};
        for (other, mainland) in pairs() {
            assert_eq!(terms(&other), terms(&mainland), "{other} / {mainland}");
            assert_eq!(
                query_terms(&other),
                query_terms(&mainland),
                "{other} / {mainland}"
            );
        }
    }

    #[test]
    fn with_the_rewriting_off_nothing_is_rewritten_and_the_analyzer_has_another_name() {
        let off = Vocabulary::new(&[]);
        let (mut out, mut edits) = (String::new(), Edits::default());
        assert!(!off.rewrite("招聘程式设计师，懂程式码", &mut out, &mut edits));
        assert!(out.is_empty());
        assert_ne!(analyzer_name("", ""), analyzer_name(TABLE, SKILLS));
    }

    #[test]
    fn the_longest_word_wins_and_the_rest_of_the_text_stays() {
        assert_eq!(rewritten("招聘程式设计师，懂程式码").0, "招聘程序员，懂代码");
        assert_eq!(rewritten("房地产与地产").0, "房地产与房地产");
        assert_eq!(rewritten("Java developer").0, "Java developer");
    }

    #[test]
    fn offsets_map_back_to_the_words_as_written() {
        // 記憶體 (9 bytes) becomes 内存 (6 bytes); 使用者 (9) becomes 用户 (6).
        let original = "大记忆体和使用者";
        let (text, edits) = rewritten(original);
        assert_eq!(text, "大内存和用户");
        let find = |word: &str| text.find(word).unwrap();
        let memory = find("内存");
        assert_eq!(
            &original[edits.start(memory)..edits.end(memory + "内存".len())],
            "记忆体"
        );
        let and = find("和");
        assert_eq!(&original[edits.start(and)..edits.end(and + "和".len())], "和");
        let user = find("用户");
        assert_eq!(
            &original[edits.start(user)..edits.end(user + "用户".len())],
            "使用者"
        );
        // A token of part of a replaced word covers the whole word as written.
        assert_eq!(
            &original[edits.start(memory + 3)..edits.end(memory + 3)],
            "记忆体"
        );
        assert_eq!(&original[edits.start(0)..edits.end(3)], "大");
    }

    /// Replayed over the text it was rewritten from, a stored form gives the rewritten text and
    /// the same places; one that does not fit the text gives nothing.
    #[test]
    fn stored_edits_replay_the_rewriting() {
        let mut replayed = Edits::default();
        let mut out = String::new();
        for text in [
            "大记忆体和使用者",
            "招聘程式设计师，懂程式码",
            "房地产与地产 and 质素",
        ] {
            let (rewritten, edits) = rewritten(text);
            assert!(!edits.is_empty(), "{text}");
            let stored = edits.stored(&rewritten);
            assert!(replayed.replay(text, &stored, &mut out), "{stored}");
            assert_eq!(out, rewritten);
            assert_eq!(replayed.0, edits.0, "{stored}");
        }
        for unfit in [
            "",
            "0 3",
            "x 3 软件",
            "3 0 软件",
            "0 99 软件",
            "1 3 软件",
            "3 6 软件\n0 3 内存",
        ] {
            assert!(!replayed.replay("记忆体和", unfit, &mut out), "{unfit:?}");
            assert!(out.is_empty() && replayed.is_empty(), "{unfit:?}");
        }
    }

    #[test]
    fn another_vocabulary_gives_the_analyzer_another_name() {
        let longer = format!("{TABLE}测试\t測驗\t-\n");
        assert_ne!(analyzer_name(&longer, SKILLS), *ANALYZER_NAME);
        assert_ne!(analyzer_name(TABLE, "[]"), *ANALYZER_NAME);
        assert_eq!(analyzer_name(TABLE, SKILLS), *ANALYZER_NAME);
    }
}
