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
