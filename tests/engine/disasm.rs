//! Golden disassembly of the example programs: the listing (instructions,
//! constant pools, rule texts and lines) is reviewed in the snapshot.

use crate::common;

#[test]
fn saas() {
    insta::assert_snapshot!("saas", common::saas().disassemble());
}

#[test]
fn bench() {
    insta::assert_snapshot!("bench", common::bench_program().0.disassemble());
}

#[test]
fn a_loaded_program_lists_the_same() {
    let program = common::saas();
    let loaded = leadc::program::Program::from_bytes(&program.to_bytes()).unwrap();
    assert_eq!(loaded.disassemble(), program.disassemble());
}
