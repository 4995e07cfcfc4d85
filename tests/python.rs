//! The Python package (`python/`), built and tested from `cargo test`.
//!
//! Makes `target/python-venv` on first use (`python3 -m venv`, then
//! `python/requirements-dev.txt` from PyPI), builds the wheel with maturin
//! (a debug build, into `target/python-wheels`), installs it, and runs the
//! pytest suite in `python/tests` against this build's `leadc` binary, so
//! that the scores Python gives are compared with the CLI's. Set
//! `LEADC_PYTHON` to a Python that already has the package and the test
//! requirements to skip the build.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `command`, without the variables cargo sets for this test (they would
/// steer the nested cargo that maturin runs).
fn clean(mut command: Command) -> Command {
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().to_string();
        if key.starts_with("CARGO_") && key != "CARGO_HOME" || key == "RUSTC_WRAPPER" {
            command.env_remove(key);
        }
    }
    command
}

fn run(what: &str, command: &mut Command) {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        output.status.success(),
        "{what} failed ({})\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A Python with the package built from this tree installed.
fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("LEADC_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = root().join("target/python-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        run("python3 -m venv", Command::new("python3").arg("-m").arg("venv").arg(&venv));
    }
    let requirements = root().join("python/requirements-dev.txt");
    run("pip install", Command::new(&python).args(["-m", "pip", "install", "-q", "-r"]).arg(&requirements));
    let wheels = root().join("target/python-wheels");
    let _ = std::fs::remove_dir_all(&wheels);
    let mut maturin = clean(Command::new(venv.join("bin/maturin")));
    maturin.arg("build").arg("-q").arg("-m").arg(root().join("python/Cargo.toml")).arg("-o").arg(&wheels);
    run("maturin build", &mut maturin);
    let wheel = std::fs::read_dir(&wheels)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .expect("maturin wrote no wheel");
    run(
        "pip install the wheel",
        Command::new(&python)
            .args(["-m", "pip", "install", "-q", "--force-reinstall", "--no-deps"])
            .arg(&wheel),
    );
    python
}

#[test]
fn the_python_package_passes_its_pytest_suite() {
    let python = python();
    // Not `python -m pytest` from `python/`: the source folder `leadc/`
    // (without the compiled module) would shadow the installed package.
    let mut pytest = Command::new(&python);
    pytest
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir"])
        .arg(root().join("python"))
        .arg(root().join("python/tests"))
        .current_dir(std::env::temp_dir())
        .env("LEADC_BIN", env!("CARGO_BIN_EXE_leadc"));
    let output = pytest.output().expect("cannot start pytest");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "pytest failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains(" passed"), "pytest ran nothing:\n{stdout}");
    assert!(!stdout.contains("skipped"), "pytest skipped tests:\n{stdout}");
}
