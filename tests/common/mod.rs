//! Shared test helpers: programs compiled from the example files, the
//! hand-written saas scorer and the lead generator.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
pub mod plain;
pub mod saas;

use leadc::diag::Sources;
use leadc::program::Program;
use std::path::Path;

/// Compiles the program at `path` (relative to the crate root) with its
/// source text, panicking with rendered diagnostics if it does not check.
pub fn compile(path: &str) -> Program {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let mut sources = Sources::new();
    match leadc::load::load_program(&path, &mut sources) {
        Ok(card) => {
            let text = std::fs::read_to_string(&path).unwrap();
            Program::compile_with_source(&card, &text)
        }
        Err(diagnostics) => {
            let rendered: Vec<String> = diagnostics.iter().map(|d| d.render(&sources, false)).collect();
            panic!("{} does not check:\n{}", path.display(), rendered.join("\n"))
        }
    }
}

/// examples/saas/saas.lead, compiled.
pub fn saas() -> Program {
    compile("examples/saas/saas.lead")
}

/// The benchmark's program (benches/data/bench.lead: saas plus 14 rules)
/// and whether the hand-written scorer must score the extended rules.
pub fn bench_program() -> (Program, bool) {
    (compile("benches/data/bench.lead"), true)
}
