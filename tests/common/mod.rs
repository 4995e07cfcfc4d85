//! Shared test helpers.
#![allow(dead_code)]
pub mod card;
pub mod saas;

use leadc::program::Program;

/// The benchmark's program and whether the hand-written scorer must score
/// the extended rules.
pub fn bench_program() -> (Program, bool) {
    (Program::compile(&card::saas_card()), false)
}
