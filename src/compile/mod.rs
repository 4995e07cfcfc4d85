//! The back end: a checked [`crate::check::Scorecard`] to bytecode and back.
//!
//! In: a Scorecard, or the bytes of a compiled file. Out: `Bytecode` —
//! the compiled program as data: `lower` builds it, [`format`](mod@format)
//! saves and loads it (running `verify` on every load), `disasm` lists
//! it, `holds` says what each test instruction means. Nothing here runs a
//! lead or knows of the plan or the VM above it; [`crate::Program`] is the
//! facade over all three. The instruction set is in [`opcode`];
//! `docs/bytecode.md` documents it and the file format.

pub(crate) mod bytecode;
mod bytes;
pub(crate) mod disasm;
mod encode;
pub mod format;
pub(crate) mod holds;
pub(crate) mod lower;
pub mod opcode;
pub(crate) mod verify;

pub use bytes::fnv1a;
pub use format::LoadError;
pub use verify::VerifyError;
