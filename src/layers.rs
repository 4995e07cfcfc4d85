//! The crate's layering, checked: every top-level module may use only the
//! modules in the layers below its own.
//!
//! In: the crate's source files (read at test time). Out: a test failure
//! naming each `crate::…` path that points up or across a layer, so the
//! module graph stays acyclic and the back end one-way
//! (`compile → plan → vm → program`). Test code (`#[cfg(test)]` items and
//! `tests.rs` files) may reach anywhere.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

/// The layers, lowest first; a module may use any module in a lower layer.
const LAYERS: &[&[&str]] = &[
    &["diag", "time"],
    &["syntax", "schema"],
    &["check", "lead"],
    &["lint", "compile", "input", "intake", "sql", "format"],
    &["plan"],
    &["vm"],
    &["program"],
    &["load", "reference", "cases", "scored", "explain"],
    &["review"],
    &["fit"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// `crate::x` paths in the non-test part of `text`.
fn uses(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut found = BTreeSet::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (at, _) in line.match_indices("crate::") {
            let rest = &line[at + "crate::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

fn visit(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            visit(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    visit(&src, &mut files);
    let mut wrong = Vec::new();
    let mut modules = BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel.components().next().unwrap().as_os_str().to_str().unwrap().trim_end_matches(".rs");
        if matches!(top, "lib" | "main" | "cli" | "layers") || rel.ends_with("tests.rs") {
            continue;
        }
        modules.insert(top.to_string());
        let Some(own) = layer(top) else {
            wrong.push(format!("{}: module `{top}` is in no layer; add it to LAYERS", rel.display()));
            continue;
        };
        for used in uses(&std::fs::read_to_string(file).unwrap()) {
            match layer(&used) {
                Some(l) if l < own || used == top => {}
                _ => wrong.push(format!("{}: `{top}` uses `crate::{used}`", rel.display())),
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
    // Every layer names real modules: the list cannot silently go stale.
    for name in LAYERS.iter().flat_map(|l| l.iter()) {
        assert!(modules.contains(*name), "LAYERS names `{name}`, which is not a module");
    }
}

#[test]
fn an_upward_use_is_found() {
    let text = "use crate::program::Program;\n// crate::vm in a comment\n#[cfg(test)]\nuse crate::load;";
    assert_eq!(uses(text), BTreeSet::from(["program".to_string()]));
}
