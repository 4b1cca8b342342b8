//! Running `xmlsec1` (the independent XML-DSig implementation) from tests:
//! finding it, a scratch directory per test, signing and verifying.
//!
//! Included with `#[path = "common/xmlsec.rs"] mod xmlsec;` by the tests
//! that talk to it.  When `xmlsec1` is missing a test fails under CI
//! (`CI=true`; `scripts/test.sh` installs it) and is skipped elsewhere.
#![allow(dead_code)] // each test file uses a part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The `xmlsec1` binary, or `None` (after saying so) when it is missing
/// outside CI.  Panics under CI when it is missing.
pub fn xmlsec1(test: &str) -> Option<Xmlsec> {
    let found = Command::new("xmlsec1")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match found {
        Some(version) => Some(Xmlsec { version }),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{test}: xmlsec1 is missing (scripts/test.sh installs it)")
        }
        None => {
            eprintln!("{test}: SKIPPED: xmlsec1 is not installed (scripts/test.sh installs it)");
            None
        }
    }
}

/// An installed `xmlsec1`.
pub struct Xmlsec {
    /// `xmlsec1 --version`, e.g. "xmlsec1 1.2.37 (openssl)".
    pub version: String,
}

impl Xmlsec {
    /// The transforms and signature methods this build registers
    /// (`--list-transforms`), e.g. "c14n11", "rsa-sha512".
    pub fn transforms(&self) -> Vec<String> {
        let out = Command::new("xmlsec1")
            .arg("--list-transforms")
            .output()
            .expect("xmlsec1 runs");
        String::from_utf8_lossy(&out.stdout)
            .split([',', '\n'])
            .map(|s| s.trim().trim_matches('"').to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// Whether a transform or method of this name is registered.
    pub fn supports(&self, name: &str) -> bool {
        self.transforms().iter().any(|t| t == name)
    }

    /// Runs `xmlsec1` with these arguments.
    pub fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        Command::new("xmlsec1")
            .args(args)
            .output()
            .expect("xmlsec1 runs")
    }

    /// Signs the template `template` with `--privkey-pem KEY,CERT...`
    /// (`key_and_certs`: the key file, then the certificates to put in
    /// KeyInfo) and returns the signed document.  `extra` are more options
    /// (`--id-attr:Id ...`).  Panics with xmlsec1's output on failure.
    pub fn sign(
        &self,
        dir: &Scratch,
        template: &[u8],
        key_and_certs: &[PathBuf],
        extra: &[&str],
    ) -> Vec<u8> {
        let input = dir.write("template.xml", template);
        let output = dir.path("signed.xml");
        let key = key_and_certs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(",");
        let mut args: Vec<String> = vec!["--sign".into(), "--privkey-pem".into(), key];
        args.extend(extra.iter().map(|s| s.to_string()));
        args.extend([
            "--output".into(),
            output.display().to_string(),
            input.display().to_string(),
        ]);
        let out = self.run(&args);
        assert!(
            out.status.success(),
            "xmlsec1 {args:?} failed:\n{}{}\ntemplate:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(template)
        );
        std::fs::read(&output).unwrap()
    }
}

/// What `xmlsec1 --verify` said.
pub struct Verdict {
    /// Exit status 0.
    pub success: bool,
    /// stdout and stderr together.
    pub text: String,
}

impl Verdict {
    /// Exit 0 and a line that says exactly "OK".
    pub fn ok(&self) -> bool {
        self.success && self.text.lines().any(|l| l.trim() == "OK")
    }
}

impl Xmlsec {
    /// `xmlsec1 --verify` of `document` trusting only the TEST root, with
    /// `untrusted` as untrusted intermediates, at 2030-01-01 00:00:00, with
    /// `extra` options (Id attributes).
    pub fn verify(
        &self,
        dir: &Scratch,
        document: &[u8],
        root: &Path,
        untrusted: &[PathBuf],
        extra: &[&str],
    ) -> Verdict {
        let input = dir.write("to-verify.xml", document);
        let mut args: Vec<String> = vec![
            "--verify".into(),
            "--trusted-pem".into(),
            root.display().to_string(),
        ];
        for u in untrusted {
            args.push("--untrusted-pem".into());
            args.push(u.display().to_string());
        }
        args.extend(["--verification-time".into(), "2030-01-01 00:00:00".into()]);
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(input.display().to_string());
        let out = self.run(&args);
        Verdict {
            success: out.status.success(),
            text: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }
}

/// A scratch directory under the system temp dir, unique to this process
/// and call, removed on drop.
pub struct Scratch {
    dir: PathBuf,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl Scratch {
    /// A new empty directory named after `test`.
    pub fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "hoso-dsig-{test}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        Scratch { dir }
    }

    /// A path inside the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Writes a file and returns its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
