//! Runs the fuzz targets' property checks over the seeds and the saved
//! regressions, so that `cargo test` covers them without cargo-fuzz:
//!
//! * every file in `fuzz/seeds/` (a plain XML document) through the reader
//!   checks and through the c14n checks with every method and selection;
//! * every file in `fuzz/regressions/reader/` through the reader checks;
//! * every file in `fuzz/regressions/c14n/` (a c14n fuzz input: parameter
//!   header, then the document) through the c14n checks.

#[path = "common/fuzz_props.rs"]
mod fuzz_props;

use std::path::{Path, PathBuf};

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz")
        .join(dir);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .map(|e| e.expect("directory entry").path())
            .filter(|p| {
                p.is_file()
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect(),
        // Git keeps no empty directory: no regressions yet.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    files.sort();
    files
}

fn run_all(dir: &str, check: fn(&[u8])) -> usize {
    let files = files(dir);
    for path in &files {
        let data = std::fs::read(path).expect("readable file");
        if let Err(panic) = std::panic::catch_unwind(|| check(&data)) {
            eprintln!("property failed on {}", path.display());
            std::panic::resume_unwind(panic);
        }
    }
    files.len()
}

#[test]
fn seeds_pass_the_reader_checks() {
    assert!(run_all("seeds", fuzz_props::check_reader) > 0, "no seeds");
}

#[test]
fn seeds_pass_the_c14n_checks() {
    assert!(run_all("seeds", fuzz_props::check_c14n_all) > 0, "no seeds");
}

#[test]
fn reader_regressions() {
    assert!(run_all("regressions/reader", fuzz_props::check_reader) >= 2);
}

#[test]
fn c14n_regressions() {
    assert!(run_all("regressions/c14n", fuzz_props::check_c14n) >= 1);
}
