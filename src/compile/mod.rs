//! The back end: a checked [`crate::check::Scorecard`] to bytecode and back.
//!
//! In: a Scorecard, or the bytes of a compiled file. Out: a
//! [`crate::program::Program`]: [`lower`] builds it, [`format`](mod@format) saves and
//! loads it (with [`crate::compile::verify`] run on every load), [`disasm`] lists it.
//! The instruction set is in [`opcode`]; `docs/bytecode.md` documents it.

pub mod bytecode;
mod bytes;
pub mod disasm;
mod encode;
pub mod format;
pub(crate) mod holds;
pub mod lower;
pub mod opcode;
pub mod verify;

pub use bytes::fnv1a;
pub use format::LoadError;
