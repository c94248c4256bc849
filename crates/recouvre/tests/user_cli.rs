//! `recouvre user add`: the password rules of issue 23 (12 characters, not a common one),
//! the same as the pages'.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

/// `recouvre --db DB user add LOGIN --role viewer --password-stdin`, the password on stdin.
fn add(db: &std::path::Path, login: &str, password: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_recouvre"))
        .arg("--db")
        .arg(db)
        .args(["user", "add", login, "--role", "viewer", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn user_add_refuses_short_and_common_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("users.db");
    for (password, why) in [
        ("short-pass1", "au moins 12 caractères"),
        ("Password1234!", "most common"),
    ] {
        let out = add(&db, "newcomer", password);
        assert!(!out.status.success(), "{password}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{password}: {err}");
    }
    let list = common::recouvre(&db, "2026-06-30", &["user", "list"]);
    assert!(!list.contains("newcomer"), "{list}");
    let out = add(&db, "newcomer", "tram-velo-42");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = common::recouvre(&db, "2026-06-30", &["user", "list"]);
    assert!(list.contains("newcomer"), "{list}");
}
