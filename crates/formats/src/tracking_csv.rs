//! The delivery tracking of registered letters, from the postal operator's export.
//!
//! A formal notice sent by registered letter with acknowledgment of receipt ("LRAR") has a
//! tracking number, a first-presentation date and, once signed, an acknowledgment date.
//! Operators' tracking exports differ in layout; this reader takes any CSV whose header
//! names, in French or English, in any order and case:
//!
//! | column (aliases) | content |
//! | --- | --- |
//! | `reference` (`référence`, `ref`, `votre_reference`) | the reference printed on our letter, `<customer ref>-<action id>` (the `reference` of `letters batch`'s CSV) |
//! | `notice` (`notice_id`, `mise_en_demeure`) | or the notice's id in Recouvre |
//! | `tracking_number` (`numero_suivi`, `numéro`, `suivi`, `tracking`) | the letter's tracking number; names the notice when neither of the above is given |
//! | `presented_on` (`date_presentation`, `premiere_presentation`, `presentation`) | the first presentation |
//! | `received_on` (`date_distribution`, `date_ar`, `distribue_le`, `delivered_on`) | the acknowledgment signed |
//! | `returned_on` (`date_retour`, `retour`, `non_reclame`, `returned`) | the letter returned to the sender, not collected or not delivered |
//!
//! At least one of `reference`, `notice` or `tracking_number`, and one of the dates or the
//! tracking number, must be present. Dates are `YYYY-MM-DD` or `DD/MM/YYYY`; the file's
//! encoding and separator are found as for every CSV ([`crate::text`]). Errors name the
//! file, line and column.

use crate::dates::{DateOrder, parse_date};
use domain::Date;
use std::fmt;

/// Which notice a line is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeKey {
    /// The notice's id in Recouvre.
    Id(i64),
    /// The action of the daily run that is the notice (from our letter reference).
    Action(i64),
    /// Its tracking number, already known.
    Tracking(String),
}

impl NoticeKey {
    /// The column it came from.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Id(_) => "notice",
            Self::Action(_) => "reference",
            Self::Tracking(_) => "tracking_number",
        }
    }
}

impl fmt::Display for NoticeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id(id) => write!(f, "notice {id}"),
            Self::Action(a) => write!(f, "the letter of action {a}"),
            Self::Tracking(t) => write!(f, "tracking number {t}"),
        }
    }
}

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingRow {
    /// 1-based line in the file.
    pub line: u64,
    pub notice: NoticeKey,
    /// The tracking number to record (when the line names the notice otherwise).
    pub tracking_number: Option<String>,
    pub presented_on: Option<Date>,
    pub received_on: Option<Date>,
    pub returned_on: Option<Date>,
}

/// Why a tracking file was refused: `file:line: column: reason`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {column}: {reason}")]
pub struct TrackingError {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub reason: String,
}

const REFERENCE: &[&str] = &[
    "reference",
    "référence",
    "ref",
    "votre_reference",
    "votre référence",
];
const NOTICE: &[&str] = &["notice", "notice_id", "mise_en_demeure"];
const TRACKING: &[&str] = &[
    "tracking_number",
    "tracking",
    "numero_suivi",
    "numéro_suivi",
    "numero",
    "numéro",
    "suivi",
];
const PRESENTED: &[&str] = &[
    "presented_on",
    "date_presentation",
    "date_présentation",
    "premiere_presentation",
    "première_présentation",
    "presentation",
    "présentation",
];
const RECEIVED: &[&str] = &[
    "received_on",
    "delivered_on",
    "date_distribution",
    "date_ar",
    "distribue_le",
    "distribué_le",
];
const RETURNED: &[&str] = &[
    "returned_on",
    "returned",
    "date_retour",
    "retour",
    "non_reclame",
    "non_réclamé",
];

fn normalise(header: &str) -> String {
    header.trim().to_lowercase().replace([' ', '-'], "_")
}

/// The action id at the end of our letter reference `<customer ref>-<action id>`.
fn action_of_reference(reference: &str) -> Option<i64> {
    reference.trim().rsplit_once('-')?.1.parse().ok()
}

/// Reads a tracking file. Nothing is applied here: the caller checks every line against
/// the notices it holds, in one transaction.
pub fn read_tracking_csv(file: &str, bytes: &[u8]) -> Result<Vec<TrackingRow>, TrackingError> {
    let err = |line: u64, column: &str, reason: String| TrackingError {
        file: file.to_string(),
        line,
        column: column.to_string(),
        reason,
    };
    let text = crate::text::decode(bytes).map_err(|e| err(e.line, "encoding", e.reason))?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(err(
            1,
            "header",
            domain::tr!("the file is empty", "le fichier est vide"),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(crate::text::detect_delimiter(text))
        .from_reader(text.as_bytes());
    let mut columns: Option<[Option<usize>; 6]> = None;
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            err(line, "row", format!("unreadable CSV: {e}"))
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let Some(cols) = columns else {
            let find = |names: &[&str]| {
                cells
                    .iter()
                    .position(|h| names.iter().any(|n| normalise(n) == normalise(h)))
            };
            let c = [
                find(REFERENCE),
                find(NOTICE),
                find(TRACKING),
                find(PRESENTED),
                find(RECEIVED),
                find(RETURNED),
            ];
            if c[0].is_none() && c[1].is_none() && c[2].is_none() {
                return Err(err(
                    line,
                    "header",
                    domain::tr!(
                        "no reference, notice or tracking_number column",
                        "aucune colonne reference, notice ou tracking_number"
                    ),
                ));
            }
            if c[2].is_none() && c[3].is_none() && c[4].is_none() && c[5].is_none() {
                return Err(err(
                    line,
                    "header",
                    domain::tr!(
                        "no tracking_number, presented_on, received_on or returned_on column: nothing to record",
                        "aucune colonne tracking_number, presented_on, received_on ou returned_on : rien à enregistrer"
                    ),
                ));
            }
            columns = Some(c);
            continue;
        };
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i).copied())
                .filter(|c| !c.is_empty())
        };
        let date = |i: Option<usize>, name: &str| -> Result<Option<Date>, TrackingError> {
            cell(i)
                .map(|c| parse_date(c, DateOrder::Auto).map_err(|e| err(line, name, e)))
                .transpose()
        };
        let tracking = cell(cols[2]).map(str::to_string);
        let notice = if let Some(r) = cell(cols[0]) {
            NoticeKey::Action(action_of_reference(r).ok_or_else(|| {
                err(
                    line,
                    "reference",
                    format!("{r:?} is not one of our letter references (<customer>-<number>)"),
                )
            })?)
        } else if let Some(n) = cell(cols[1]) {
            NoticeKey::Id(
                n.parse()
                    .map_err(|_| err(line, "notice", format!("{n:?} is not a notice number")))?,
            )
        } else if let Some(t) = &tracking {
            NoticeKey::Tracking(t.clone())
        } else {
            return Err(err(
                line,
                "reference",
                domain::tr!(
                    "the line names no notice (reference, notice or tracking_number)",
                    "la ligne ne désigne aucune mise en demeure"
                ),
            ));
        };
        let row = TrackingRow {
            line,
            tracking_number: match notice {
                NoticeKey::Tracking(_) => None,
                _ => tracking,
            },
            notice,
            presented_on: date(cols[3], "presented_on")?,
            received_on: date(cols[4], "received_on")?,
            returned_on: date(cols[5], "returned_on")?,
        };
        out.push(row);
    }
    if out.is_empty() {
        return Err(err(
            1,
            "rows",
            domain::tr!("no line after the header", "aucune ligne après l'en-tête"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn reads_references_ids_and_tracking_numbers_with_french_headers() {
        let file = "Référence;Numéro suivi;Date présentation;Date AR\n\
                    C042-17;1A00000000017;03/02/2026;05/02/2026\n\
                    ;;;\n";
        let rows = read_tracking_csv("suivi.csv", file.as_bytes()).unwrap();
        assert_eq!(
            rows,
            vec![TrackingRow {
                line: 2,
                notice: NoticeKey::Action(17),
                tracking_number: Some("1A00000000017".into()),
                presented_on: Some(date(2026, 2, 3)),
                received_on: Some(date(2026, 2, 5)),
                returned_on: None,
            }]
        );
        // A letter not collected, returned to the sender.
        let file = "Référence;Date présentation;Date retour\nC042-18;03/02/2026;20/02/2026\n";
        let rows = read_tracking_csv("suivi.csv", file.as_bytes()).unwrap();
        assert_eq!(rows[0].notice, NoticeKey::Action(18));
        assert_eq!(rows[0].returned_on, Some(date(2026, 2, 20)));
        let file = "notice,presented_on\n4,2026-02-03\n";
        let rows = read_tracking_csv("t.csv", file.as_bytes()).unwrap();
        assert_eq!(rows[0].notice, NoticeKey::Id(4));
        let file = "tracking_number,received_on\n1A99,2026-02-05\n";
        let rows = read_tracking_csv("t.csv", file.as_bytes()).unwrap();
        assert_eq!(rows[0].notice, NoticeKey::Tracking("1A99".into()));
        assert_eq!(rows[0].tracking_number, None);
    }

    #[test]
    fn bad_files_name_line_and_column() {
        let e = read_tracking_csv("t.csv", b"reference;presented_on\nC042-17;31/02/2026\n")
            .unwrap_err();
        assert_eq!((e.line, e.column.as_str()), (2, "presented_on"), "{e}");
        let e =
            read_tracking_csv("t.csv", b"reference;presented_on\nnope;01/02/2026\n").unwrap_err();
        assert_eq!((e.line, e.column.as_str()), (2, "reference"), "{e}");
        let e = read_tracking_csv("t.csv", b"name;city\nx;y\n").unwrap_err();
        assert_eq!((e.line, e.column.as_str()), (1, "header"), "{e}");
        let e = read_tracking_csv("t.csv", b"").unwrap_err();
        assert_eq!(e.column, "header");
        assert!(e.to_string().starts_with("t.csv:1: header:"), "{e}");
    }
}
