//! `hoso sign --p12`: the signer's key and certificates from a PKCS#12
//! file, the password from an environment variable (or the terminal, which
//! these tests do not have).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::AT;

const PASSWORD: &str = "hoso-test";
const VAR: &str = "HOSO_P12_PASSWORD";

fn temp(name: &str) -> PathBuf {
    common::temp("sign-p12", name)
}

/// Runs hoso with no standard input (so no terminal) and `password` in
/// HOSO_P12_PASSWORD (unset for `None`).  A run that outlives a minute is
/// killed and fails the test: asking for a password must never hang.
fn hoso(args: &[&str], password: Option<&str>) -> Output {
    let mut command = common::command();
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match password {
        Some(p) => command.env(VAR, p),
        None => command.env_remove(VAR),
    };
    let mut child = command.spawn().expect("hoso runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("hoso {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn sign_p12(p12: &str, extra: &[&str], out: &Path, password: Option<&str>) -> Output {
    let p12 = format!("certs/test/signers/{p12}");
    let mut args = vec!["sign", "--p12", &p12, "--password-env", VAR];
    args.extend_from_slice(extra);
    args.extend(["examples/form.xml", "-o", out.to_str().unwrap()]);
    hoso(&args, password)
}

#[test]
fn a_form_signed_with_each_container_verifies() {
    for p12 in [
        "person-cccd.p12",
        "person-cccd.legacy.p12",
        "person-cccd.3des.p12",
    ] {
        let signed = temp(&format!("{p12}.xml"));
        let out = sign_p12(p12, &[], &signed, Some(PASSWORD));
        assert_eq!(out.status.code(), Some(0), "{p12}: {}", stderr(&out));
        assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{p12}");

        // KeyInfo carries the file's chain, signer first.
        let document = std::fs::read_to_string(&signed).unwrap();
        assert_eq!(
            document.matches("<ds:X509Certificate>").count(),
            3,
            "{p12}: signer, CA 1, root"
        );

        let out = hoso(&["verify", "--at", AT, signed.to_str().unwrap()], None);
        let report = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{p12}: {report}");
        assert!(
            report.contains("Căn cước công dân số 001203004567"),
            "{report}"
        );
        assert!(report.contains("Kết luận: chấp nhận"), "{report}");
    }
}

#[test]
fn chain_files_add_only_certificates_not_already_there() {
    let signed = temp("with-chain.xml");
    let out = sign_p12(
        "person-cccd.p12",
        &["--chain", "certs/test/chain-ca1.pem"],
        &signed,
        Some(PASSWORD),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let document = std::fs::read_to_string(&signed).unwrap();
    assert_eq!(document.matches("<ds:X509Certificate>").count(), 3);
}

#[test]
fn a_wrong_password_is_a_usage_error_that_says_so() {
    let signed = temp("wrong.xml");
    let out = sign_p12("person-cccd.p12", &[], &signed, Some("not-the-password"));
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(message.contains("person-cccd.p12"), "{message}");
    assert!(message.contains("mật khẩu sai hoặc tệp hỏng"), "{message}");
    assert!(
        message.contains("wrong password or damaged file"),
        "{message}"
    );
    assert!(!message.contains("not-the-password"), "{message}");
    assert!(!signed.exists(), "nothing is written");
}

#[test]
fn an_unset_password_variable_is_a_usage_error() {
    let out = sign_p12("person-cccd.p12", &[], &temp("unset.xml"), None);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(message.contains(VAR), "{message}");
    assert!(message.contains("is not set"), "{message}");
}

#[test]
fn without_a_terminal_or_a_variable_it_fails_instead_of_asking() {
    let out = hoso(
        &[
            "sign",
            "--p12",
            "certs/test/signers/person-cccd.p12",
            "examples/form.xml",
            "-o",
            temp("no-tty.xml").to_str().unwrap(),
        ],
        Some(PASSWORD),
    );
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(message.contains("no terminal"), "{message}");
    assert!(message.contains("--password-env"), "{message}");
    assert!(
        !message.contains("Mật khẩu PKCS#12 / PKCS#12 password: "),
        "no prompt: {message}"
    );
}

#[test]
fn p12_and_key_files_exclude_each_other() {
    for args in [
        &[
            "sign",
            "--p12",
            "certs/test/signers/person-cccd.p12",
            "--key",
            "certs/test/signers/person-cccd.key.pem",
            "examples/form.xml",
            "-o",
            "-",
        ][..],
        &[
            "sign",
            "--key",
            "certs/test/signers/person-cccd.key.pem",
            "--cert",
            "certs/test/signers/person-cccd.pem",
            "--password-env",
            VAR,
            "examples/form.xml",
            "-o",
            "-",
        ],
        &["sign", "examples/form.xml", "-o", "-"],
    ] {
        let out = hoso(args, Some(PASSWORD));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn a_file_that_is_not_pkcs12_is_a_usage_error() {
    let out = hoso(
        &[
            "sign",
            "--p12",
            "certs/test/signers/person-cccd.der",
            "--password-env",
            VAR,
            "examples/form.xml",
            "-o",
            "-",
        ],
        Some(PASSWORD),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a readable PKCS#12 file"),
        "{}",
        stderr(&out)
    );
}
