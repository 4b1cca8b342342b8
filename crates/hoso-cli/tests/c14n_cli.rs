//! The `hoso c14n` command: output, exit codes and error lines.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn hoso(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hoso"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hoso runs");
    if let Some(input) = stdin {
        // A usage error exits before reading: a broken pipe is expected then.
        match child.stdin.take().unwrap().write_all(input) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("{e}"),
            _ => {}
        }
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn temp_file(name: &str, content: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hoso-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn canonical_bytes_go_to_stdout_and_nothing_else() {
    let doc = b"<?xml version='1.0'?>\n<a xmlns:u='urn:u' b='1' a='2'><!--c--><u:x/></a>";
    let out = hoso(&["c14n", "--method", "exc-c14n", "-"], Some(doc));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        out.stdout,
        b"<a a=\"2\" b=\"1\"><u:x xmlns:u=\"urn:u\"></u:x></a>"
    );
    assert!(out.stderr.is_empty());

    let out = hoso(&["c14n", "--method", "c14n-with-comments", "-"], Some(doc));
    assert_eq!(
        out.stdout,
        b"<a xmlns:u=\"urn:u\" a=\"2\" b=\"1\"><!--c--><u:x></u:x></a>"
    );

    let path = temp_file(
        "ns.xml",
        b"<p:a xmlns:p='urn:p' xmlns:q='urn:q'><q:b/></p:a>",
    );
    let out = hoso(
        &[
            "c14n",
            "--method",
            "exc-c14n",
            "--inclusive-prefixes",
            "q",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        out.stdout,
        b"<p:a xmlns:p=\"urn:p\" xmlns:q=\"urn:q\"><q:b></q:b></p:a>"
    );
}

#[test]
fn subtree_by_id_and_exclusion() {
    let doc = b"<r xmlns='urn:r'><f Id='f1'><d>1</d><s Id='sig'/></f></r>";
    let out = hoso(
        &[
            "c14n",
            "--method",
            "c14n",
            "--id",
            "f1",
            "--exclude-id",
            "sig",
            "-",
        ],
        Some(doc),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, b"<f xmlns=\"urn:r\" Id=\"f1\"><d>1</d></f>");
    let out = hoso(
        &["c14n", "--method", "c14n", "--id", "nope", "-"],
        Some(doc),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn malformed_input_is_one_error_line_and_exit_1() {
    let out = hoso(
        &["c14n", "--method", "c14n", "-"],
        Some(b"<a>\n  <b></c></a>"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no partial output");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "hoso: <stdin>:2:6: mismatched end tag: expected </b>, found </c>\n"
    );

    let out = hoso(
        &["c14n", "--method", "c14n", "-"],
        Some(b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>"),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("hoso: <stdin>:1:1: DOCTYPE refused"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);
}

#[test]
fn usage_and_io_errors_exit_2() {
    let out = hoso(&["c14n", "--method", "c15n", "-"], Some(b"<a/>"));
    assert_eq!(out.status.code(), Some(2));
    let out = hoso(&["c14n", "-"], Some(b"<a/>"));
    assert_eq!(out.status.code(), Some(2));
    let out = hoso(&["c14n", "--method", "c14n", "/nonexistent/file.xml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/file.xml: cannot read"));
}

#[test]
fn a_one_gigabyte_file_is_refused_by_size_without_reading_it() {
    let path = temp_file("huge.xml", b"<a>");
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(1 << 30).unwrap(); // sparse: takes no disk space
    drop(file);
    let out = hoso(&["c14n", "--method", "c14n", path.to_str().unwrap()], None);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("document size in bytes is over the limit 67108864 (max_document_bytes)"),
        "{stderr}"
    );
}
