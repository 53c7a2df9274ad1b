//! Rules the source keeps, checked over the files themselves: which scheme a person may take, and
//! what a jurisdiction's codes are, are registry data — no Rust outside unit tests and the demo
//! generator names a jurisdiction code, a work-authorisation basis code or a scheme.

use std::path::{Path, PathBuf};

use regex::Regex;

/// Where the demo generator lives: it writes a market for the two places on purpose.
const EXEMPT: [&str; 1] = ["src/demo/"];

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The code of a file before its unit tests, without comment lines.
fn production_code(text: &str) -> String {
    text.lines()
        .take_while(|line| !line.starts_with("#[cfg(test)]"))
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The string literals of `code` that name a jurisdiction code, a basis code or a scheme.
fn offending_literals(code: &str) -> Vec<String> {
    let literal = Regex::new(r#""(?:[^"\\\n]|\\.)*""#).unwrap();
    let named = Regex::new(
        r"^(HK|CN|MO)$|\b(HK|CN|MO)_[A-Z]|\b(ASMTP|GEP|QMAS|TTPS|IANG|TECHTAS|TechTAS|ASSG)\b|Admission Scheme|Top Talent Pass|Quality Migrant|General Employment Policy|Talents and Professionals",
    )
    .unwrap();
    literal
        .find_iter(code)
        .map(|m| m.as_str().trim_matches('"').to_owned())
        .filter(|inside| named.is_match(inside))
        .collect()
}

#[test]
fn no_rust_outside_tests_and_the_demo_names_a_jurisdiction_or_a_scheme() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 50, "the walk found the sources");
    let mut offences = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if EXEMPT.iter().any(|e| relative.starts_with(e)) || relative == "src/source_rules.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for found in offending_literals(&production_code(&text)) {
            offences.push(format!("{relative}: {found:?}"));
        }
    }
    assert!(
        offences.is_empty(),
        "move these to the registry's data:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_rule_sees_codes_and_schemes_in_literals_only() {
    let code = r#"
        let to = "HK";
        let basis = "HK_ASMTP";
        let note = "apply under TTPS";
        let fine = "HKD";
        let also_fine = "CHECK";
    "#;
    assert_eq!(offending_literals(code), ["HK", "HK_ASMTP", "apply under TTPS"]);
    assert_eq!(
        production_code("// \"HK\"\nlet a = 1;\n#[cfg(test)]\nlet b = \"CN\";"),
        "let a = 1;"
    );
}
