//! Delivery through the real binary: `recouvre deliver` killed mid-batch (SIGKILL) and
//! restarted delivers every message exactly once to a real SMTP server; two instances on
//! one PostgreSQL database running the same day's run and the outbox at once leave every
//! action and every message exactly once. The SMTP server is `scripts/smtp-sink.py`
//! (aiosmtpd, installed by `scripts/test`).

#![allow(clippy::unwrap_used)]

#[path = "../../deliver/tests/common/mod.rs"]
mod common;

use common::Sink;
#[path = "common/pg.rs"]
mod pg;
use pg::Schema;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_recouvre");

fn cmd(db: &str, day: &str, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(["--db", db, "--as-of", day]).args(args);
    c
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "recouvre {what}: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn recouvre(db: &str, day: &str, args: &[&str]) -> String {
    ok(cmd(db, day, args).output().unwrap(), &args.join(" "))
}

fn json(db: &str, day: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&recouvre(db, day, &all)).unwrap()
}

/// The demo (300 debtors, 3,000 claims, one run on 23 November 2026), with `extra`
/// arguments; returns what it printed.
fn demo_with(db: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "demo",
        "--debtors",
        "300",
        "--claims",
        "3000",
        "--simulate-days",
        "0",
        "--no-serve",
    ];
    args.extend_from_slice(extra);
    recouvre(db, "2026-11-23", &args)
}

fn demo(db: &str) {
    demo_with(db, &["--json"]);
}

fn set_smtp(db: &str, port: u16) {
    recouvre(
        db,
        "2026-11-23",
        &[
            "settings",
            "smtp",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--security",
            "plain",
            "--from",
            "Relances <relances@acme.example>",
        ],
    );
}

/// Every outbox entry (id → entry).
fn entries(db: &str) -> Vec<Value> {
    json(db, "2026-11-23", &["outbox", "list", "--limit", "100000"])["entries"]
        .as_array()
        .unwrap()
        .clone()
}

fn message_ids_on_server(sink: &Sink) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for m in sink.messages() {
        *seen
            .entry(m["message_id"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    seen
}

/// The worker is killed (SIGKILL) while the SMTP server holds its reply to the third
/// message: the message has arrived in full, the worker has recorded `sending` and not
/// yet `sent`. The restarted worker (after the 2 s lease expired) takes over: it sends
/// every other message once and does not resend the interrupted one, which it marks
/// `failed` as uncertain. On the server: every Message-ID exactly once, and exactly the
/// outbox's e-mails.
#[test]
fn killing_the_worker_mid_batch_delivers_every_message_exactly_once() {
    // The server stores and acknowledges each message 300 ms after it arrived.
    let sink = Sink::start(300);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db").display().to_string();
    demo(&db);
    set_smtp(&db, sink.port);
    let queued: Vec<Value> = entries(&db)
        .into_iter()
        .filter(|e| e["channel"] == "email" && e["status"] == "queued")
        .collect();
    assert!(
        queued.len() >= 10,
        "the demo queues enough e-mails: {}",
        queued.len()
    );

    let mut first: Child = cmd(
        &db,
        "2026-11-23",
        &[
            "deliver",
            "--once",
            "--batch",
            "4",
            "--lease-secs",
            "2",
            "--worker-id",
            "first",
        ],
    )
    .stdout(Stdio::null())
    .spawn()
    .unwrap();
    for _ in 0..3 {
        let event = sink
            .events
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap();
        assert!(event.starts_with("RECEIVED"), "{event}");
    }
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    // Let the dead worker's 2-second leases expire, then restart.
    std::thread::sleep(std::time::Duration::from_millis(2_500));
    recouvre(
        &db,
        "2026-11-23",
        &["deliver", "--once", "--worker-id", "second"],
    );

    let on_server = message_ids_on_server(&sink);
    assert!(
        on_server.values().all(|n| *n == 1),
        "a message arrived twice: {on_server:?}"
    );
    let emails: Vec<Value> = entries(&db)
        .into_iter()
        .filter(|e| e["channel"] == "email" && e["recipient"] != "")
        .collect();
    let expected: BTreeSet<String> = emails
        .iter()
        .map(|e| e["message_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(on_server.keys().cloned().collect::<BTreeSet<_>>(), expected);
    // Two sent before the kill, the third interrupted, the rest sent by the second.
    let uncertain: Vec<&Value> = emails.iter().filter(|e| e["status"] == "failed").collect();
    assert_eq!(uncertain.len(), 1, "{uncertain:?}");
    assert!(
        uncertain[0]["last_error"]
            .as_str()
            .unwrap()
            .starts_with("uncertain:"),
        "{uncertain:?}"
    );
    assert_eq!(
        emails.iter().filter(|e| e["status"] == "sent").count(),
        emails.len() - 1
    );
}

/// (debtor, step, day) of every action.
fn action_keys(db: &str) -> Vec<(i64, String, String)> {
    let mut keys: Vec<_> = json(db, "2026-11-23", &["actions", "--limit", "100000"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["debtor_id"].as_i64().unwrap(),
                a["step_code"].as_str().unwrap().to_string(),
                a["created_on"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    keys.sort();
    keys
}

/// Two instances on one PostgreSQL database, started together, each doing what a daily
/// cron does: the run of 26 November, then `deliver --once`. Afterwards the actions are
/// exactly those one run gives on a SQLite copy of the same demo, each once, and every
/// e-mail of the outbox reached the SMTP server exactly once.
#[test]
fn two_instances_on_postgres_do_the_day_once() {
    let day = "2026-11-26";
    // The reference: the same demo, one instance, on SQLite.
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("ref.db").display().to_string();
    demo(&reference);
    recouvre(&reference, day, &["run"]);
    let expected = action_keys(&reference);
    let expected_outbox = entries(&reference).len();

    let schema = Schema::new("dl");
    let db = schema.url.clone();
    demo(&db);
    let sink = Sink::start(0);
    set_smtp(&db, sink.port);
    let before = action_keys(&db);
    assert!(
        expected.len() > before.len(),
        "the day has actions to decide"
    );

    let instances: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|name| {
            let db = db.clone();
            std::thread::spawn(move || {
                // The instance that finds the other's lease live does nothing and exits
                // 75 saying so (issue 23); the other runs the day.
                let out = cmd(&db, day, &["run"]).output().unwrap();
                let run = if out.status.code() == Some(75) {
                    let err = String::from_utf8_lossy(&out.stderr).to_string();
                    assert!(err.contains("is being done by"), "{err}");
                    None
                } else {
                    Some(ok(out, "run"))
                };
                let deliver = ok(
                    cmd(
                        &db,
                        day,
                        &["deliver", "--once", "--batch", "5", "--worker-id", name],
                    )
                    .output()
                    .unwrap(),
                    "deliver",
                );
                (run, deliver)
            })
        })
        .collect();
    let outputs: Vec<_> = instances.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(
        outputs.iter().any(|(run, _)| run.is_some()),
        "one instance ran the day: {outputs:#?}"
    );

    assert_eq!(action_keys(&db), expected, "{outputs:#?}");
    let all = entries(&db);
    assert_eq!(all.len(), expected_outbox);
    let emails: Vec<&Value> = all
        .iter()
        .filter(|e| e["channel"] == "email" && e["recipient"] != "")
        .collect();
    assert!(emails.iter().all(|e| e["status"] == "sent"), "{emails:#?}");
    assert_each_arrived_once(&sink, emails.iter().copied());
}

/// Every Message-ID on the server arrived once, and they are exactly the `emails`'.
fn assert_each_arrived_once<'a>(sink: &Sink, emails: impl Iterator<Item = &'a Value>) {
    let on_server = message_ids_on_server(sink);
    assert!(
        on_server.values().all(|n| *n == 1),
        "a message arrived twice: {on_server:?}"
    );
    assert_eq!(
        on_server.keys().cloned().collect::<BTreeSet<_>>(),
        emails
            .map(|e| e["message_id"].as_str().unwrap().to_string())
            .collect::<BTreeSet<_>>()
    );
}

/// `recouvre demo --smtp` delivers the demo day's e-mails to the server given: every
/// e-mail entry of the outbox with a recipient is sent and arrived once, to it.
#[test]
fn the_demo_delivers_its_day_to_an_smtp_server() {
    let sink = Sink::start(0);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db").display().to_string();
    let url = format!("smtp://127.0.0.1:{}", sink.port);
    let out = demo_with(&db, &["--smtp", &url]);
    let (emails, unreachable): (Vec<Value>, Vec<Value>) = entries(&db)
        .into_iter()
        .filter(|e| e["channel"] == "email")
        .partition(|e| e["recipient"] != "");
    assert!(!emails.is_empty());
    // A debtor the demo knows by phone or post only gets no e-mail: its entry failed at
    // once and says why, and nothing was sent for it.
    assert!(
        unreachable.iter().all(|e| e["status"] == "failed"
            && e["last_error"]
                .as_str()
                .is_some_and(|r| r.contains("no e-mail address"))),
        "{unreachable:#?}"
    );
    assert!(emails.iter().all(|e| e["status"] == "sent"), "{emails:#?}");
    assert!(
        out.contains(&format!("{} sent", emails.len())),
        "the demo says how many it sent: {out}"
    );
    let got = sink.messages();
    assert_eq!(got.len(), emails.len());
    for e in &emails {
        let m = got
            .iter()
            .find(|m| m["message_id"] == e["message_id"])
            .unwrap();
        assert_eq!(m["rcpt_tos"][0], e["recipient"]);
        assert_eq!(m["mail_from"], "relances@demo.recouvre.example");
    }
}

/// Paris time of day now, as minutes after midnight.
fn paris_minutes_now() -> i32 {
    let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap());
    i32::from(now.hour()) * 60 + i32::from(now.minute())
}

/// A `recouvre serve` process, killed when dropped.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(db: &str, day: &str, run_at: &str) -> Served {
    Served(
        cmd(
            db,
            day,
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--run-at",
                run_at,
                "--tick-secs",
                "1",
            ],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap(),
    )
}

/// `recouvre serve` runs the product by itself: two instances serving one PostgreSQL
/// database do nothing before the daily run's hour; once it has passed (a process started
/// after it catches up at once), they run the day once and deliver its e-mails once to
/// the SMTP server — the same actions as one `recouvre run` on SQLite, every Message-ID
/// once on the server. No cron entry, no second process.
#[test]
fn serve_runs_the_day_and_delivers_it_once_with_two_instances() {
    let day = "2026-11-26";
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("ref.db").display().to_string();
    demo(&reference);
    recouvre(&reference, day, &["run"]);
    let expected = action_keys(&reference);

    let schema = Schema::new("dl");
    let db = schema.url.clone();
    demo(&db);
    let before = action_keys(&db);
    assert!(
        expected.len() > before.len(),
        "the day has actions to decide"
    );

    // Before the hour (23:59 Paris, unless the test itself runs in that last minute):
    // three rounds of work and nothing is run. No channel is configured yet, so the
    // instance, killed, leaves no message claimed or half sent.
    if paris_minutes_now() < 23 * 60 + 58 {
        let early = serve(&db, day, "23:59");
        std::thread::sleep(std::time::Duration::from_secs(4));
        drop(early);
        assert_eq!(action_keys(&db), before, "ran before its hour");
    }
    let sink = Sink::start(0);
    set_smtp(&db, sink.port);

    // The hour has passed (00:00): both instances catch up at start.
    let instances = [serve(&db, day, "00:00"), serve(&db, day, "00:00")];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(240);
    let emails = loop {
        let all = entries(&db);
        let emails: Vec<Value> = all
            .into_iter()
            .filter(|e| e["channel"] == "email" && e["recipient"] != "")
            .collect();
        if action_keys(&db) == expected
            && !emails.is_empty()
            && emails.iter().all(|e| e["status"] == "sent")
        {
            break emails;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the day was not run and delivered in time: {} actions of {}, e-mails {:?}",
            action_keys(&db).len(),
            expected.len(),
            emails
                .iter()
                .map(|e| e["status"].clone())
                .collect::<Vec<_>>()
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    };
    // Two more rounds: nothing more happens.
    std::thread::sleep(std::time::Duration::from_secs(3));
    drop(instances);
    assert_eq!(action_keys(&db), expected);
    assert_each_arrived_once(&sink, emails.iter());
}
