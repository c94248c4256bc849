//! One language at a time (issue 23, item 6): every command, its help and its errors,
//! run once with `--lang en` and once with `--lang fr` on the same small portfolio, print
//! no line that mixes both languages, the English run no French word and the French run
//! no English word of our texts; `--json` is the same in both; the language also comes
//! from `RECOUVRE_LANG` and the locale.
//!
//! "Our words" are two short lists of words that occur in one language only in our texts,
//! matched as whole words, case-insensitively, once the values of the data (debtor names,
//! paths, `--options`, `<VALUES>`, quoted terms, code in backticks) are blanked.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The day the commands run: the fixture's invoices are one to two months old.
const DAY: &str = "2026-03-20";

/// Words only French texts use.
const FRENCH: &[&str] = &[
    "créance",
    "créances",
    "débiteur",
    "débiteurs",
    "échéance",
    "échéances",
    "montant",
    "relance",
    "relances",
    "payé",
    "statut",
    "litige",
    "litiges",
    "aucun",
    "aucune",
    "reste",
    "jours",
    "les",
    "des",
    "du",
    "le",
    "la",
    "et",
    "pour",
    "avec",
    "sans",
    "est",
    "dossier",
    "enregistré",
    "enregistrée",
];

/// Words only English texts use ("due" and "options" are French words too; "print" is an
/// outbox status).
const ENGLISH: &[&str] = &[
    "claim", "claims", "debtor", "debtors", "amount", "paid", "status", "dispute", "disputes",
    "none", "the", "of", "and", "with", "is", "are", "not", "from", "by", "to", "days", "recorded",
    "usage", "commands", "error", "warning",
];

/// Values of the data that are neither language's text: the fixture's debtor names.
const DATA: &[&str] = &[
    "Garage Martin SARL",
    "Boulangerie Leroy",
    "Dupont Frères SA",
    "Imprimerie Nouvelle",
    "Bank of England",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Lang {
    En,
    Fr,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../app/tests/data")
        .join(name)
        .display()
        .to_string()
}

/// `recouvre` with the locale and `RECOUVRE_LANG` cleared (English unless told), and
/// `env` set.
fn bin(env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_recouvre"));
    for name in [
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
        "RECOUVRE_LANG",
        "RECOUVRE_CONFIG",
    ] {
        c.env_remove(name);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

/// `recouvre --db DB --as-of DAY --lang L ARGS`, whatever its exit; standard input holds
/// a password (`user add --password-stdin`).
fn run(db: &Path, lang: Lang, args: &[&str]) -> Output {
    use std::io::Write;
    let mut child = bin(&[])
        .arg("--db")
        .arg(db)
        .args(["--as-of", DAY, "--lang", lang.code()])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // A command that does not read it may have exited already.
    let _ = stdin.write_all(b"Lang-test-password-2026\n");
    drop(stdin);
    child.wait_with_output().unwrap()
}

/// Stdout and stderr of a run, as text.
fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The words of `line` that are ours: data values, `--options`, `<VALUES>`, `[OPTIONS]`,
/// quoted terms and code in backticks blanked; a word keeps its `_` and `-` (`court_claim`
/// and `co-debtor` are codes, not words).
fn words(line: &str, blank: &[String]) -> Vec<String> {
    let mut line = line.to_string();
    for d in DATA
        .iter()
        .map(|s| s.to_string())
        .chain(blank.iter().cloned())
    {
        line = line.replace(&d, " ");
    }
    let pairs = [
        ('`', '`'),
        ('"', '"'),
        ('«', '»'),
        ('<', '>'),
        ('[', ']'),
        ('{', '}'),
    ];
    for (open, close) in pairs {
        while let Some(start) = line.find(open) {
            let after = start + open.len_utf8();
            match line[after..].find(close) {
                Some(len) => line.replace_range(start..after + len + close.len_utf8(), " "),
                None => break,
            }
        }
    }
    // Dotted codes (`import.claims`, `sepa.export`: the audit log's actions) are codes.
    let line: String = line
        .split(' ')
        .map(|t| {
            let code = t.contains('.')
                && t.split('.').all(|p| {
                    !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                });
            if code { "" } else { t }
        })
        .collect::<Vec<_>>()
        .join(" ");
    line.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '\''))
        .flat_map(|w| w.split('\''))
        .filter(|w| !w.starts_with('-') && !w.contains("://"))
        .map(str::to_lowercase)
        .collect()
}

/// The lines of `output` with a word of the other language (or of both), described.
fn foreign_lines(output: &str, lang: Lang, blank: &[String]) -> Vec<String> {
    let mut bad = Vec::new();
    for line in output.lines() {
        let w = words(line, blank);
        let fr: Vec<&String> = w.iter().filter(|w| FRENCH.contains(&w.as_str())).collect();
        let en: Vec<&String> = w.iter().filter(|w| ENGLISH.contains(&w.as_str())).collect();
        let wrong = match lang {
            Lang::En => &fr,
            Lang::Fr => &en,
        };
        if !wrong.is_empty() || (!fr.is_empty() && !en.is_empty()) {
            bad.push(format!("{line:?} (fr {fr:?}, en {en:?})"));
        }
    }
    bad
}

/// A fresh portfolio: the six claims of `claims.csv`, a statement of March.
fn portfolio(dir: &Path, lang: Lang) -> PathBuf {
    let db = dir.join(format!("{}.db", lang.code()));
    for args in [
        vec!["init"],
        vec!["import", "claims", &fixture("claims.csv")],
        vec!["import", "statement", &fixture("camt053_march.xml")],
    ] {
        let out = run(&db, lang, &args);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
    }
    db
}

/// The commands that only read, run in each language, and whose `--json` must not depend
/// on it.
const READS: &[&[&str]] = &[
    &["summary"],
    &["debtors"],
    &["debtors", "--overdue"],
    &["claims", "--all"],
    &["show", "debtor", "3"],
    &["show", "claim", "1"],
    &["interest", "1"],
    &["limitation", "--within", "3650"],
    &["event", "list"],
    &["routes", "1"],
    &["rates"],
    &["scenarios"],
    &["run", "--dry-run"],
    &["run", "--preview"],
    &["worklist"],
    &["actions"],
    &["promise", "list"],
    &["plan", "list"],
    &["dispute", "list"],
    &["dispute", "report"],
    &["audit"],
    &["gdpr", "retention"],
    &["gdpr", "due"],
    &["gdpr", "requests"],
    &["notice", "list"],
    &["financing", "list"],
    &["payments"],
    &["payments", "review"],
    &["template", "list"],
    &["report", "aging"],
    &["report", "kpis"],
    &["report", "effectiveness"],
    &["report", "forecast"],
    &["report", "payment-terms"],
    &["migrate"],
    &["settings"],
    &["outbox"],
    &["terms", "1"],
    &["creditor", "MAIN"],
];

/// Commands that write, one or more per group, and commands that fail, in order.
fn writes(scratch: &Path) -> Vec<Vec<String>> {
    let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let out = |name: &str| scratch.join(name).display().to_string();
    // An import refused for a row the due date of which precedes its issue.
    std::fs::write(
        scratch.join("bad.csv"),
        "invoice_number,debtor_id,debtor_name,debtor_kind,segment,country,issue_date,due_date,amount,currency\n\
         F9,D9,Garage Martin SARL,company,b2b,FR,2026-02-01,2026-01-01,-10.00,EUR\n",
    )
    .unwrap();
    vec![
        s(&[
            "user",
            "add",
            "alice",
            "--role",
            "collector",
            "--password-stdin",
        ]),
        s(&["user", "list"]),
        s(&["user", "token", "alice"]),
        s(&["assign", "1", "--to", "alice"]),
        s(&[
            "promise",
            "add",
            "2",
            "--amount",
            "100",
            "--due",
            "2026-04-10",
        ]),
        s(&["plan", "propose", "3", "--count", "3"]),
        s(&["plan", "create", "3", "--count", "3"]),
        s(&["plan", "show", "2"]),
        s(&["dispute", "open", "5", "--reason", "quality"]),
        s(&["dispute", "resolve", "3", "--reject"]),
        s(&["hold", "1", "--until", "2026-04-30"]),
        s(&["hold", "1", "--release"]),
        s(&["call", "2", "--outcome", "reached", "--note", "ok"]),
        s(&["notice", "add", "1", "--sent", "2026-03-10"]),
        s(&[
            "event",
            "add",
            "--claim",
            "1",
            "--kind",
            "acknowledgment",
            "--date",
            "2026-03-01",
        ]),
        s(&["creditor", "ACME", "Acme Industrie SAS"]),
        s(&["terms", "1", "--penalty-rate", "12%"]),
        s(&["write-off", "6", "--reason", "gone", "--amount", "10"]),
        s(&[
            "financing",
            "add-factor",
            "Factor One",
            "--iban",
            "FR7630006000011234567890189",
        ]),
        s(&["scenarios", "export", &out("scenarios")]),
        s(&["template", "export", &out("templates")]),
        s(&["template", "preview", "reminder_1", "--debtor", "1"]),
        s(&["interest", "1", "--post"]),
        s(&["run"]),
        s(&["worklist"]),
        s(&["actions"]),
        s(&["letters", "batch", "--date", DAY, "--out", &out("letters")]),
        s(&["backup", &out("backup.db")]),
        s(&["import", "claims", &fixture("claims.csv")]),
        s(&["import", "statement", &fixture("camt053_march.xml")]),
        // Errors: of a use case, of an import, of the command line, of clap.
        s(&["show", "claim", "999"]),
        s(&["import", "claims", &out("bad.csv")]),
        s(&["report", "aging", "--format", "pdf"]),
        s(&["plan", "create", "3", "--bogus"]),
        s(&["hold", "1"]),
        s(&["dispute", "open", "1", "--reason", "weather"]),
        s(&["user", "totp", "alice", "--off"]),
        s(&[
            "user",
            "totp",
            "alice",
            "--secret",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "--code",
            "000000",
        ]),
        s(&["settings", "security", "--totp-admins", "optional"]),
        s(&["gdpr", "erase", "1"]),
        s(&["gdpr", "propose"]),
    ]
}

/// Every command path (`["plan", "create"]`), the root first.
fn paths() -> Vec<Vec<String>> {
    let mut all = vec![Vec::new()];
    let cli = <recouvre::cli::Cli as clap::CommandFactory>::command();
    common::command_paths(&cli, &[], &mut all);
    all
}

/// The help of `path` in `lang`, with the lines that name commands or show the usage left
/// out (command names are code: `dispute`, `claims`).
fn help(lang: Lang, path: &[String]) -> String {
    let out = bin(&[])
        .args(["--lang", lang.code()])
        .args(path)
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success(), "{path:?} --help: {}", text(&out));
    let mut commands = false;
    let mut kept = String::new();
    for line in text(&out).lines() {
        if line.starts_with("Usage:") || line.starts_with("Utilisation :") {
            kept.push_str(line.split(':').next().unwrap_or_default());
            kept.push('\n');
            continue;
        }
        if !line.starts_with(' ') {
            commands = line.starts_with("Commands") || line.starts_with("Commandes");
            kept.push_str(line);
        } else if commands {
            // `  dispute   Disputes ("litiges")`: the help after the name.
            let trimmed = line.trim_start();
            kept.push_str(trimmed.split_once(' ').map_or("", |(_, help)| help));
        } else {
            kept.push_str(line);
        }
        kept.push('\n');
    }
    kept
}

#[test]
fn every_command_speaks_one_language_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let blank = vec![
        dir.path().display().to_string(),
        fixture("claims.csv"),
        fixture("camt053_march.xml"),
    ];
    let mut failures = Vec::new();
    for lang in [Lang::En, Lang::Fr] {
        let db = portfolio(dir.path(), lang);
        let scratch = dir.path().join(lang.code());
        std::fs::create_dir_all(&scratch).unwrap();
        let mut runs: Vec<Vec<String>> = READS
            .iter()
            .map(|a| a.iter().map(|s| s.to_string()).collect())
            .collect();
        runs.extend(writes(&scratch));
        for args in runs {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut out = text(&run(&db, lang, &args));
            assert!(!out.trim().is_empty(), "{args:?} said nothing");
            if args == ["rates"] {
                // The last column cites each rate's source, in its own language: data.
                out = out
                    .lines()
                    .map(|l| l.split('┆').take(4).collect::<Vec<_>>().join("┆") + "\n")
                    .collect();
            }
            if args[0] == "backup" {
                // The first column names the database's tables (`claims`): code.
                out = out
                    .lines()
                    .map(|l| match l.split_once('┆') {
                        Some((_, rest)) => format!("{rest}\n"),
                        None => format!("{l}\n"),
                    })
                    .collect();
            }
            for bad in foreign_lines(&out, lang, &blank) {
                failures.push(format!("{}: {args:?}: {bad}", lang.code()));
            }
        }
        for path in paths() {
            for bad in foreign_lines(&help(lang, &path), lang, &blank) {
                failures.push(format!("{}: {path:?} --help: {bad}", lang.code()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} lines in the other language or in both:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_check_catches_a_line_in_both_languages() {
    // Lines as the CLI printed them before it spoke one language at a time.
    let both = "Debtors as of 2026-03-20 / Débiteurs au 2026-03-20\nOpen / en cours: 0";
    assert_eq!(foreign_lines(both, Lang::En, &[]).len(), 1, "{both}");
    assert_eq!(foreign_lines(both, Lang::Fr, &[]).len(), 1, "{both}");
    let fine = "│ Dupont Frères SA ┆ 300.00 EUR │\nClaims as of 2026-03-20";
    assert!(foreign_lines(fine, Lang::En, &[]).is_empty());
    assert_eq!(foreign_lines(fine, Lang::Fr, &[]).len(), 1);
}

#[test]
fn json_is_the_same_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let db = portfolio(dir.path(), Lang::En);
    for args in READS {
        let json = |lang| {
            let mut all = vec!["--json"];
            all.extend_from_slice(args);
            let out = run(&db, lang, &all);
            assert!(out.status.success(), "{args:?}: {}", text(&out));
            String::from_utf8(out.stdout).unwrap()
        };
        let en = json(Lang::En);
        assert!(
            serde_json::from_str::<serde_json::Value>(&en).is_ok(),
            "{args:?}: not JSON: {en}"
        );
        assert_eq!(en, json(Lang::Fr), "{args:?}");
    }
}

#[test]
fn the_language_comes_from_recouvre_lang_then_the_locale() {
    let dir = tempfile::tempdir().unwrap();
    let db = portfolio(dir.path(), Lang::En);
    let summary = |env: &[(&str, &str)], flag: Option<&str>| {
        let mut c = bin(env);
        c.arg("--db").arg(&db).args(["--as-of", DAY]);
        if let Some(l) = flag {
            c.args(["--lang", l]);
        }
        let out = c.arg("summary").output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    let french = |s: &str| s.contains("Portefeuille au") && !s.contains("Portfolio as of");
    let english = |s: &str| s.contains("Portfolio as of") && !s.contains("Portefeuille au");
    assert!(english(&summary(&[], None)), "English by default");
    assert!(french(&summary(&[("LANG", "fr_FR.UTF-8")], None)));
    assert!(french(&summary(
        &[("LC_ALL", "fr_CA.UTF-8"), ("LANG", "en_US")],
        None
    )));
    assert!(french(&summary(
        &[("RECOUVRE_LANG", "fr"), ("LANG", "en_US.UTF-8")],
        None
    )));
    assert!(english(&summary(&[("RECOUVRE_LANG", "fr")], Some("en"))));
    assert!(english(&summary(&[("LANG", "de_DE.UTF-8")], None)));
    // The configuration file's `lang` comes after RECOUVRE_LANG, before the locale.
    let config = dir.path().join("recouvre.toml");
    std::fs::write(&config, "lang = \"fr\"\n").unwrap();
    let config = config.display().to_string();
    assert!(french(&summary(&[("RECOUVRE_CONFIG", &config)], None)));
    assert!(english(&summary(
        &[("RECOUVRE_CONFIG", &config), ("RECOUVRE_LANG", "en")],
        None
    )));
    // Errors too, with their prefix; and clap's.
    let err = text(&run(&db, Lang::Fr, &["show", "claim", "999"]));
    assert!(err.starts_with("erreur : "), "{err}");
    let err = text(&run(&db, Lang::En, &["show", "claim", "999"]));
    assert!(err.starts_with("error: "), "{err}");
    let err = text(&run(&db, Lang::Fr, &["summary", "--bogus"]));
    assert!(err.contains("argument inattendu"), "{err}");
}
