//! The command line as a whole never panics on a valid-looking command (issue 17, item 6).
//!
//! clap checks most of a declaration only when a command is parsed or its value is read:
//! a value parser returning another type than the field's panics at the first use of the
//! option (`plan create 1 --count 6 --claims 1` did). So this file checks the declaration
//! itself (`debug_assert`), renders every subcommand's help, and parses every example the
//! README documents (the command reference table, the global options and the shell code
//! blocks), read from the README at test time so that a newly documented example is
//! checked too. Parsing builds the typed `Cli`, which reads every value: a type mismatch
//! panics here instead of in a user's terminal. Finally `plan create --claims` runs
//! through the real binary.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use clap::{CommandFactory, Parser};
use recouvre::cli::Cli;

#[test]
fn the_declaration_passes_clap_debug_assert() {
    Cli::command().debug_assert();
}

#[test]
fn every_subcommand_renders_its_help() {
    let mut all = Vec::new();
    common::command_paths(&Cli::command(), &[], &mut all);
    // Some, not a handful: the walk reached nested commands (`plan create`, `user token`).
    assert!(all.len() > 40, "only {} command paths found", all.len());
    assert!(all.iter().any(|p| p == &["plan", "create"]));
    for path in std::iter::once(Vec::new()).chain(all) {
        for flag in ["--help", "-h"] {
            let mut argv = vec!["recouvre".to_string()];
            argv.extend(path.iter().cloned());
            argv.push(flag.to_string());
            let err = match Cli::try_parse_from(&argv) {
                Ok(_) => panic!("{argv:?} parsed instead of showing the help"),
                Err(e) => e,
            };
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::DisplayHelp,
                "{argv:?}: {err}"
            );
            let text = err.render().to_string();
            assert!(text.contains("Usage:"), "{argv:?}: {text}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// The README's examples.

/// A placeholder of the README and the value it stands for. An option's own entry
/// (`--listen ADDR`) comes before the placeholder's general one (`ADDR`), because the same
/// letter means different things after different options.
const SUBSTITUTIONS: &[(&str, &str, &str)] = &[
    ("--court", "SEAT", "Lyon"),
    ("--commission", "SPEC", "amount:1000=15,*=8"),
    ("--period", "MONTH", "2026-05"),
    ("--email", "E", "compta@acme.example"),
    ("--phone", "P", "0472000000"),
    ("--password", "P", "a-long-password-1"),
    ("--iban", "I", "FR7630006000011234567890189"),
    ("--secret", "KEY", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
    ("--code", "C", "123456"),
    ("--bic", "B", "AGRIFRPP"),
    ("--to", "PARTY", "1"),
    ("--db", "PATH", "/tmp/recouvre-doc.db"),
    ("--db", "URL", "postgres://postgres@127.0.0.1:5432/test"),
    ("--db", "DB", "/tmp/recouvre-doc.db"),
    ("--from", "DB", "/tmp/recouvre-doc.db"),
    ("--to", "DB", "postgres://postgres@127.0.0.1:5432/test"),
    ("--listen", "ADDR", "127.0.0.1:8081"),
    ("--from", "ADDR", "relances@example.com"),
    ("--reply-to", "ADDR", "compta@example.com"),
    ("--status", "S", "review"),
    ("--lease-secs", "S", "300"),
    ("--seed", "S", "7"),
    ("--sender", "S", "ACME"),
    ("--name", "N", "Acme Industrie SAS"),
    ("--creditor-name", "N", "Acme Industrie SAS"),
    ("--creditor-code", "C", "ACME"),
    ("--creditor", "C", "ACME"),
    ("--city", "C", "Lyon"),
    ("--address", "A", "1 rue de la République"),
    ("--part", "P", "text"),
    ("--lang", "L", "fr"),
    ("--file", "F", "relance.toml"),
    ("--worker-id", "ID", "worker-1"),
    ("--penalty-rate", "R", "3x legal"),
    ("--payment-terms", "T", "45d eom"),
    ("--action", "A", "1"),
    ("--year-end", "MM-DD", "12-31"),
    ("--state", "S", "proposed"),
    ("", "YYYY-MM-DD", "2026-11-30"),
    ("", "DEBTOR", "1"),
    ("", "CLAIM", "1"),
    ("", "PLAN", "1"),
    ("", "ID", "1"),
    ("", "CODE", "ACME"),
    ("", "NAME", "Acme Industrie SAS"),
    ("", "FILE", "invoices.csv"),
    ("", "DIR", "out"),
    ("", "DEST", "/tmp/recouvre-backups"),
    ("", "SRC", "/tmp/recouvre-backup.db"),
    ("", "D", "2026-11-30"),
    ("", "D1", "2026-09-01"),
    ("", "D2", "2026-11-30"),
    ("", "X", "150.00"),
    ("", "N", "3"),
    ("", "C", "ACME"),
    ("", "R", "quality"),
    ("", "T", "called back"),
    ("", "U", "alice"),
    ("", "LOGIN", "alice"),
    ("", "TOKEN_ID", "1"),
    ("", "ROLE", "manager"),
    ("", "REF", "bon-de-livraison.pdf"),
    ("", "RUM", "RUM-2026-001"),
    ("", "PCT", "3.5"),
    ("", "DAYS", "90"),
    ("", "TEXT", "martin"),
    ("", "SERIES", "ecb_mro"),
    ("", "CONTACT", "1"),
    ("", "H", "smtp.example.com"),
    ("", "U", "relances"),
    ("", "VAR", "SMTP_PASSWORD"),
    ("", "PEM", "/etc/ssl/internal-ca.pem"),
    ("", "URL", "https://sms.example.com/send"),
    ("", "TEMPLATE", "{\"to\":\"{{to}}\",\"text\":\"{{text}}\"}"),
    ("", "N1,N2", "12,15"),
    ("", "smtp://HOST:PORT", "smtp://127.0.0.1:2525"),
    ("", "$TOKEN", "token"),
    ("", "TOKEN", "token"),
];

/// Upper-case words of the README that are literal values, not placeholders.
const LITERALS: &[&str] = &["FR", "EUR", "GBP", "ACME", "POST"];

/// A form of the README, as a tree: words, optional groups (`[...]`) and alternatives
/// (`a|b`).
#[derive(Debug, Clone)]
enum Node {
    Word(String),
    Optional(Vec<Node>),
    Choice(Vec<Vec<Node>>),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Open,
    Close,
    Bar,
}

/// Splits a form into words like a shell (quotes keep spaces), brackets and bars
/// standing alone; a trailing `...` (repeatable) is dropped.
fn tokens(form: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut quote = ' ';
    let mut in_word = false;
    let flush = |word: &mut String, in_word: &mut bool, out: &mut Vec<Token>| {
        if *in_word {
            let w = std::mem::take(word);
            // `CLAIM...` and `[--map a=b]...` repeat; a lone `...` after a word leaves
            // arguments out (kept, see `every_readme_example_parses`).
            let repeat = out.last() == Some(&Token::Close);
            let w = match w.strip_suffix("...") {
                Some(stem) if !stem.is_empty() => stem.to_string(),
                Some(_) if repeat => String::new(),
                _ => w,
            };
            if !w.is_empty() {
                out.push(Token::Word(w));
            }
            *in_word = false;
        }
    };
    for c in form.chars() {
        if quoted {
            if c == quote {
                quoted = false;
            } else {
                word.push(c);
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quoted = true;
                quote = c;
                in_word = true;
            }
            '[' | ']' | '|' => {
                flush(&mut word, &mut in_word, &mut out);
                out.push(match c {
                    '[' => Token::Open,
                    ']' => Token::Close,
                    _ => Token::Bar,
                });
            }
            c if c.is_whitespace() => flush(&mut word, &mut in_word, &mut out),
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    flush(&mut word, &mut in_word, &mut out);
    out
}

fn is_flag(n: &Node) -> bool {
    matches!(n, Node::Word(w) if w.starts_with("--"))
}

/// Reads a sequence up to its closing bracket. `a|b` chooses between two words, except
/// when the right side is an option (`--count N|--instalment X`): then it chooses between
/// the option phrases on either side.
fn sequence(toks: &[Token], at: &mut usize) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    while *at < toks.len() {
        let t = toks[*at].clone();
        *at += 1;
        match t {
            Token::Word(w) => out.push(Node::Word(w)),
            Token::Open => {
                let inner = sequence(toks, at);
                out.push(Node::Optional(inner));
            }
            Token::Close => break,
            Token::Bar => {
                let phrase = matches!(toks.get(*at), Some(Token::Word(w)) if w.starts_with("--"));
                let mut right = Vec::new();
                while let Some(Token::Word(w)) = toks.get(*at) {
                    if !right.is_empty() && (!phrase || w.starts_with("--")) {
                        break;
                    }
                    right.push(Node::Word(w.clone()));
                    *at += 1;
                }
                if let Some(Node::Choice(branches)) = out.last_mut() {
                    branches.push(right);
                    continue;
                }
                let left = if phrase {
                    let start = out.iter().rposition(is_flag).unwrap_or(out.len() - 1);
                    out.split_off(start)
                } else {
                    out.split_off(out.len() - 1)
                };
                out.push(Node::Choice(vec![left, right]));
            }
        }
    }
    out
}

/// The concrete commands a sequence stands for, varied one choice at a time: first the
/// shortest (no optional part, first alternatives), then each optional part and each
/// alternative in turn (all together could combine options that exclude each other).
fn variants(seq: &[Node]) -> Vec<Vec<String>> {
    let per_item: Vec<Vec<Vec<String>>> = seq
        .iter()
        .map(|n| match n {
            Node::Word(w) => vec![vec![w.clone()]],
            Node::Optional(inner) => std::iter::once(Vec::new()).chain(variants(inner)).collect(),
            Node::Choice(branches) => branches.iter().flat_map(|b| variants(b)).collect(),
        })
        .collect();
    let join = |pick: &dyn Fn(usize) -> Vec<String>| -> Vec<String> {
        (0..per_item.len()).flat_map(pick).collect()
    };
    let mut out = vec![join(&|i| per_item[i][0].clone())];
    for (i, options) in per_item.iter().enumerate() {
        for option in &options[1..] {
            out.push(join(&|j| {
                if j == i {
                    option.clone()
                } else {
                    per_item[j][0].clone()
                }
            }));
        }
    }
    out
}

fn looks_like_placeholder(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "_-,:/$".contains(c))
        && !LITERALS.contains(&word)
}

/// The argument list of a concrete command, its placeholders replaced.
fn substitute(words: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let before = if i == 0 { "" } else { words[i - 1].as_str() };
        let value = SUBSTITUTIONS
            .iter()
            .find(|(opt, ph, _)| *opt == before && ph == w)
            .or_else(|| {
                SUBSTITUTIONS
                    .iter()
                    .find(|(opt, ph, _)| opt.is_empty() && ph == w)
            })
            .map(|(_, _, v)| v.to_string());
        match value {
            Some(v) => out.push(v),
            None if w.contains("://") || !looks_like_placeholder(w) => out.push(w.clone()),
            None => {
                return Err(format!(
                    "placeholder {w:?} (after {before:?}) has no value in SUBSTITUTIONS"
                ));
            }
        }
    }
    Ok(out)
}

/// A documented form: where it was found and its text (starting after `recouvre`).
#[derive(Debug)]
struct Example {
    line: usize,
    form: String,
}

/// The forms of the command reference table (first column; `a` / `b` are two forms, the
/// second one naming its command without `recouvre`), one per global option (run with
/// `summary`), and every `recouvre ...` command of the shell code blocks.
fn readme_examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut in_code = false;
    let mut shell = false;
    for (n, raw) in readme.lines().enumerate() {
        let line = n + 1;
        if let Some(fence) = raw.trim_start().strip_prefix("```") {
            in_code = !in_code;
            shell = in_code && (fence.is_empty() || fence.starts_with("sh"));
            continue;
        }
        if in_code {
            if !shell {
                continue;
            }
            let text = raw.split(" #").next().unwrap_or_default();
            if let Some(rest) = text.split("cargo run --release -- ").nth(1) {
                out.push(Example {
                    line,
                    form: rest.trim().to_string(),
                });
                continue;
            }
            // `recouvre` as a command word: at the start, after a space or in `$(...)`.
            let mut search = text;
            while let Some(pos) = search.find("recouvre ") {
                let starts_word = pos == 0 || {
                    let prev = &search[..pos];
                    prev.ends_with(' ') || prev.ends_with("$(")
                };
                let rest = &search[pos + "recouvre ".len()..];
                if starts_word {
                    let end = rest.find([')', '&', '|']).unwrap_or(rest.len());
                    out.push(Example {
                        line,
                        form: rest[..end].trim().to_string(),
                    });
                }
                search = rest;
            }
            continue;
        }
        let Some(row) = raw.strip_prefix("| `") else {
            continue;
        };
        // The first cell: backquoted forms separated by ` / ` (`\|` is a bar in a cell).
        let cell = row
            .split(" | ")
            .next()
            .unwrap_or_default()
            .replace("\\|", "|");
        let cell = format!("`{cell}");
        let forms: Vec<&str> = cell.split('`').skip(1).step_by(2).collect();
        if let Some(option) = forms.first().filter(|f| f.starts_with("--")) {
            // The global options table.
            out.push(Example {
                line,
                form: format!("{option} summary"),
            });
            continue;
        }
        let mut command = String::new();
        for form in forms {
            let form = match form.strip_prefix("recouvre ") {
                Some(f) => {
                    command = f.split_whitespace().next().unwrap_or_default().to_string();
                    f.to_string()
                }
                None if form.starts_with(&command) => form.to_string(),
                None => format!("{command} {form}"),
            };
            out.push(Example { line, form });
        }
    }
    out
}

#[test]
fn every_readme_example_parses() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let examples = readme_examples(&readme);
    // The table alone has some forty rows; a smaller count means the reading went wrong.
    assert!(
        examples.len() > 60,
        "only {} examples found",
        examples.len()
    );
    for must in [
        "plan propose|create DEBTOR",
        "user token alice --name erp",
        "demo",
    ] {
        assert!(
            examples.iter().any(|e| e.form.contains(must)),
            "{must:?} not among the examples read"
        );
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for ex in &examples {
        let toks = tokens(&ex.form);
        // `sepa creditor ...`: the arguments are left out; the command itself must exist.
        let elided = toks
            .iter()
            .any(|t| matches!(t, Token::Word(w) if w == "..."));
        let toks: Vec<Token> = toks
            .into_iter()
            .filter(|t| !matches!(t, Token::Word(w) if w == "..."))
            .collect();
        let tree = sequence(&toks, &mut 0);
        for words in variants(&tree) {
            let mut argv = match substitute(&words) {
                Ok(a) => a,
                Err(e) => {
                    failures.push(format!("README.md:{}: {}: {e}", ex.line, ex.form));
                    continue;
                }
            };
            if elided {
                argv.push("--help".to_string());
            }
            argv.insert(0, "recouvre".to_string());
            checked += 1;
            let parsed = std::panic::catch_unwind(|| Cli::try_parse_from(&argv));
            match parsed {
                Ok(Ok(_)) => {}
                Ok(Err(e)) if elided && e.kind() == clap::error::ErrorKind::DisplayHelp => {}
                Ok(Err(e)) => failures.push(format!(
                    "README.md:{}: {argv:?}: {}",
                    ex.line,
                    e.render().to_string().lines().next().unwrap_or_default()
                )),
                Err(_) => failures.push(format!("README.md:{}: {argv:?}: PANICKED", ex.line)),
            }
        }
    }
    assert!(checked > 150, "only {checked} commands checked");
    assert!(
        failures.is_empty(),
        "{} documented command(s) do not parse:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_reader_of_forms_expands_options_and_alternatives() {
    let forms = |s: &str| -> Vec<String> {
        variants(&sequence(&tokens(s), &mut 0))
            .into_iter()
            .map(|w| w.join(" "))
            .collect()
    };
    assert_eq!(
        forms("plan propose|create DEBTOR --count N|--instalment X [--first D]"),
        [
            "plan propose DEBTOR --count N",
            "plan create DEBTOR --count N",
            "plan propose DEBTOR --instalment X",
            "plan propose DEBTOR --count N --first D",
        ]
    );
    assert_eq!(
        forms("payments [list [--status S]]"),
        ["payments", "payments list", "payments list --status S"]
    );
    assert_eq!(
        forms("settings sms --header 'K: V' [--map a=b]..."),
        [
            "settings sms --header K: V",
            "settings sms --header K: V --map a=b"
        ]
    );
    assert_eq!(forms("sepa creditor ..."), ["sepa creditor ..."]);
    assert_eq!(
        forms("settings smtp --host H [--security tls|plain] --from ADDR"),
        [
            "settings smtp --host H --from ADDR",
            "settings smtp --host H --security tls --from ADDR",
            "settings smtp --host H --security plain --from ADDR",
        ]
    );
    assert_eq!(
        forms("dispute resolve ID --credit-note X|--partial X|--reject"),
        [
            "dispute resolve ID --credit-note X",
            "dispute resolve ID --partial X",
            "dispute resolve ID --reject",
        ]
    );
}

// ---------------------------------------------------------------------------------------
// `plan create --claims` through the real binary.

#[test]
fn plan_create_on_named_claims_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    // Dupont Frères SA owes two invoices of 300.00 (F2026-0103 and F2026-0104).
    let csv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/data/claims.csv");
    let day = "2026-03-01";
    common::recouvre(&db, day, &["init"]);
    common::recouvre(&db, day, &["import", "claims", csv.to_str().unwrap()]);
    let claims = common::json(&db, day, &["claims"]);
    let first = claims
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == "F2026-0103")
        .unwrap_or_else(|| panic!("F2026-0103 not in {claims}"));
    let id = first["id"].as_i64().unwrap().to_string();
    let debtor = first["debtor_id"].as_i64().unwrap().to_string();

    let out = common::run(
        &db,
        day,
        &[
            "--json", "plan", "create", &debtor, "--count", "6", "--claims", &id,
        ],
    );
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let plan = &created["plan"];
    // On F2026-0103 alone: 300.00 in 6 instalments of 50.00 (5000 cents), not the
    // debtor's 600.00 in 6 of 100.00.
    assert_eq!(
        plan["claims"],
        serde_json::json!([first["id"]]),
        "{created}"
    );
    let instalments = plan["instalments"].as_array().unwrap();
    assert_eq!(instalments.len(), 6, "{created}");
    for i in instalments {
        assert_eq!(i["amount"]["minor"], 5000, "{created}");
    }
}
