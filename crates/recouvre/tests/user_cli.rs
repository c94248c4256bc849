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

/// `recouvre --db DB [--json] ARGS...` with `stdin` on standard input.
fn with_stdin(db: &std::path::Path, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_recouvre"))
        .arg("--db")
        .arg(db)
        .args(["--as-of", "2026-06-30"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{stdin}").unwrap();
    child.wait_with_output().unwrap()
}

fn fails_with(out: &std::process::Output, why: &str) {
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(why), "{why}: {err}");
}

/// The user of that login in `user list --json`.
fn user(db: &std::path::Path, login: &str) -> serde_json::Value {
    let list = common::json(db, "2026-06-30", &["user", "list"]);
    list.as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == login)
        .cloned()
        .unwrap()
}

/// The audit log's actions, oldest first, read from the database.
fn audit_actions(db: &std::path::Path) -> Vec<String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = store_sqlite::SqliteStore::open(db.to_str().unwrap(), "2026-06-30T12:00:00Z")
            .await
            .unwrap();
        let mut tx = app::store::Store::begin(&store).await.unwrap();
        let mut entries = tx.audit_entries(100, None).await.unwrap();
        entries.reverse();
        entries
            .into_iter()
            .map(|e| format!("{} {}", e.action, e.subject))
            .collect()
    })
}

#[test]
fn user_commands_deactivate_change_role_and_password_and_manage_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("admin.db");
    for (login, role) in [("boss", "admin"), ("alice", "viewer")] {
        let out = with_stdin(
            &db,
            &["user", "add", login, "--role", role, "--password-stdin"],
            "tram-velo-metro-42",
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The only admin stays one, and active.
    let last = "last active administrator";
    fails_with(
        &common::run(&db, "2026-06-30", &["user", "deactivate", "boss"]),
        last,
    );
    fails_with(
        &common::run(&db, "2026-06-30", &["user", "role", "boss", "viewer"]),
        last,
    );
    assert_eq!(user(&db, "boss")["role"], "admin");

    let out = common::recouvre(&db, "2026-06-30", &["user", "role", "alice", "manager"]);
    assert!(out.contains("alice"), "{out}");
    assert_eq!(user(&db, "alice")["role"], "manager");
    fails_with(
        &common::run(&db, "2026-06-30", &["user", "role", "alice", "boss"]),
        "not one of",
    );
    common::recouvre(&db, "2026-06-30", &["user", "deactivate", "alice"]);
    assert_eq!(user(&db, "alice")["active"], false);
    common::recouvre(&db, "2026-06-30", &["user", "activate", "alice"]);
    assert_eq!(user(&db, "alice")["active"], true);

    // Passwords follow the same rules as at creation.
    let set = |pw: &str| with_stdin(&db, &["user", "password", "alice", "--password-stdin"], pw);
    fails_with(&set("short"), "12");
    fails_with(&set("azertyuiop123"), "most common");
    let out = set("velo-tram-metro-43");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Tokens: one for 30 days, one without end.
    let erp = common::json(
        &db,
        "2026-06-30",
        &[
            "user",
            "token",
            "alice",
            "--name",
            "erp",
            "--expires-days",
            "30",
        ],
    );
    assert_eq!(erp["expires_at"], "2026-07-30T12:00:00Z");
    assert_eq!(erp["token"].as_str().unwrap().len(), 64);
    let ci = common::json(
        &db,
        "2026-06-30",
        &["user", "token", "alice", "--name", "ci"],
    );
    assert_eq!(ci["expires_at"], serde_json::Value::Null);
    fails_with(
        &common::run(
            &db,
            "2026-06-30",
            &["user", "token", "alice", "--expires-days", "0"],
        ),
        "from 1 to 3650",
    );
    let usable = |day: &str| -> Vec<(String, bool)> {
        common::json(&db, day, &["user", "tokens", "alice"])
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["name"].as_str().unwrap().to_string(),
                    t["usable"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let both = |a: bool, b: bool| vec![("erp".to_string(), a), ("ci".to_string(), b)];
    assert_eq!(usable("2026-06-30"), both(true, true));
    // On 2026-07-31 the 30 days are over.
    assert_eq!(usable("2026-07-31"), both(false, true));
    let table = common::recouvre(&db, "2026-07-31", &["user", "tokens", "alice"]);
    assert!(
        table.contains("expired") && table.contains("2026-07-30T12:00:00Z"),
        "{table}"
    );

    let id = ci["id"].as_i64().unwrap().to_string();
    let out = common::recouvre(&db, "2026-06-30", &["user", "revoke", &id]);
    assert!(out.contains("revoked"), "{out}");
    assert_eq!(usable("2026-06-30"), both(true, false));
    fails_with(
        &common::run(&db, "2026-06-30", &["user", "revoke", &id]),
        "already revoked",
    );
    fails_with(
        &common::run(&db, "2026-06-30", &["user", "revoke", "999"]),
        "999",
    );

    assert_eq!(
        audit_actions(&db),
        [
            "user.create user:boss",
            "user.create user:alice",
            "user.role user:alice",
            "user.deactivate user:alice",
            "user.activate user:alice",
            "user.password user:alice",
            "api_token.create user:alice",
            "api_token.create user:alice",
            "api_token.revoke user:alice",
        ]
    );
}

/// Issue 23, item 4: `recouvre user totp` sets up a second factor (with the code the app
/// shows, checked at the clock of `--as-of`, noon UTC), `--off` removes it, and
/// `settings security --totp-admins required` is refused while an administrator has none.
#[test]
fn second_factor_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("totp.db");
    let out = with_stdin(
        &db,
        &["user", "add", "boss", "--role", "admin", "--password-stdin"],
        "tram-velo-metro-42",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    fails_with(
        &common::run(
            &db,
            "2026-06-30",
            &["settings", "security", "--totp-admins", "required"],
        ),
        "boss",
    );
    // RFC 6238's SHA-1 key; the code of 2026-06-30T12:00:00Z's step.
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let noon: i64 = 1_782_820_800; // 2026-06-30T12:00:00Z
    let code = format!(
        "{:06}",
        app::totp::hotp(b"12345678901234567890", (noon / 30) as u64)
    );
    fails_with(
        &common::run(
            &db,
            "2026-06-30",
            &[
                "user", "totp", "boss", "--secret", secret, "--code", "123456",
            ],
        ),
        "code",
    );
    common::recouvre(
        &db,
        "2026-06-30",
        &["user", "totp", "boss", "--secret", secret, "--code", &code],
    );
    assert_eq!(user(&db, "boss")["totp"], true);
    let shown = common::json(
        &db,
        "2026-06-30",
        &["settings", "security", "--totp-admins", "required"],
    );
    assert_eq!(shown["totp_required_for_admins"], true);
    common::recouvre(&db, "2026-06-30", &["user", "totp", "boss", "--off"]);
    assert_eq!(user(&db, "boss")["totp"], false);
    let actions = audit_actions(&db);
    for a in [
        "user.totp_enable user:boss",
        "settings.totp_admins settings",
        "user.totp_disable user:boss",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a}: {actions:?}");
    }
}
