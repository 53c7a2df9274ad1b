//! Rules the source keeps, checked over the files themselves: which scheme a person may take, and
//! what a jurisdiction's codes are, are registry data — no Rust outside unit tests and the demo
//! generator names a jurisdiction code, a work-authorisation basis code or a scheme.

use std::path::{Path, PathBuf};

use regex::Regex;

/// Where the demo generator lives: it writes a market for the two places on purpose.
const EXEMPT: [&str; 1] = ["src/demo/"];

/// Every Rust file under `src/`, as its path from the crate root (`src/jobs/mod.rs`) and its text.
fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 50, "the walk found the sources");
    files
        .into_iter()
        .map(|file| {
            let relative = file
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (relative, std::fs::read_to_string(&file).unwrap())
        })
        .collect()
}

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
    let mut offences = Vec::new();
    for (relative, text) in sources() {
        if EXEMPT.iter().any(|e| relative.starts_with(e)) || relative == "src/source_rules.rs" {
            continue;
        }
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

/// The modules of the crate, bottom up, as `lib.rs` states them: a module may use the modules
/// before it, never one after it. Each area's `routes.rs` is the entry layer's (`routes`).
const LAYERS: [&[&str]; 5] = [
    &[
        "error",
        "db",
        "cidr",
        "settings",
        "i18n",
        "money",
        "calendar",
        "background",
        "mail",
        "index_events",
        "paging",
        "patch",
        "audit",
        "languages",
        "nationality",
        "telemetry",
    ],
    &["registry", "context", "auth"],
    &[
        "employers",
        "candidates",
        "jobs",
        "applications",
        "eligibility",
        "cases",
    ],
    &["search", "matching", "alerts", "analytics", "data_rights"],
    &[
        "state", "http", "routes", "web", "health", "openapi", "demo", "startup", "cli",
    ],
];

/// The module a file of `src/` belongs to for the layering (`jobs/routes.rs` → `routes`).
fn module_of(relative: &str) -> String {
    let inside = relative.trim_start_matches("src/");
    if inside.ends_with("/routes.rs") {
        return "routes".into();
    }
    inside
        .split('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".rs")
        .to_owned()
}

/// The modules `code` (of `module`) names by `crate::` that come after `module` in `LAYERS`.
fn uses_above(module: &str, code: &str) -> Vec<String> {
    let order: Vec<&str> = LAYERS.iter().flat_map(|layer| layer.iter().copied()).collect();
    let Some(own) = order.iter().position(|m| *m == module) else {
        return Vec::new();
    };
    let named = Regex::new(r"crate::(\w+)").unwrap();
    let grouped = Regex::new(r"crate::\{([^}]*)").unwrap();
    let in_groups = grouped.captures_iter(code).flat_map(|c| {
        let names: Vec<String> = c[1]
            .split(',')
            .filter_map(|path| path.trim().split("::").next().map(str::to_owned))
            .collect();
        names
    });
    let mut above: Vec<String> = named
        .captures_iter(code)
        .map(|c| c[1].to_owned())
        .chain(in_groups)
        .filter(|m| order.iter().position(|o| o == m).is_some_and(|at| at > own))
        .collect();
    above.sort();
    above.dedup();
    above
}

#[test]
fn every_module_uses_only_the_modules_below_it() {
    let order: Vec<&str> = LAYERS.iter().flat_map(|layer| layer.iter().copied()).collect();
    let mut offences = Vec::new();
    for (relative, text) in sources() {
        let module = module_of(&relative);
        if ["lib", "main", "source_rules"].contains(&module.as_str()) {
            continue;
        }
        if !order.contains(&module.as_str()) {
            offences.push(format!("{relative}: module `{module}` has no place in LAYERS"));
            continue;
        }
        for above in uses_above(&module, &production_code(&text)) {
            offences.push(format!(
                "{relative} ({module}) uses `{above}`, which stands above it"
            ));
        }
    }
    assert!(
        offences.is_empty(),
        "the layers of lib.rs are crossed:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_layer_rule_sees_a_use_from_below() {
    assert_eq!(module_of("src/jobs/routes.rs"), "routes");
    assert_eq!(module_of("src/jobs/service.rs"), "jobs");
    assert_eq!(module_of("src/money.rs"), "money");
    let code = "use crate::state::AppState;\nuse crate::db::Db;\nlet x = crate::search::Search::open();";
    assert_eq!(uses_above("jobs", code), ["search", "state"]);
    assert_eq!(
        uses_above("money", "use crate::{error::AppError, registry::Registry};"),
        ["registry"]
    );
    assert!(uses_above("startup", code).is_empty());
}

/// Where a refusal is written: the error constructors and a parser's `Err(…)`, `map_err(…)`
/// or `ok_or(…)`.
const REFUSAL_CALLS: [&str; 9] = [
    "AppError::invalid(",
    "FieldError::new(",
    "AppError::Conflict(",
    "AppError::Forbidden(",
    "AppError::bad_request(",
    "Err(",
    "map_err(",
    "ok_or(",
    "ok_or_else(",
];

/// A call holding one of these is a fault for the log or a sign-in to ask for, not a refusal a
/// page shows.
const NOT_REFUSALS: [&str; 6] = [
    "anyhow",
    "Unexpected",
    "Unavailable",
    "Unauthorized",
    "context(",
    "tracing::",
];

/// Files whose messages never reach a person on a page: start-up, the command line, the demo
/// generator, and the API's transport (a page sends no JSON, no raw query string, no CIDR).
const NOT_SHOWN_ON_PAGES: [&str; 8] = [
    "src/cli/",
    "src/demo/",
    "src/db/",
    "src/http/",
    "src/cidr.rs",
    "src/settings.rs",
    "src/startup.rs",
    "src/telemetry.rs",
];

/// Literals in refusal calls that are not a person's message: a list's separator, a prefix
/// joined to another message, the registry's own data being broken.
const UNTRANSLATED: [&str; 4] = [
    ", ",
    "{}: {}",
    "the registry names an unknown check algorithm {}",
    "the registry's form for it is broken",
];

/// The messages (literals with a space) written inside the refusal calls of `code`, with each
/// `{…}` of a format string as `{}`, sorted, each once.
fn literal_refusals(code: &str) -> Vec<String> {
    let literal = Regex::new(r#""(?:[^"\\]|\\.)*""#).unwrap();
    let placeholder = Regex::new(r"\{[^{}]*\}").unwrap();
    let mut found = Vec::new();
    for call in REFUSAL_CALLS {
        for (at, _) in code.match_indices(call) {
            let arguments = &code[at + call.len()..];
            let arguments = &arguments[..closing_paren(arguments)];
            if NOT_REFUSALS.iter().any(|fault| arguments.contains(fault)) {
                continue;
            }
            for m in literal.find_iter(arguments) {
                let inside = m.as_str().trim_matches('"');
                if inside.contains(' ') {
                    found.push(placeholder.replace_all(inside, "{}").into_owned());
                }
            }
        }
    }
    // `Err(AppError::Conflict(…))` is read by two calls.
    found.sort();
    found.dedup();
    found
}

/// Where the parenthesis open before `text` closes, skipping string literals.
fn closing_paren(text: &str) -> usize {
    let mut depth = 1;
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => {
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
    }
    text.len()
}

#[test]
fn every_literal_refusal_has_a_translation() {
    let mut missing = Vec::new();
    for (relative, text) in sources() {
        if NOT_SHOWN_ON_PAGES.iter().any(|e| relative.starts_with(e)) || relative == "src/source_rules.rs" {
            continue;
        }
        for message in literal_refusals(&production_code(&text)) {
            if !crate::web::refusals::has_entry(&message) && !UNTRANSLATED.contains(&message.as_str()) {
                missing.push(format!("{relative}: {message:?}"));
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "add these refusals to src/web/refusals.rs (English with {{}} for what varies):\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_refusal_rule_reads_the_messages_of_the_calls() {
    let code = r#"
        errors.push(FieldError::new("salary_min", "must not be negative"));
        return Err(AppError::Conflict(format!("rule {} already covers it", id(x))));
        let name = "not in a call";
        let row = read().map_err(|e| anyhow::anyhow!("a fault for the log: {e}"))?;
        Err(format!(
            "must be at most {MAX} characters"
        ))
    "#;
    assert_eq!(
        literal_refusals(code),
        [
            "must be at most {} characters",
            "must not be negative",
            "rule {} already covers it",
        ]
    );
}
