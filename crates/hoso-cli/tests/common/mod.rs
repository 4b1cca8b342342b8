//! What the CLI tests share: running `hoso` from the repository root, a
//! scratch folder per test file, and the verification time inside every
//! TEST certificate's validity.
#![allow(dead_code)] // each test file uses a part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A time inside every TEST certificate's, CRL's and OCSP response's window.
pub const AT: &str = "2030-01-01T00:00:00Z";

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `hoso` run from the repository root, so that `certs/` and `examples/`
/// paths work.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hoso"));
    command.current_dir(repo());
    command
}

pub fn hoso(args: &[&str]) -> Output {
    command().args(args).output().expect("hoso runs")
}

/// A path in a scratch folder of this test process, named after `suite`.
pub fn temp(suite: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hoso-{suite}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}
