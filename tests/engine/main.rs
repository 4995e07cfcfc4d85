//! The engine layer: checked scorecards in, compiled bytecode, its
//! verifier, the evaluation plan and the VM's outcomes out. Lowering and its
//! property tests, the golden disassembly, damaged compiled files, the VM
//! against a hand-written scorer, the reference evaluator's hand-worked
//! examples, the differential tests between them (plain and timed), timed
//! rules and event behaviours.

// Tests may unwrap and panic: a failure is the report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;
#[path = "../gen/mod.rs"]
mod generate;

#[cfg(feature = "arrow")]
mod arrow;
mod batch;
mod differential;
mod differential_time;
mod disasm;
mod events;
mod ignore_case;
mod lower;
mod lowering_props;
mod reference;
mod timed;
mod timed_props;
mod verify;
mod vm;
