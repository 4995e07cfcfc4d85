//! The `leadc` command.
fn main() {}
