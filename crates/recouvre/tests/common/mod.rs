//! What the command-line tests share: running the real binary on a database.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses part of it; a failed unwrap fails it

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `recouvre --db DB --as-of DAY ARGS...`, whatever its exit, in English whatever
/// the machine's locale (`--lang fr` among ARGS for French).
pub fn run(db: &Path, day: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_recouvre"))
        .env("RECOUVRE_LANG", "en")
        .arg("--db")
        .arg(db)
        .args(["--as-of", day])
        .args(args)
        .output()
        .unwrap()
}

/// The same; returns stdout, failing on a non-zero exit.
pub fn recouvre(db: &Path, day: &str, args: &[&str]) -> String {
    let out = run(db, day, args);
    assert!(
        out.status.success(),
        "recouvre {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The same with `--json`, parsed.
pub fn json(db: &Path, day: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&recouvre(db, day, &all)).unwrap()
}

/// Every command path of `cmd` after `prefix` (`["plan", "create"]`, ...), depth first.
pub fn command_paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    for sub in cmd.get_subcommands() {
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_string());
        out.push(path.clone());
        command_paths(sub, &path, out);
    }
}

#[path = "pg.rs"]
mod pg;
#[allow(unused_imports)] // each test file uses part of it
pub use pg::{Schema, pg_url};
