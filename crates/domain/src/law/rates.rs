//! Reference-rate tables: the figures late-payment interest is built on.
//!
//! - **ECB main refinancing operations rate** — France adds 10 points to the rate in force
//!   on 1 January / 1 July (C. com. L441-10 II); the German base rate follows its moves.
//! - **Taux de l'intérêt légal** (C. mon. fin. L313-2, D313-1-A) — set by arrêté for each
//!   half-year, in two categories: the creditor is a natural person not acting for
//!   professional needs, or any other creditor. Three times the second is the floor of a
//!   contractual B2B rate (L441-10 II); it is the moratory rate of C. civ. 1231-6.
//! - **Basiszinssatz** (BGB §247) — German statutory interest is base + 5 or + 9 points (§288).
//! - **Bank of England Bank Rate** — UK statutory interest is the rate on 31 December or
//!   30 June plus 8 points (Late Payment of Commercial Debts (Interest) Act 1998).
//!
//! Rates are data, not code: one TOML file per series in `crates/domain/rates/`, embedded
//! in the binary with `include_str!`, and loadable from a directory so that a user can add
//! a newly published rate without waiting for a release. Every row carries its `from` date,
//! the rate as a decimal string in percent (a TOML float cannot hold 0.05 exactly), a
//! `status` saying how sure we are, and the `source` it comes from.
//!
//! A file is validated whole before it is used: rows sorted, no overlap, no gap, every
//! rate parsable, every source cited; an error names the file, the row and its line. A
//! lookup outside what a table covers (before its first row, after the last published
//! half-year, after the day a change-driven table is known to be complete) is an error,
//! never a silent zero nor a stale figure.
//!
//! File format:
//!
//! ```toml
//! [series]
//! id = "ecb-mro"
//! name = "ECB main refinancing operations rate"
//! name_fr = "Taux des opérations principales de refinancement de la BCE"   # optional
//! publisher = "European Central Bank"
//! periodicity = "on_change"        # or "half_yearly": rows start on 1 Jan / 1 Jul, each
//!                                  # valid for exactly its half-year
//! complete_until = "2026-07-01"    # optional: last day the table is known complete
//!
//! [[rate]]
//! from = "2025-06-11"              # first day in force
//! to = "2025-12-31"                # optional explicit last day (a gap after it is an error)
//! rate = "2.15"                    # percent per year
//! status = "verified"              # verified | derived | general_knowledge | unverified
//! source = "where the figure was read"
//! ```

use super::LawError;
use crate::date::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// ECB main refinancing operations rate.
pub const ECB_MRO: &str = "ecb-mro";
/// French legal rate, creditor a natural person not acting for professional needs.
pub const FR_LEGAL_NATURAL_PERSON: &str = "fr-legal-natural-person";
/// French legal rate, all other cases (professional creditors).
pub const FR_LEGAL_OTHER: &str = "fr-legal-other";
/// German base rate (Basiszinssatz).
pub const DE_BASE_RATE: &str = "de-base-rate";
/// Bank of England Bank Rate.
pub const UK_BANK_RATE: &str = "uk-bank-rate";

/// The rate files compiled into the binary: (file name, contents).
const EMBEDDED: [(&str, &str); 5] = [
    ("ecb-mro.toml", include_str!("../../rates/ecb-mro.toml")),
    (
        "fr-legal-natural-person.toml",
        include_str!("../../rates/fr-legal-natural-person.toml"),
    ),
    (
        "fr-legal-other.toml",
        include_str!("../../rates/fr-legal-other.toml"),
    ),
    (
        "de-base-rate.toml",
        include_str!("../../rates/de-base-rate.toml"),
    ),
    (
        "uk-bank-rate.toml",
        include_str!("../../rates/uk-bank-rate.toml"),
    ),
];

/// Rates above this many percent (or below its opposite) are typing errors, not rates.
const MAX_ABS_RATE: Decimal = Decimal::from_parts(100, 0, 0, false, 0);

/// A calendar half-year. French legal rates, French B2B penalties, the German base rate and
/// the UK reference rate are all fixed per half-year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct HalfYear {
    year: i16,
    second: bool,
}

impl HalfYear {
    /// The half-year a date falls in.
    pub fn containing(date: Date) -> Self {
        Self {
            year: date.year(),
            second: date.month() > 6,
        }
    }

    pub fn year(self) -> i16 {
        self.year
    }

    /// `true` for July–December.
    pub fn is_second(self) -> bool {
        self.second
    }

    /// 1 January or 1 July.
    pub fn start(self) -> Date {
        // The year comes from a valid date, so 1 January / 1 July of it is valid too.
        jiff::civil::date(self.year, if self.second { 7 } else { 1 }, 1)
    }

    /// 30 June or 31 December.
    pub fn end(self) -> Date {
        if self.second {
            jiff::civil::date(self.year, 12, 31)
        } else {
            jiff::civil::date(self.year, 6, 30)
        }
    }

    /// The following half-year; `None` past the end of the supported calendar.
    pub fn next(self) -> Option<Self> {
        if !self.second {
            Some(Self {
                year: self.year,
                second: true,
            })
        } else if self.year < 9999 {
            Some(Self {
                year: self.year + 1,
                second: false,
            })
        } else {
            None
        }
    }
}

impl fmt::Display for HalfYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} S{}", self.year, if self.second { 2 } else { 1 })
    }
}

/// How a series changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Periodicity {
    /// A rate in force from its date until the next change (central-bank rates).
    OnChange,
    /// One rate per half-year, each valid for exactly 1 Jan–30 Jun or 1 Jul–31 Dec.
    HalfYearly,
}

impl Periodicity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnChange => "on_change",
            Self::HalfYearly => "half_yearly",
        }
    }
}

/// How sure we are of a figure; mirrors the legend of `shared/domain-rules.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateStatus {
    /// Read in the cited source (✔).
    Verified,
    /// Computed by a stated rule from verified figures (◐).
    Derived,
    /// The official publisher's figure as known to the maintainer, not re-read: confirm.
    GeneralKnowledge,
    /// Secondary sources only (⚠): confirm before relying on it.
    Unverified,
}

impl RateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::Derived => "derived",
            Self::GeneralKnowledge => "general_knowledge",
            Self::Unverified => "unverified",
        }
    }

    /// Whether a figure with this status should be confirmed before a letter relies on it.
    pub fn needs_confirmation(self) -> bool {
        matches!(self, Self::GeneralKnowledge | Self::Unverified)
    }
}

impl FromStr for RateStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "verified" => Ok(Self::Verified),
            "derived" => Ok(Self::Derived),
            "general_knowledge" => Ok(Self::GeneralKnowledge),
            "unverified" => Ok(Self::Unverified),
            other => Err(other.to_string()),
        }
    }
}

/// One row of a rate table, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateRow {
    /// Position among the file's `[[rate]]` rows, from 1.
    pub row: usize,
    /// First day the rate is in force.
    pub from: Date,
    /// Last day the rate is in force; `None` while it has not been replaced.
    pub until: Option<Date>,
    /// Percent per year.
    pub rate: Decimal,
    pub status: RateStatus,
    pub source: String,
}

/// A validated rate series: rows sorted, contiguous, each citing its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateSeries {
    id: String,
    name: String,
    name_fr: Option<String>,
    publisher: String,
    periodicity: Periodicity,
    complete_until: Option<Date>,
    file: String,
    rows: Vec<RateRow>,
}

impl RateSeries {
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The French name, falling back to the English one.
    pub fn name_fr(&self) -> &str {
        self.name_fr.as_deref().unwrap_or(&self.name)
    }

    pub fn publisher(&self) -> &str {
        &self.publisher
    }

    pub fn periodicity(&self) -> Periodicity {
        self.periodicity
    }

    /// The last day a change-driven table is known to be complete, if stated.
    pub fn complete_until(&self) -> Option<Date> {
        self.complete_until
    }

    /// The file the series was read from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The rows, oldest first. Never empty.
    pub fn rows(&self) -> &[RateRow] {
        &self.rows
    }

    /// The first day covered.
    pub fn first_day(&self) -> Option<Date> {
        self.rows.first().map(|r| r.from)
    }

    /// The last day covered, `None` when the last rate stays in force until replaced and
    /// no completeness date is stated.
    pub fn last_day(&self) -> Option<Date> {
        let last = self.rows.last().and_then(|r| r.until);
        match (last, self.complete_until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The row in force on `date`, or an error saying why the table cannot answer.
    pub fn rate_on(&self, date: Date) -> Result<&RateRow, LawError> {
        let unknown = |reason: String| LawError::RateUnknown {
            series: self.id.clone(),
            date,
            reason,
        };
        let Some(first) = self.rows.first() else {
            return Err(unknown(format!("{} has no rows", self.file)));
        };
        if date < first.from {
            return Err(unknown(format!("the table starts on {}", first.from)));
        }
        if let Some(complete) = self.complete_until
            && date > complete
        {
            return Err(unknown(format!(
                "the table is known complete only until {complete}; add the rates published since to {}",
                self.file
            )));
        }
        // Rows are sorted and contiguous (validated), so the last row starting on or
        // before the date is the only candidate.
        let index = self.rows.partition_point(|r| r.from <= date);
        let row = &self.rows[index.saturating_sub(1)];
        match row.until {
            Some(until) if date > until => Err(unknown(format!(
                "the last published rate ends on {until}; add the newly published rate to {}",
                self.file
            ))),
            _ => Ok(row),
        }
    }
}

/// What a series lacks for a half-year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum HalfYearGap {
    /// No rate for it: the lookup fails, and says why.
    Missing { reason: String },
    /// Only a figure that should be confirmed ([`RateStatus::needs_confirmation`]).
    ToConfirm {
        from: Date,
        rate: Decimal,
        status: RateStatus,
        source: String,
    },
}

impl RateSeries {
    /// What the series lacks for `half`: the statutory regimes read a half-year's rate as
    /// the one in force on its first day (1 January / 1 July), or for the UK the day
    /// before (31 December / 30 June), so that is the row judged: for a series that
    /// changes on events, the row of the day before stands when the table is complete
    /// only until then. `None`: a sure figure.
    pub fn gap_in(&self, half: HalfYear) -> Option<HalfYearGap> {
        let start = half.start();
        let mut found = self.rate_on(start);
        if found.is_err()
            && self.periodicity == Periodicity::OnChange
            && let Some(row) = start
                .yesterday()
                .ok()
                .and_then(|eve| self.rate_on(eve).ok())
        {
            found = Ok(row);
        }
        match found {
            Err(e) => Some(HalfYearGap::Missing {
                reason: e.to_string(),
            }),
            Ok(row) if row.status.needs_confirmation() => Some(HalfYearGap::ToConfirm {
                from: row.from,
                rate: row.rate,
                status: row.status,
                source: row.source.clone(),
            }),
            Ok(_) => None,
        }
    }
}

/// Every rate series Recouvre knows, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateTables {
    series: Vec<RateSeries>,
}

impl RateTables {
    /// The tables compiled into the binary.
    pub fn embedded() -> Result<Self, RateFileError> {
        Self::from_sources(EMBEDDED)
    }

    /// The embedded files as (file name, contents): what `recouvre rates` can write out
    /// for a user to edit and load back with [`RateTables::from_dir`].
    pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
        &EMBEDDED
    }

    /// Parses and validates files given as (file name, contents). Two files may not
    /// define the same series.
    pub fn from_sources<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, RateFileError> {
        let mut series: Vec<RateSeries> = Vec::new();
        for (file, text) in files {
            let parsed = parse_file(file, text)?;
            if let Some(other) = series.iter().find(|s| s.id == parsed.id) {
                return Err(RateFileError {
                    file: file.to_string(),
                    row: None,
                    line: None,
                    problem: RateFileProblem::DuplicateSeries {
                        id: parsed.id,
                        other_file: other.file.clone(),
                    },
                });
            }
            series.push(parsed);
        }
        Ok(Self { series })
    }

    /// Reads every `*.toml` file of a directory, in name order. This is the one place the
    /// domain crate touches the file system: it lets a user add a newly published rate
    /// without recompiling. Combine with [`RateTables::with_overrides`] to change only
    /// some series.
    pub fn from_dir(dir: &Path) -> Result<Self, RateFileError> {
        let io_error = |path: &Path, e: std::io::Error| RateFileError {
            file: path.display().to_string(),
            row: None,
            line: None,
            problem: RateFileProblem::Read(e.to_string()),
        };
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io_error(dir, e))? {
            let path = entry.map_err(|e| io_error(dir, e))?.path();
            if path.extension().is_some_and(|ext| ext == "toml") && path.is_file() {
                paths.push(path);
            }
        }
        if paths.is_empty() {
            return Err(RateFileError {
                file: dir.display().to_string(),
                row: None,
                line: None,
                problem: RateFileProblem::NoFiles,
            });
        }
        paths.sort();
        let mut texts = Vec::with_capacity(paths.len());
        for path in &paths {
            let text = std::fs::read_to_string(path).map_err(|e| io_error(path, e))?;
            texts.push((path.display().to_string(), text));
        }
        Self::from_sources(texts.iter().map(|(f, t)| (f.as_str(), t.as_str())))
    }

    /// These tables with every series of `newer` replacing the series of the same id (and
    /// new series added): embedded defaults overridden by a user's directory.
    pub fn with_overrides(mut self, newer: RateTables) -> Self {
        for series in newer.series {
            match self.series.iter_mut().find(|s| s.id == series.id) {
                Some(old) => *old = series,
                None => self.series.push(series),
            }
        }
        self
    }

    /// All series, in load order: for listing (`recouvre rates`).
    pub fn series(&self) -> &[RateSeries] {
        &self.series
    }

    /// Every row of every series with its series, for listing.
    pub fn rows(&self) -> impl Iterator<Item = (&RateSeries, &RateRow)> {
        self.series
            .iter()
            .flat_map(|s| s.rows.iter().map(move |r| (s, r)))
    }

    /// The series with this id.
    pub fn get(&self, id: &str) -> Result<&RateSeries, LawError> {
        self.series
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| LawError::UnknownSeries(id.to_string()))
    }

    /// The row of series `id` in force on `date`.
    pub fn rate_on(&self, id: &str, date: Date) -> Result<&RateRow, LawError> {
        self.get(id)?.rate_on(date)
    }
}

/// A rate file that cannot be used, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RateFileError {
    pub file: String,
    /// Position among the file's `[[rate]]` rows, from 1.
    pub row: Option<usize>,
    /// Line of the row in the file, from 1.
    pub line: Option<usize>,
    pub problem: RateFileProblem,
}

impl fmt::Display for RateFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        match (self.row, self.line) {
            (Some(row), Some(line)) => write!(f, ", row {row} (line {line})")?,
            (Some(row), None) => write!(f, ", row {row}")?,
            _ => {}
        }
        write!(f, ": {}", self.problem)
    }
}

/// What is wrong in a rate file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateFileProblem {
    #[error("cannot read: {0}")]
    Read(String),
    #[error("no .toml rate file found")]
    NoFiles,
    #[error("not a valid rate file: {0}")]
    Syntax(String),
    #[error("{0} is empty")]
    EmptyField(&'static str),
    #[error("periodicity {0:?} is not one of on_change, half_yearly")]
    UnknownPeriodicity(String),
    #[error("status {0:?} is not one of verified, derived, general_knowledge, unverified")]
    UnknownStatus(String),
    #[error("{field} {value:?} is not a date (YYYY-MM-DD)")]
    BadDate { field: &'static str, value: String },
    #[error(
        "rate {value} must be a quoted decimal string such as \"2.15\" (a TOML number cannot hold every rate exactly)"
    )]
    RateNotText { value: String },
    #[error("rate {value:?} is not a decimal number")]
    BadRate { value: String },
    #[error("rate {rate} % is out of range (more than 100 points from zero)")]
    RateOutOfRange { rate: Decimal },
    #[error("a half-yearly rate must start on 1 January or 1 July, not {from}")]
    NotHalfYearStart { from: Date },
    #[error("a half-yearly rate ends with its half-year on {expected}, not {to}")]
    NotHalfYearEnd { to: Date, expected: Date },
    #[error("the rate ends on {to}, before it starts on {from}")]
    EndsBeforeStart { from: Date, to: Date },
    #[error("the file has no [[rate]] rows")]
    NoRows,
    #[error(
        "rows must be sorted by date: {from} comes after row {previous_row}, which starts on {previous_from}"
    )]
    Unsorted {
        from: Date,
        previous_row: usize,
        previous_from: Date,
    },
    #[error(
        "overlap: the rate starts on {from}, but row {previous_row} is still in force until {previous_until}"
    )]
    Overlap {
        from: Date,
        previous_row: usize,
        previous_until: Date,
    },
    #[error("gap: no rate from {missing_from} to {missing_until}")]
    Gap {
        missing_from: Date,
        missing_until: Date,
    },
    #[error("complete_until {complete_until} is before the first rate ({first})")]
    CompleteBeforeStart { complete_until: Date, first: Date },
    #[error("series {id:?} is already defined by {other_file}")]
    DuplicateSeries { id: String, other_file: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    series: RawSeries,
    #[serde(default)]
    rate: Vec<toml::Spanned<RawRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeries {
    id: String,
    name: String,
    #[serde(default)]
    name_fr: Option<String>,
    publisher: String,
    periodicity: String,
    #[serde(default)]
    complete_until: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    from: toml::Value,
    #[serde(default)]
    to: Option<toml::Value>,
    rate: toml::Value,
    status: String,
    source: String,
}

/// Parses and validates one rate file.
fn parse_file(file: &str, text: &str) -> Result<RateSeries, RateFileError> {
    let fail = |row: Option<(usize, usize)>, problem: RateFileProblem| RateFileError {
        file: file.to_string(),
        row: row.map(|(r, _)| r),
        line: row.map(|(_, l)| l),
        problem,
    };
    let raw: RawFile =
        toml::from_str(text).map_err(|e| fail(None, RateFileProblem::Syntax(e.to_string())))?;

    for (field, value) in [
        ("series.id", &raw.series.id),
        ("series.name", &raw.series.name),
        ("series.publisher", &raw.series.publisher),
    ] {
        if value.trim().is_empty() {
            return Err(fail(None, RateFileProblem::EmptyField(field)));
        }
    }
    let periodicity = match raw.series.periodicity.trim() {
        "on_change" => Periodicity::OnChange,
        "half_yearly" => Periodicity::HalfYearly,
        other => {
            return Err(fail(
                None,
                RateFileProblem::UnknownPeriodicity(other.to_string()),
            ));
        }
    };
    let complete_until = raw
        .series
        .complete_until
        .as_ref()
        .map(|v| parse_date("series.complete_until", v))
        .transpose()
        .map_err(|p| fail(None, p))?;

    let mut rows: Vec<(RateRow, usize)> = Vec::with_capacity(raw.rate.len());
    for (index, spanned) in raw.rate.iter().enumerate() {
        let line = text
            .get(..spanned.span().start)
            .map_or(0, |before| before.matches('\n').count())
            + 1;
        let at = Some((index + 1, line));
        let row = parse_row(spanned.get_ref(), index + 1, periodicity).map_err(|p| fail(at, p))?;
        rows.push((row, line));
    }
    if rows.is_empty() {
        return Err(fail(None, RateFileProblem::NoRows));
    }

    // Contiguity: each row must start the day after the previous one ends. A change-driven
    // row without an explicit end runs until the next row starts.
    for i in 1..rows.len() {
        let (previous, current) = (&rows[i - 1].0, &rows[i].0);
        let at = Some((current.row, rows[i].1));
        if current.from < previous.from {
            return Err(fail(
                at,
                RateFileProblem::Unsorted {
                    from: current.from,
                    previous_row: previous.row,
                    previous_from: previous.from,
                },
            ));
        }
        let day_before = current
            .from
            .yesterday()
            .map_err(|_| fail(at, bad_date("from", current.from.to_string())))?;
        match previous.until {
            Some(until) if current.from <= until => {
                return Err(fail(
                    at,
                    RateFileProblem::Overlap {
                        from: current.from,
                        previous_row: previous.row,
                        previous_until: until,
                    },
                ));
            }
            Some(until) if day_before > until => {
                let missing_from = until
                    .tomorrow()
                    .map_err(|_| fail(at, bad_date("to", until.to_string())))?;
                return Err(fail(
                    at,
                    RateFileProblem::Gap {
                        missing_from,
                        missing_until: day_before,
                    },
                ));
            }
            Some(_) => {}
            None if current.from == previous.from => {
                return Err(fail(
                    at,
                    RateFileProblem::Overlap {
                        from: current.from,
                        previous_row: previous.row,
                        previous_until: current.from,
                    },
                ));
            }
            None => rows[i - 1].0.until = Some(day_before),
        }
    }

    let first = rows[0].0.from;
    if let Some(complete) = complete_until
        && complete < first
    {
        return Err(fail(
            None,
            RateFileProblem::CompleteBeforeStart {
                complete_until: complete,
                first,
            },
        ));
    }

    Ok(RateSeries {
        id: raw.series.id.trim().to_string(),
        name: raw.series.name.trim().to_string(),
        name_fr: raw.series.name_fr.map(|n| n.trim().to_string()),
        publisher: raw.series.publisher.trim().to_string(),
        periodicity,
        complete_until,
        file: file.to_string(),
        rows: rows.into_iter().map(|(row, _)| row).collect(),
    })
}

fn parse_row(
    raw: &RawRow,
    row: usize,
    periodicity: Periodicity,
) -> Result<RateRow, RateFileProblem> {
    let from = parse_date("from", &raw.from)?;
    let mut until = raw.to.as_ref().map(|v| parse_date("to", v)).transpose()?;
    let rate = match &raw.rate {
        toml::Value::String(text) => {
            Decimal::from_str(text.trim()).map_err(|_| RateFileProblem::BadRate {
                value: text.clone(),
            })?
        }
        other => {
            return Err(RateFileProblem::RateNotText {
                value: describe(other),
            });
        }
    };
    if rate.abs() > MAX_ABS_RATE {
        return Err(RateFileProblem::RateOutOfRange { rate });
    }
    let status = raw
        .status
        .parse::<RateStatus>()
        .map_err(RateFileProblem::UnknownStatus)?;
    if raw.source.trim().is_empty() {
        return Err(RateFileProblem::EmptyField("source"));
    }
    if let Some(to) = until
        && to < from
    {
        return Err(RateFileProblem::EndsBeforeStart { from, to });
    }
    if periodicity == Periodicity::HalfYearly {
        let half = HalfYear::containing(from);
        if half.start() != from {
            return Err(RateFileProblem::NotHalfYearStart { from });
        }
        match until {
            Some(to) if to != half.end() => {
                return Err(RateFileProblem::NotHalfYearEnd {
                    to,
                    expected: half.end(),
                });
            }
            _ => until = Some(half.end()),
        }
    }
    Ok(RateRow {
        row,
        from,
        until,
        rate,
        status,
        source: raw.source.trim().to_string(),
    })
}

fn bad_date(field: &'static str, value: String) -> RateFileProblem {
    RateFileProblem::BadDate { field, value }
}

/// A TOML value as the user wrote it, for error messages.
fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("{s:?}"),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        other => format!("a TOML {}", other.type_str()),
    }
}

/// A date written either as a quoted string or as a bare TOML local date.
fn parse_date(field: &'static str, value: &toml::Value) -> Result<Date, RateFileProblem> {
    let text = match value {
        toml::Value::String(s) => s.trim().to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        other => describe(other),
    };
    crate::date::parse_iso(&text).map_err(|_| bad_date(field, text))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A failing unwrap is a failing test.
mod tests {
    use super::*;
    use jiff::civil::date;

    const HEADER_HALF: &str = "[series]\nid = \"t\"\nname = \"test\"\npublisher = \"me\"\nperiodicity = \"half_yearly\"\n";
    const HEADER_CHANGE: &str =
        "[series]\nid = \"t\"\nname = \"test\"\npublisher = \"me\"\nperiodicity = \"on_change\"\n";

    fn row(from: &str, rate: &str) -> String {
        format!(
            "\n[[rate]]\nfrom = \"{from}\"\nrate = \"{rate}\"\nstatus = \"verified\"\nsource = \"test\"\n"
        )
    }

    fn parse(text: &str) -> Result<RateTables, RateFileError> {
        RateTables::from_sources([("t.toml", text)])
    }

    #[test]
    fn embedded_tables_load_and_cover_2015_to_2026() {
        let tables = RateTables::embedded().unwrap();
        let ids: Vec<&str> = tables.series().iter().map(|s| s.id()).collect();
        assert_eq!(
            ids,
            [
                ECB_MRO,
                FR_LEGAL_NATURAL_PERSON,
                FR_LEGAL_OTHER,
                DE_BASE_RATE,
                UK_BANK_RATE
            ]
        );
        for series in tables.series() {
            assert!(
                series.first_day().unwrap() <= date(2015, 1, 1),
                "{} starts too late",
                series.id()
            );
        }
        // Spot checks against domain-rules.md §2 and §9.
        let at = |id: &str, d: Date| tables.rate_on(id, d).unwrap().rate.to_string();
        assert_eq!(at(ECB_MRO, date(2015, 1, 1)), "0.05");
        assert_eq!(at(ECB_MRO, date(2016, 7, 1)), "0.00");
        assert_eq!(at(ECB_MRO, date(2023, 1, 1)), "2.50");
        assert_eq!(at(ECB_MRO, date(2025, 1, 1)), "3.15");
        assert_eq!(at(ECB_MRO, date(2026, 1, 1)), "2.15");
        assert_eq!(at(FR_LEGAL_OTHER, date(2026, 6, 30)), "2.62");
        assert_eq!(at(FR_LEGAL_NATURAL_PERSON, date(2023, 7, 1)), "6.82");
        assert_eq!(at(DE_BASE_RATE, date(2020, 3, 1)), "-0.88");
        assert_eq!(at(UK_BANK_RATE, date(2025, 12, 31)), "3.75");
        assert_eq!(at(UK_BANK_RATE, date(2022, 6, 30)), "1.25");
    }

    #[test]
    fn every_embedded_row_cites_a_source() {
        let tables = RateTables::embedded().unwrap();
        let mut rows = 0;
        for (series, row) in tables.rows() {
            assert!(
                !row.source.trim().is_empty(),
                "{} row {} has no source",
                series.id(),
                row.row
            );
            rows += 1;
        }
        assert!(rows > 100, "only {rows} rows");
    }

    #[test]
    fn an_empty_source_is_refused() {
        let text = format!("{HEADER_CHANGE}{}", row("2020-01-01", "1.00"))
            .replace("source = \"test\"", "source = \"  \"");
        let err = parse(&text).unwrap_err();
        assert_eq!(err.problem, RateFileProblem::EmptyField("source"));
        assert_eq!(err.row, Some(1));
    }

    /// The embedded tables as of the second half of 2026 (domain-rules §12): the French
    /// legal rates of 2026 S2 are not published in them (item 1), the Bank Rate table ends
    /// on 2025-12-31, and the ECB rate in force on 1 July 2026 (2.40 % from 17 June) is
    /// unverified (item 2). The first half of 2026 is sure for the French legal rate
    /// (2.62 %, arrêté of 15/12/2025).
    #[test]
    fn a_half_year_without_a_sure_rate_is_named() {
        let t = RateTables::embedded().unwrap();
        let s2 = HalfYear::containing(jiff::civil::date(2026, 12, 6));
        let s1 = HalfYear::containing(jiff::civil::date(2026, 3, 2));
        let gap = |id: &str, h| t.get(id).unwrap().gap_in(h);
        assert!(matches!(
            gap("fr-legal-other", s2),
            Some(HalfYearGap::Missing { .. })
        ));
        assert!(matches!(
            gap("uk-bank-rate", s2),
            Some(HalfYearGap::Missing { .. })
        ));
        assert_eq!(
            gap("ecb-mro", s2),
            Some(HalfYearGap::ToConfirm {
                from: jiff::civil::date(2026, 6, 17),
                rate: Decimal::new(240, 2),
                status: RateStatus::Unverified,
                source: t
                    .get("ecb-mro")
                    .unwrap()
                    .rate_on(jiff::civil::date(2026, 7, 1))
                    .unwrap()
                    .source
                    .clone(),
            })
        );
        assert_eq!(gap("fr-legal-other", s1), None);
        // UK interest starting in 2026 S1 reads the Bank Rate of 31 December 2025
        // (3.75 % from 18 December 2025, verified).
        assert_eq!(gap("uk-bank-rate", s1), None);
    }

    #[test]
    fn a_gap_between_half_years_is_named() {
        let text = format!(
            "{HEADER_HALF}{}{}{}",
            row("2024-01-01", "1.00"),
            row("2024-07-01", "1.10"),
            row("2025-07-01", "1.20")
        );
        let err = parse(&text).unwrap_err();
        assert_eq!(
            err.problem,
            RateFileProblem::Gap {
                missing_from: date(2025, 1, 1),
                missing_until: date(2025, 6, 30)
            }
        );
        assert_eq!(err.row, Some(3));
        assert_eq!(err.file, "t.toml");
        let message = err.to_string();
        assert!(message.starts_with("t.toml, row 3 (line "), "{message}");
        assert!(
            message.contains("gap: no rate from 2025-01-01 to 2025-06-30"),
            "{message}"
        );
    }

    #[test]
    fn a_gap_after_an_explicit_end_is_named() {
        let text = format!(
            "{HEADER_CHANGE}{}{}",
            row("2020-01-01", "1.00").replace("rate =", "to = \"2020-03-31\"\nrate ="),
            row("2020-05-01", "2.00")
        );
        let err = parse(&text).unwrap_err();
        assert_eq!(
            err.problem,
            RateFileProblem::Gap {
                missing_from: date(2020, 4, 1),
                missing_until: date(2020, 4, 30)
            }
        );
    }

    #[test]
    fn overlaps_are_named() {
        // Two rows for the same half-year.
        let text = format!(
            "{HEADER_HALF}{}{}",
            row("2024-01-01", "1.00"),
            row("2024-01-01", "1.10")
        );
        let err = parse(&text).unwrap_err();
        assert!(
            matches!(
                err.problem,
                RateFileProblem::Overlap {
                    previous_row: 1,
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(err.row, Some(2));
        // An explicit end running past the next row's start.
        let text = format!(
            "{HEADER_CHANGE}{}{}",
            row("2020-01-01", "1.00").replace("rate =", "to = \"2020-06-30\"\nrate ="),
            row("2020-05-01", "2.00")
        );
        let err = parse(&text).unwrap_err();
        assert_eq!(
            err.problem,
            RateFileProblem::Overlap {
                from: date(2020, 5, 1),
                previous_row: 1,
                previous_until: date(2020, 6, 30)
            }
        );
        // Same start date in a change-driven series.
        let text = format!(
            "{HEADER_CHANGE}{}{}",
            row("2020-01-01", "1.00"),
            row("2020-01-01", "2.00")
        );
        assert!(matches!(
            parse(&text).unwrap_err().problem,
            RateFileProblem::Overlap { .. }
        ));
    }

    #[test]
    fn unsorted_rows_are_refused() {
        let text = format!(
            "{HEADER_CHANGE}{}{}",
            row("2021-01-01", "1.00"),
            row("2020-01-01", "2.00")
        );
        let err = parse(&text).unwrap_err();
        assert_eq!(
            err.problem,
            RateFileProblem::Unsorted {
                from: date(2020, 1, 1),
                previous_row: 1,
                previous_from: date(2021, 1, 1)
            }
        );
    }

    #[test]
    fn bad_rates_and_dates_are_refused_with_their_row() {
        type Case = (String, fn(&RateFileProblem) -> bool);
        let cases: [Case; 6] = [
            (
                format!("{HEADER_CHANGE}{}", row("2020-01-01", "1,5")),
                |p| matches!(p, RateFileProblem::BadRate { .. }),
            ),
            (
                format!("{HEADER_CHANGE}{}", row("2020-01-01", "x")).replace("\"x\"", "0.05"),
                |p| matches!(p, RateFileProblem::RateNotText { .. }),
            ),
            (format!("{HEADER_CHANGE}{}", row("2020-13-01", "1")), |p| {
                matches!(p, RateFileProblem::BadDate { field: "from", .. })
            }),
            (
                format!("{HEADER_CHANGE}{}", row("2020-01-01", "250")),
                |p| matches!(p, RateFileProblem::RateOutOfRange { .. }),
            ),
            (format!("{HEADER_HALF}{}", row("2020-02-01", "1")), |p| {
                matches!(p, RateFileProblem::NotHalfYearStart { .. })
            }),
            (
                format!("{HEADER_CHANGE}{}", row("2020-01-01", "1")).replace("verified", "sure"),
                |p| matches!(p, RateFileProblem::UnknownStatus(_)),
            ),
        ];
        for (text, expected) in cases {
            let err = parse(&text).unwrap_err();
            assert!(expected(&err.problem), "unexpected {err}");
            assert_eq!(err.row, Some(1), "{err}");
        }
        // Unknown keys are typos, not extensions.
        let text = format!("{HEADER_CHANGE}{}", row("2020-01-01", "1")).replace("from =", "form =");
        assert!(matches!(
            parse(&text).unwrap_err().problem,
            RateFileProblem::Syntax(_)
        ));
    }

    #[test]
    fn bare_toml_dates_are_accepted() {
        let text = format!("{HEADER_CHANGE}{}", row("2020-01-01", "1.5"))
            .replace("\"2020-01-01\"", "2020-01-01");
        let tables = parse(&text).unwrap();
        assert_eq!(
            tables
                .rate_on("t", date(2021, 5, 5))
                .unwrap()
                .rate
                .to_string(),
            "1.5"
        );
    }

    #[test]
    fn dates_outside_the_table_are_errors() {
        let tables = RateTables::embedded().unwrap();
        // Before the first row.
        assert!(matches!(
            tables.rate_on(ECB_MRO, date(2014, 9, 9)),
            Err(LawError::RateUnknown { .. })
        ));
        // After the last published half-year: 2026 S2 legal rate not published.
        let err = tables
            .rate_on(FR_LEGAL_OTHER, date(2026, 7, 1))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("the last published rate ends on 2026-06-30"),
            "{err}"
        );
        assert!(
            tables
                .rate_on(FR_LEGAL_NATURAL_PERSON, date(2026, 11, 23))
                .is_err()
        );
        // Change-driven tables stop at the day they are known complete.
        assert!(tables.rate_on(ECB_MRO, date(2026, 7, 1)).is_ok());
        assert!(tables.rate_on(ECB_MRO, date(2026, 7, 2)).is_err());
        assert!(tables.rate_on(UK_BANK_RATE, date(2026, 6, 30)).is_err());
        assert!(tables.rate_on(DE_BASE_RATE, date(2027, 1, 1)).is_err());
        // An unknown series.
        assert_eq!(
            tables.rate_on("xx", date(2020, 1, 1)),
            Err(LawError::UnknownSeries("xx".into()))
        );
    }

    #[test]
    fn a_series_is_defined_once_and_overrides_replace_it() {
        let text = format!("{HEADER_CHANGE}{}", row("2020-01-01", "1"));
        let err = RateTables::from_sources([("a.toml", text.as_str()), ("b.toml", text.as_str())])
            .unwrap_err();
        assert!(matches!(
            err.problem,
            RateFileProblem::DuplicateSeries { .. }
        ));

        let newer = format!(
            "[series]\nid = \"fr-legal-other\"\nname = \"n\"\npublisher = \"p\"\nperiodicity = \"half_yearly\"\n{}",
            row("2026-07-01", "2.50")
        );
        let extra = format!("{HEADER_CHANGE}{}", row("2020-01-01", "1"));
        let user_dir =
            RateTables::from_sources([("fr.toml", newer.as_str()), ("t.toml", extra.as_str())])
                .unwrap();
        let tables = RateTables::embedded().unwrap().with_overrides(user_dir);
        assert_eq!(tables.series().len(), 6);
        assert!(
            tables.rate_on("t", date(2020, 1, 1)).is_ok(),
            "new series added"
        );
        assert_eq!(
            tables
                .rate_on(FR_LEGAL_OTHER, date(2026, 8, 1))
                .unwrap()
                .rate
                .to_string(),
            "2.50"
        );
    }

    #[test]
    fn from_dir_reads_every_toml_file() {
        let dir = std::env::temp_dir().join(format!("recouvre-rates-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in RateTables::embedded_files() {
            std::fs::write(dir.join(name), text).unwrap();
        }
        std::fs::write(dir.join("notes.txt"), "ignored").unwrap();
        let from_dir = RateTables::from_dir(&dir).unwrap();
        assert_eq!(from_dir.series().len(), 5);
        assert_eq!(
            from_dir
                .rate_on(ECB_MRO, date(2024, 1, 1))
                .unwrap()
                .rate
                .to_string(),
            "4.50"
        );
        std::fs::remove_dir_all(&dir).unwrap();
        let err = RateTables::from_dir(&dir).unwrap_err();
        assert!(matches!(err.problem, RateFileProblem::Read(_)));
    }

    #[test]
    fn half_years_walk_the_calendar() {
        let h = HalfYear::containing(date(2024, 6, 30));
        assert_eq!((h.start(), h.end()), (date(2024, 1, 1), date(2024, 6, 30)));
        let n = h.next().unwrap();
        assert_eq!((n.start(), n.end()), (date(2024, 7, 1), date(2024, 12, 31)));
        assert_eq!(n.next().unwrap().start(), date(2025, 1, 1));
        assert_eq!(n.to_string(), "2024 S2");
    }
}
