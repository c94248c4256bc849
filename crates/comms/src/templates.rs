//! The texts of every message, in French and English, as minijinja templates a credit
//! manager can rewrite.
//!
//! A template has a name (the `template` of a scenario step: `reminder_1`,
//! `formal_notice_b2b`...) and, per language, up to five parts:
//!
//! | part | used for | when absent |
//! | --- | --- | --- |
//! | `subject` | the e-mail subject and the letter's "Objet" line | required |
//! | `text` | the plain-text e-mail body; the collector's script for a call task | required |
//! | `html` | the HTML e-mail body | the shared `layout` template's `html` part, which sets the rendered text in paragraphs and adds the claims table |
//! | `sms` | the SMS | no SMS: a step with the `sms` channel needs one |
//! | `letter` | the body of the PDF letter | the `text` part |
//!
//! Where a text comes from, strongest first: a database setting
//! `template.<name>.<lang>.<part>`; a file `<dir>/<lang>/<name>.toml` of the templates
//! folder (`--templates DIR` or `RECOUVRE_TEMPLATES`), whose keys are the parts it
//! replaces; the built-in text (`crates/comms/templates/{fr,en}.toml`). A part replaced
//! alone keeps the other parts of the level below.
//!
//! Every part is checked when the set is built: a syntax error, or a variable that the
//! message context does not have (`{{ debtor.nmae }}`), is an error naming the template,
//! the language, the part, the line and the variable; nothing half-loaded is used. At
//! render time undefined values are errors too (minijinja's strict mode), so a loop
//! variable's typo is caught on the first preview.

use crate::context::MessageContext;
use crate::fmt::Lang;
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The built-in texts, one TOML document per language: a table per template.
const BUILTIN: [(Lang, &str); 2] = [
    (Lang::Fr, include_str!("../templates/fr.toml")),
    (Lang::En, include_str!("../templates/en.toml")),
];

/// The template whose `html` part wraps every e-mail that has no `html` part of its own.
pub const LAYOUT: &str = "layout";

/// Prefix of the database settings that override a part.
pub const SETTING_PREFIX: &str = "template.";

/// One part of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Subject,
    Text,
    Html,
    Sms,
    Letter,
}

impl Part {
    pub const ALL: [Part; 5] = [
        Part::Subject,
        Part::Text,
        Part::Html,
        Part::Sms,
        Part::Letter,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Part::Subject => "subject",
            Part::Text => "text",
            Part::Html => "html",
            Part::Sms => "sms",
            Part::Letter => "letter",
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Part {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Part::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| format!("{s:?} is not one of: subject, text, html, sms, letter"))
    }
}

/// Where a part's text comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "at", rename_all = "lowercase")]
pub enum Origin {
    Builtin,
    File(PathBuf),
    /// The settings key.
    Database(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Builtin => f.write_str("built-in"),
            Origin::File(p) => write!(f, "file {}", p.display()),
            Origin::Database(key) => write!(f, "setting {key}"),
        }
    }
}

/// A template that cannot be used: which one, where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "template {name} ({lang}, {part}, {origin}){}{}: {message}",
    .line.map(|l| format!(", line {l}")).unwrap_or_default(),
    .variable.as_ref().map(|v| domain::tr!(", unknown variable `{v}`", ", variable inconnue `{v}`")).unwrap_or_default()
)]
pub struct TemplateError {
    pub name: String,
    pub lang: Lang,
    pub part: Part,
    pub origin: Origin,
    pub line: Option<usize>,
    pub variable: Option<String>,
    pub message: String,
}

/// What is wrong with a set of templates or a request for one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplatesError {
    #[error(transparent)]
    Template(Box<TemplateError>),
    #[error("no template named {0:?} / modèle inconnu")]
    Unknown(String),
    #[error("template {name} has no {part} part in {lang} / le modèle n'a pas de partie {part}")]
    MissingPart {
        name: String,
        lang: Lang,
        part: Part,
    },
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("setting {key}: {message}")]
    Setting { key: String, message: String },
}

impl From<TemplateError> for TemplatesError {
    fn from(e: TemplateError) -> Self {
        TemplatesError::Template(Box::new(e))
    }
}

/// One template's parts in one language, as listed by `template list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateInfo {
    pub name: String,
    pub lang: Lang,
    /// The parts present, with their origin.
    pub parts: Vec<(Part, Origin)>,
}

impl TemplateInfo {
    /// `subject, text, sms*`: the parts, a star on those overridden (folder or database).
    pub fn parts_summary(&self) -> String {
        self.parts
            .iter()
            .map(|(p, o)| match o {
                Origin::Builtin => p.to_string(),
                _ => format!("{p}*"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

type Key = (String, Lang, Part);

/// A checked set of templates, ready to render.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
    sources: BTreeMap<Key, (String, Origin)>,
}

/// The name of a part inside the minijinja environment. The `.html` suffix turns HTML
/// escaping on for that part only.
fn env_name(name: &str, lang: Lang, part: Part) -> String {
    match part {
        Part::Html => format!("{name}.{lang}.html"),
        _ => format!("{name}.{lang}.{part}"),
    }
}

/// Parses a TOML document of templates (`[name] subject = "..." text = "..."`) or of one
/// template's parts (`subject = "..."`, when `single` names it).
fn parse_toml(
    text: &str,
    single: Option<&str>,
) -> Result<BTreeMap<String, BTreeMap<Part, String>>, String> {
    let value: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = BTreeMap::new();
    let mut read_parts = |name: &str, table: &toml::Table| -> Result<(), String> {
        let mut parts = BTreeMap::new();
        for (key, v) in table {
            let part: Part = key.parse().map_err(|e| format!("{name}: {e}"))?;
            let s = v
                .as_str()
                .ok_or_else(|| format!("{name}.{key}: a text is expected"))?;
            parts.insert(part, s.to_string());
        }
        out.insert(name.to_string(), parts);
        Ok(())
    };
    match single {
        Some(name) => read_parts(name, &value)?,
        None => {
            for (name, v) in &value {
                let table = v
                    .as_table()
                    .ok_or_else(|| format!("{name}: a table of parts is expected"))?;
                read_parts(name, table)?;
            }
        }
    }
    Ok(out)
}

impl Templates {
    /// The built-in set, checked.
    pub fn builtin() -> Result<Templates, TemplatesError> {
        Templates::load(None, &[])
    }

    /// The built-in set with the files of `dir` (`<dir>/<lang>/<name>.toml`) and the
    /// `template.<name>.<lang>.<part>` settings laid over it, checked whole.
    pub fn load(
        dir: Option<&Path>,
        settings: &[(String, String)],
    ) -> Result<Templates, TemplatesError> {
        let mut sources: BTreeMap<Key, (String, Origin)> = BTreeMap::new();
        for (lang, text) in BUILTIN {
            let parsed = parse_toml(text, None).map_err(|message| TemplatesError::File {
                path: PathBuf::from(format!("crates/comms/templates/{lang}.toml")),
                message,
            })?;
            for (name, parts) in parsed {
                for (part, s) in parts {
                    sources.insert((name.clone(), lang, part), (s, Origin::Builtin));
                }
            }
        }
        if let Some(dir) = dir {
            Self::read_dir(dir, &mut sources)?;
        }
        for (key, value) in settings {
            // An empty value is a removed override (settings cannot be deleted).
            let Some(rest) = key
                .strip_prefix(SETTING_PREFIX)
                .filter(|_| !value.is_empty())
            else {
                continue;
            };
            let bad = |message: String| TemplatesError::Setting {
                key: key.clone(),
                message,
            };
            let mut it = rest.rsplitn(3, '.');
            let (Some(part), Some(lang), Some(name)) = (it.next(), it.next(), it.next()) else {
                return Err(bad("expected template.<name>.<lang>.<part>".into()));
            };
            let part: Part = part.parse().map_err(bad)?;
            let lang: Lang = lang.parse().map_err(bad)?;
            sources.insert(
                (name.to_string(), lang, part),
                (value.clone(), Origin::Database(key.clone())),
            );
        }
        Self::build(sources)
    }

    fn read_dir(
        dir: &Path,
        sources: &mut BTreeMap<Key, (String, Origin)>,
    ) -> Result<(), TemplatesError> {
        let io = |path: &Path, e: std::io::Error| TemplatesError::File {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        if !dir.is_dir() {
            return Err(TemplatesError::File {
                path: dir.to_path_buf(),
                message: domain::tr!("not a folder", "pas un dossier"),
            });
        }
        for lang in Lang::ALL {
            let sub = dir.join(lang.code());
            if !sub.is_dir() {
                continue;
            }
            let mut files: Vec<PathBuf> = std::fs::read_dir(&sub)
                .map_err(|e| io(&sub, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for path in files {
                let name = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .to_string();
                let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
                let parsed =
                    parse_toml(&text, Some(&name)).map_err(|message| TemplatesError::File {
                        path: path.clone(),
                        message,
                    })?;
                for (part, s) in parsed.into_values().flatten() {
                    sources.insert((name.clone(), lang, part), (s, Origin::File(path.clone())));
                }
            }
        }
        Ok(())
    }

    fn build(sources: BTreeMap<Key, (String, Origin)>) -> Result<Templates, TemplatesError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        let known = serde_json::to_value(MessageContext::sample()).unwrap_or_default();
        for ((name, lang, part), (source, origin)) in &sources {
            let error =
                |line: Option<usize>, variable: Option<String>, message: String| TemplateError {
                    name: name.clone(),
                    lang: *lang,
                    part: *part,
                    origin: origin.clone(),
                    line,
                    variable,
                    message,
                };
            env.add_template_owned(env_name(name, *lang, *part), source.clone())
                .map_err(|e| {
                    error(
                        e.line(),
                        None,
                        e.detail().unwrap_or("syntax error").to_string(),
                    )
                })?;
            let tmpl = env
                .get_template(&env_name(name, *lang, *part))
                .map_err(|e| error(e.line(), None, e.to_string()))?;
            let mut unknown: Vec<String> = tmpl
                .undeclared_variables(true)
                .into_iter()
                .filter(|v| !is_known(&known, v, *part))
                .collect();
            unknown.sort();
            if let Some(v) = unknown.into_iter().next() {
                let line = line_of(source, &v);
                return Err(error(
                    line,
                    Some(v),
                    domain::tr!(
                        "not a variable of the message (see docs/templates.md)",
                        "pas une variable du message (voir docs/templates.md)"
                    ),
                )
                .into());
            }
        }
        for ((name, lang, part), (source, origin)) in &sources {
            if let Err(message) = agency_letter_check(name, *lang, *part, source) {
                return Err(TemplateError {
                    name: name.clone(),
                    lang: *lang,
                    part: *part,
                    origin: origin.clone(),
                    line: None,
                    variable: None,
                    message,
                }
                .into());
            }
        }
        for name in sources
            .keys()
            .map(|(n, _, _)| n.clone())
            .collect::<BTreeSet<_>>()
        {
            if name == LAYOUT {
                continue;
            }
            for lang in Lang::ALL {
                for part in [Part::Subject, Part::Text] {
                    if !sources.contains_key(&(name.clone(), lang, part)) {
                        return Err(TemplatesError::MissingPart { name, lang, part });
                    }
                }
            }
        }
        Ok(Templates { env, sources })
    }

    /// The names of the templates, sorted (the layout excluded).
    pub fn names(&self) -> Vec<String> {
        self.sources
            .keys()
            .map(|(n, _, _)| n.clone())
            .filter(|n| n != LAYOUT)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.sources.keys().any(|(n, _, _)| n == name)
    }

    /// Every template in every language with the parts it has and where they come from.
    pub fn list(&self) -> Vec<TemplateInfo> {
        let mut out: Vec<TemplateInfo> = Vec::new();
        for ((name, lang, part), (_, origin)) in &self.sources {
            match out.last_mut() {
                Some(t) if t.name == *name && t.lang == *lang => {
                    t.parts.push((*part, origin.clone()))
                }
                _ => out.push(TemplateInfo {
                    name: name.clone(),
                    lang: *lang,
                    parts: vec![(*part, origin.clone())],
                }),
            }
        }
        out
    }

    /// The source text of a part, if the template has it.
    pub fn source(&self, name: &str, lang: Lang, part: Part) -> Option<&str> {
        self.sources
            .get(&(name.to_string(), lang, part))
            .map(|(s, _)| s.as_str())
    }

    /// Writes every template as `<dir>/<lang>/<name>.toml`, the layout the templates folder
    /// reads back: a starting point to edit.
    pub fn export(&self, dir: &Path) -> Result<usize, TemplatesError> {
        let mut files = 0;
        for info in self.list() {
            let sub = dir.join(info.lang.code());
            std::fs::create_dir_all(&sub).map_err(|e| TemplatesError::File {
                path: sub.clone(),
                message: e.to_string(),
            })?;
            let mut table = toml::Table::new();
            for (part, _) in &info.parts {
                if let Some(s) = self.source(&info.name, info.lang, *part) {
                    table.insert(
                        part.as_str().to_string(),
                        toml::Value::String(s.to_string()),
                    );
                }
            }
            let text = toml::to_string(&table).map_err(|e| TemplatesError::File {
                path: sub.clone(),
                message: e.to_string(),
            })?;
            let path = sub.join(format!("{}.toml", info.name));
            std::fs::write(&path, text).map_err(|e| TemplatesError::File {
                path: path.clone(),
                message: e.to_string(),
            })?;
            files += 1;
        }
        Ok(files)
    }

    /// Renders one part with the message context; `Ok(None)` when the template has no such
    /// part (the caller applies the fallbacks of the module documentation).
    pub fn render_part(
        &self,
        name: &str,
        lang: Lang,
        part: Part,
        ctx: &impl Serialize,
    ) -> Result<Option<String>, TemplatesError> {
        if !self.contains(name) {
            return Err(TemplatesError::Unknown(name.to_string()));
        }
        let Some((_, origin)) = self.sources.get(&(name.to_string(), lang, part)) else {
            return Ok(None);
        };
        let error = |e: minijinja::Error| {
            let mut message = e.kind().to_string();
            if let Some(d) = e.detail() {
                message = format!("{message}: {d}");
            }
            TemplatesError::from(TemplateError {
                name: name.to_string(),
                lang,
                part,
                origin: origin.clone(),
                line: e.line(),
                variable: None,
                message,
            })
        };
        let tmpl = self
            .env
            .get_template(&env_name(name, lang, part))
            .map_err(error)?;
        tmpl.render(ctx)
            .map(|s| Some(s.trim().to_string()))
            .map_err(error)
    }
}

/// Names every template may use besides the message context: minijinja's own globals.
const GLOBALS: [&str; 5] = ["range", "dict", "namespace", "loop", "debug"];

/// Names the HTML parts also see: the rendered subject and the text's paragraphs (what
/// the `layout` template sets in its frame).
const HTML_EXTRAS: [&str; 2] = ["subject", "paragraphs"];

/// Whether a dotted variable path (`debtor.name`) exists in the sample context. Lists are
/// entered through their first element, so `claims.0.number` and loops over `claims` check.
fn is_known(known: &serde_json::Value, path: &str, part: Part) -> bool {
    let mut segments = path.split('.');
    let Some(first) = segments.next() else {
        return true;
    };
    if GLOBALS.contains(&first) || (part == Part::Html && HTML_EXTRAS.contains(&first)) {
        return true;
    }
    let mut at = match known.get(first) {
        Some(v) => v,
        None => return false,
    };
    for seg in segments {
        at = match at {
            serde_json::Value::Object(map) => match map.get(seg) {
                Some(v) => v,
                None => return false,
            },
            // Attribute access on a list or a scalar: let strict rendering judge it.
            _ => return true,
        };
    }
    true
}

/// The first line of `source` that mentions the last segment of `variable`, 1-based.
fn line_of(source: &str, variable: &str) -> Option<usize> {
    let needle = variable.rsplit('.').next().unwrap_or(variable);
    source
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
}

/// Words that belong to commissaires de justice and their acts: a letter from a collection
/// agency using them could be taken for a judicial act (C. pén. 433-13; domain-rules §5).
pub const RESERVED_WORDS: [&str; 12] = [
    "huissier",
    "commissaire de justice",
    "commandement de payer",
    "signification",
    "sommation",
    "exploit",
    "acte d'exécution",
    "saisie",
    "bailiff",
    "enforcement officer",
    "writ",
    "seizure",
];

/// `word` in `text` as a whole word or words (a plural `s` allowed): "exploit" is found in
/// "un exploit", not in "exploitation".
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let rest = &text[at + word.len()..];
        let rest = rest.strip_prefix('s').unwrap_or(rest);
        let after = rest.chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The mentions CPCE R124-4 requires of an agency's letter to a debtor, each as (what it
/// is, what the template must hold: every item of one of the alternatives).
fn r124_4_mentions(lang: Lang) -> Vec<(&'static str, Vec<Vec<&'static str>>)> {
    let amicable = match lang {
        Lang::Fr => "recouvrement amiable",
        Lang::En => "amicabl",
    };
    vec![
        (
            "R124-4 1° the agency's name and address",
            vec![vec!["agency.name", "agency.address_lines"]],
        ),
        (
            "R124-4 1° the statement that the agency collects amicably",
            vec![vec![amicable]],
        ),
        (
            "R124-4 2° the creditor's name and address",
            vec![vec!["sender.name", "sender.address_lines"]],
        ),
        (
            "R124-4 3° the basis of the debt (the invoices)",
            vec![vec!["claims_table"], vec!["for c in claims"]],
        ),
        (
            "R124-4 3° the amount: principal, interest and other accessories, distinguished",
            vec![vec!["totals.open", "totals.interest", "totals.indemnity"]],
        ),
        (
            "R124-4 4° the demand to pay and how",
            vec![
                vec!["deadline", "payment_box"],
                vec!["deadline", "payment.iban"],
            ],
        ),
        (
            "R124-4 5° paragraph 2 of L111-8",
            vec![vec!["restent à la charge du créancier"]],
        ),
        (
            "R124-4 5° paragraph 3 of L111-8",
            vec![vec!["à la charge du débiteur de mauvaise foi"]],
        ),
        (
            "the letter's reference and date, recalled in every later message",
            vec![vec!["reference", "today"]],
        ),
    ]
}

/// An agency's letter to a debtor (`agency_letter…`, its printed letter part) must carry
/// every mention of CPCE R124-4 (R124-7 punishes an omission), and no part of it may use
/// the words of a commissaire de justice (C. pén. 433-13). `Err` names what is missing or
/// forbidden.
pub fn agency_letter_check(name: &str, lang: Lang, part: Part, source: &str) -> Result<(), String> {
    if !name.starts_with("agency_letter") {
        return Ok(());
    }
    let lower = source.to_lowercase();
    if let Some(word) = RESERVED_WORDS.iter().find(|w| has_word(&lower, w)) {
        return Err(domain::tr!(
            "an agency's message may not use {word:?}, a word of commissaires de justice and their acts (C. pén. 433-13)",
            "un message d'agence ne peut employer {word:?}, mot des commissaires de justice et de leurs actes (C. pén. 433-13)"
        ));
    }
    if part != Part::Letter {
        return Ok(());
    }
    let missing: Vec<&str> = r124_4_mentions(lang)
        .into_iter()
        .filter(|(_, alternatives)| {
            !alternatives.iter().any(|all| {
                all.iter()
                    .all(|needle| lower.contains(&needle.to_lowercase()))
            })
        })
        .map(|(what, _)| what)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(domain::tr!(
            "the agency's letter lacks a mention the law requires: {}",
            "la lettre de l'agence omet une mention exigée par la loi : {}",
            missing.join("; ")
        ))
    }
}
