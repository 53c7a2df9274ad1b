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
