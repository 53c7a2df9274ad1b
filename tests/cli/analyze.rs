//! `analyze`: the terms search reads a text as, for other engines fed the same analysis.

use std::io::Write;
use std::process::Stdio;

use crate::talentbridge;

fn analyze(args: &[&str], input: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut child = talentbridge(dir.path())
        .arg("analyze")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn each_line_becomes_the_terms_search_reads_it_as() {
    // Hong Kong words as the Mainland's, Traditional as Simplified, English stemmed.
    let text = analyze(&[], "程式設計 Engineers\n軟體\n");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].split(' ').any(|term| term == "程序设计"), "{text}");
    assert!(lines[0].ends_with(" engin"), "{text}");
    assert_eq!(lines[1], "软件");
    // A query keeps the longest of overlapping words only, and a Hong Kong word is asked for
    // as the Mainland's.
    let queries = analyze(&["--query"], "工程師\n軟體工程師\n软件工程师\n");
    let lines: Vec<&str> = queries.lines().collect();
    assert_eq!(lines[0], "工程师");
    assert_eq!(lines[1], lines[2], "{queries}");
}

#[test]
fn the_vocabulary_is_printed_as_pairs() {
    let text = analyze(&["--vocabulary"], "");
    let pairs: Vec<(&str, &str)> = text.lines().map(|line| line.split_once('\t').unwrap()).collect();
    assert!(pairs.len() >= 50, "{}", pairs.len());
    assert!(pairs.contains(&("程式設計", "程序设计")));
    assert!(pairs.contains(&("質素", "质量")));
}

#[test]
fn positions_say_where_each_term_stands() {
    let parse = |text: &str| -> Vec<(usize, String)> {
        text.trim_end()
            .split(' ')
            .map(|item| {
                let (position, term) = item.split_once(':').unwrap();
                (position.parse().unwrap(), term.to_owned())
            })
            .collect()
    };
    let text = analyze(&["--positions"], "Senior 软件工程师 roles\n");
    let terms = parse(&text);
    let at = |term: &str| terms.iter().find(|t| t.1 == term).map(|t| t.0);
    assert_eq!(at("senior"), Some(0), "{text}");
    // jieba's parts of a word share a place with the word; a phrase's terms keep their distance.
    assert_eq!(at("工程"), at("工程师"), "{text}");
    assert_eq!(at("工程师").unwrap() - at("软件").unwrap(), 2, "{text}");
    assert!(terms.windows(2).all(|pair| pair[0].0 <= pair[1].0), "{text}");
    // The same terms as without positions.
    let plain = analyze(&[], "Senior 软件工程师 roles\n");
    let names: Vec<&str> = terms.iter().map(|t| t.1.as_str()).collect();
    assert_eq!(plain.trim_end().split(' ').collect::<Vec<_>>(), names);
    // A query word the index holds as a phrase is asked for as one, at the same distance.
    let query = parse(&analyze(&["--query", "--positions"], "软件工程师\n"));
    assert_eq!(query, vec![(0, "软件".to_owned()), (2, "工程师".to_owned())]);
}
