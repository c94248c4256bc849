//! # SWIFT MT940 reader
//!
//! [`read_mt940`] reads the customer statement message many banks still send (and that
//! accounting packages export), into [`Statement`]s; tags as in `shared/domain-rules.md`
//! §11.3. One [`Entry`] per `:61:` line, with one [`TxDetail`] built from the `:86:` that
//! follows it: MT940 never breaks a batch down.
//!
//! What it tolerates, because banks send it:
//! - SWIFT envelopes `{1:…}{2:…}{3:…}{4:` … `-}{5:…}`, several messages per file, a final
//!   `-` (or `-XXX`, `-}`), header lines before `:20:` (`ABNANL2A`, `940`, `:940:`), SOH/ETX
//!   control bytes, blank lines, CR/LF or LF;
//! - text in UTF-8, else Windows-1252 (see [`crate::text::decode`]; a damaged UTF-8 file is
//!   refused with its line); control bytes (NUL included) are dropped;
//! - `:28:` or `:28C:`, `:60F:`/`:60M:`, `:62F:`/`:62M:` (a statement split over pages
//!   gives one [`Statement`] per page);
//! - `:61:` with or without entry date, `C`/`D`/`RC`/`RD` marks followed by a funds code
//!   letter (`CR300,` is a credit of 300.00, funds code R), amounts `9,`, `79,7`,
//!   `000000000025,00`, supplementary details on the next line;
//! - `:86:` over several lines: DK structured `?00`…`?63` subfields with `EREF+`, `MREF+`,
//!   `SVWZ+`; slash tags `/EREF/…/NAME/…/REMI/…`; or free text;
//! - proprietary tags (`:NS:`, `:64:`, `:65:`, an `:86:` after the closing balance) are
//!   read past.
//!
//! What it refuses, with the line: a `:61:` or balance that does not parse, a currency that
//! is not ISO 4217 in use (the Deutsche Mark of old test files), a statement tag before any
//! `:20:`, a file without any statement.

use crate::statement::{
    AccountId, Balance, Entry, EntryStatus, Source, Statement, StatementError, TxDetail,
};
use domain::money::parse_currency;
use domain::{Currency, Date, Money};

/// Reads every statement of an MT940 file.
pub fn read_mt940(file: &str, bytes: &[u8]) -> Result<Vec<Statement>, StatementError> {
    // Control bytes (NUL included) are dropped line by line below; a damaged UTF-8 file is
    // refused like any other text file.
    let text = crate::text::decode_any(bytes).map_err(|e| StatementError {
        file: file.to_string(),
        line: e.line,
        offset: 0,
        location: "encoding".into(),
        reason: e.reason,
    })?;
    let mut reader = Reader {
        file,
        statements: Vec::new(),
        current: None,
    };
    // Each field: tag, first line number, lines.
    let mut field: Option<(String, u64, Vec<String>)> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let number = index as u64 + 1;
        let mut line: String = raw
            .chars()
            .filter(|c| *c != '\r' && (!c.is_control() || *c == '\t'))
            .collect();
        // SWIFT envelope: keep what follows `{4:`, drop `{1:…}{2:…}` and `{5:…}` lines.
        if line.starts_with('{') {
            match line.find("{4:") {
                Some(at) => line = line[at + 3..].to_string(),
                None => continue,
            }
        }
        if let Some(tag) = tag_of(&line) {
            if let Some((t, n, lines)) = field.take() {
                reader.field(&t, n, lines)?;
            }
            let rest = line[tag.len() + 2..].to_string();
            field = Some((tag, number, vec![rest]));
        } else if is_end_of_message(&line) {
            if let Some((t, n, lines)) = field.take() {
                reader.field(&t, n, lines)?;
            }
            reader.finish()?;
        } else if let Some((_, _, lines)) = field.as_mut() {
            lines.push(line);
        }
        // Anything else is a header line before `:20:` (or after the end of a message).
    }
    if let Some((t, n, lines)) = field.take() {
        reader.field(&t, n, lines)?;
    }
    reader.finish()?;
    if reader.statements.is_empty() {
        return Err(StatementError {
            file: file.to_string(),
            line: 1,
            offset: 0,
            location: ":20:".into(),
            reason: "not an MT940 file: no statement (:20: … :62F:) found".into(),
        });
    }
    Ok(reader.statements)
}

/// `20`, `28C`, `60F`, `NS` for a line starting with `:20:`, `:28C:`, `:60F:`, `:NS:`.
fn tag_of(line: &str) -> Option<String> {
    let rest = line.strip_prefix(':')?;
    let end = rest.find(':')?;
    let tag = &rest[..end];
    let b = tag.as_bytes();
    let ok = (2..=3).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && (b[..2].iter().all(u8::is_ascii_digit) || tag == "NS");
    ok.then(|| tag.to_string())
}

fn is_end_of_message(line: &str) -> bool {
    let t = line.trim();
    t == "-" || t.starts_with("-}") || t == "-XXX"
}

/// A statement being read.
struct Open {
    line: u64,
    id: String,
    sequence: Option<String>,
    account: Option<String>,
    opening: Option<Balance>,
    closing: Option<Balance>,
    /// Entries and the line of their `:61:`; the last one takes the next `:86:`.
    entries: Vec<(Entry, TxDetail)>,
    /// Whether an `:86:` now belongs to the last entry (it follows its `:61:`).
    info_belongs_to_entry: bool,
}

struct Reader<'f> {
    file: &'f str,
    statements: Vec<Statement>,
    current: Option<Open>,
}

impl Reader<'_> {
    fn err(&self, line: u64, tag: &str, reason: impl Into<String>) -> StatementError {
        StatementError {
            file: self.file.to_string(),
            line,
            offset: 0,
            location: format!(":{tag}:"),
            reason: reason.into(),
        }
    }

    fn field(&mut self, tag: &str, line: u64, lines: Vec<String>) -> Result<(), StatementError> {
        if tag == "20" {
            self.finish()?;
            self.current = Some(Open {
                line,
                id: lines.first().map_or("", |l| l.trim()).to_string(),
                sequence: None,
                account: None,
                opening: None,
                closing: None,
                entries: Vec::new(),
                info_belongs_to_entry: false,
            });
            return Ok(());
        }
        if tag == "NS" || tag == "940" {
            return Ok(());
        }
        let Some(open) = self.current.as_mut() else {
            if matches!(
                tag,
                "25" | "28" | "28C" | "60F" | "60M" | "61" | "62F" | "62M"
            ) {
                return Err(self.err(
                    line,
                    tag,
                    "statement field before any :20: (is this MT940?)",
                ));
            }
            return Ok(());
        };
        let first = lines.first().map_or("", |l| l.trim()).to_string();
        let was_entry = std::mem::replace(&mut open.info_belongs_to_entry, false);
        match tag {
            "25" => open.account = Some(first),
            "28" | "28C" => open.sequence = Some(first),
            "60F" | "60M" => {
                let b = balance(&first).map_err(|r| self.err(line, tag, r))?;
                self.open_mut()?.opening = Some(b);
            }
            "62F" | "62M" => {
                let b = balance(&first).map_err(|r| self.err(line, tag, r))?;
                self.open_mut()?.closing = Some(b);
            }
            "61" => {
                let currency = open
                    .opening
                    .or(open.closing)
                    .map(|b| b.amount.currency())
                    .ok_or_else(|| {
                        self.err(
                            line,
                            tag,
                            "statement line before the opening balance :60F: (no currency)",
                        )
                    })?;
                let (entry, tx) = statement_line(&first, &lines[1..], currency)
                    .map_err(|r| self.err(line, tag, r))?;
                let open = self.open_mut()?;
                open.entries.push((entry, tx));
                open.info_belongs_to_entry = true;
            }
            "86" if was_entry => {
                if let Some((_, tx)) = open.entries.last_mut() {
                    information(&lines, tx);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn open_mut(&mut self) -> Result<&mut Open, StatementError> {
        // Only called right after `self.current` was seen to be `Some`.
        self.current.as_mut().ok_or_else(|| StatementError {
            file: String::new(),
            line: 0,
            offset: 0,
            location: String::new(),
            reason: "internal: no open statement".into(),
        })
    }

    fn finish(&mut self) -> Result<(), StatementError> {
        let Some(open) = self.current.take() else {
            return Ok(());
        };
        let currency: Currency = open
            .opening
            .or(open.closing)
            .map(|b| b.amount.currency())
            .ok_or_else(|| {
                self.err(
                    open.line,
                    "20",
                    "statement without opening or closing balance (:60F:/:62F:)",
                )
            })?;
        let id = match &open.sequence {
            Some(seq) => format!("{}/{}", open.id, seq),
            None => open.id.clone(),
        };
        let entries = open
            .entries
            .into_iter()
            .map(|(mut entry, tx)| {
                entry.settle_details(vec![(Some(tx.amount), tx)]);
                entry
            })
            .collect();
        self.statements.push(Statement {
            source: Source::Mt940,
            id,
            account: AccountId::from_text(open.account.as_deref().unwrap_or("")),
            currency,
            opening: open.opening,
            closing: open.closing,
            entries,
        });
        Ok(())
    }
}

/// `C131130CHF0,` → +0.00 CHF on 2013-11-30.
fn balance(text: &str) -> Result<Balance, String> {
    let bad = || format!("{text:?} is not a balance (expected C or D, YYMMDD, currency, amount)");
    let sign = text.get(..1).ok_or_else(bad)?;
    let date = yymmdd(text.get(1..7).ok_or_else(bad)?).ok_or_else(bad)?;
    let currency = currency(text.get(7..10).ok_or_else(bad)?)?;
    let amount = amount(text.get(10..).ok_or_else(bad)?.trim(), currency)?;
    let amount = match sign {
        "C" => amount,
        "D" => amount.negated(),
        _ => return Err(bad()),
    };
    Ok(Balance {
        amount,
        date: Some(date),
    })
}

fn currency(code: &str) -> Result<Currency, String> {
    parse_currency(code).map_err(|_| {
        format!("{code:?} is not a currency in use (ISO 4217); a statement in a former currency cannot be imported")
    })
}

/// `9,` `79,7` `000000000025,00` in `currency`.
fn amount(text: &str, currency: Currency) -> Result<Money, String> {
    let bad = || format!("{text:?} is not an MT940 amount (digits and one comma)");
    let (int, frac) = text.split_once(',').ok_or_else(bad)?;
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let int = int.trim_start_matches('0');
    let normal = match (int.is_empty(), frac.is_empty()) {
        (true, true) => "0".to_string(),
        (true, false) => format!("0.{frac}"),
        (false, true) => int.to_string(),
        (false, false) => format!("{int}.{frac}"),
    };
    Money::parse(&normal, currency).map_err(|e| e.to_string())
}

/// `YYMMDD`; years 80–99 are 19xx, the others 20xx.
fn yymmdd(text: &str) -> Option<Date> {
    if text.len() != 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let yy: i16 = text[..2].parse().ok()?;
    let year = if yy >= 80 { 1900 + yy } else { 2000 + yy };
    Date::new(year, text[2..4].parse().ok()?, text[4..6].parse().ok()?).ok()
}

/// One `:61:` line (`first`) and its continuation lines (supplementary details).
fn statement_line(
    first: &str,
    more: &[String],
    currency: Currency,
) -> Result<(Entry, TxDetail), String> {
    let bad = |what: &str| format!("{first:?}: {what}");
    let value_date = yymmdd(first.get(..6).ok_or_else(|| bad("too short"))?)
        .ok_or_else(|| bad("no value date YYMMDD"))?;
    let mut rest = &first[6..];
    let mut booking_date = None;
    if rest.len() >= 4 && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        let (m, d): (i8, i8) = (
            rest[..2].parse().map_err(|_| bad("entry date"))?,
            rest[2..4].parse().map_err(|_| bad("entry date"))?,
        );
        // The entry date has no year: the value date's, unless that puts it more than
        // six months away (a booking on 31 Dec of a payment valued 2 Jan).
        let mut year = value_date.year();
        if i16::from(m) - i16::from(value_date.month()) > 6 {
            year -= 1;
        } else if i16::from(value_date.month()) - i16::from(m) > 6 {
            year += 1;
        }
        booking_date =
            Some(Date::new(year, m, d).map_err(|_| bad("entry date MMDD is not a date"))?);
        rest = &rest[4..];
    }
    let (reversal, credit, after) = if let Some(r) = rest.strip_prefix("RC") {
        (true, false, r)
    } else if let Some(r) = rest.strip_prefix("RD") {
        (true, true, r)
    } else if let Some(r) = rest.strip_prefix('C') {
        (false, true, r)
    } else if let Some(r) = rest.strip_prefix('D') {
        (false, false, r)
    } else {
        return Err(bad("no debit/credit mark (C, D, RC, RD)"));
    };
    // Optional funds code: one letter before the amount.
    let after = match after.as_bytes().first() {
        Some(b) if b.is_ascii_alphabetic() => &after[1..],
        _ => after,
    };
    let end = after
        .find(|c: char| !(c.is_ascii_digit() || c == ','))
        .unwrap_or(after.len());
    let unsigned = amount(&after[..end], currency).map_err(|e| bad(&e))?;
    let amount = if credit { unsigned } else { unsigned.negated() };
    let tail = &after[end..];
    let code = tail
        .get(..4)
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let refs = tail.get(4..).unwrap_or("");
    let (customer, bank) = match refs.split_once("//") {
        Some((c, b)) => (c, Some(b)),
        None => (refs, None),
    };
    let keep = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && !s.eq_ignore_ascii_case("NONREF")).then(|| s.to_string())
    };
    let supplementary: Vec<&str> = more
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    let mut tx = TxDetail::new(amount);
    if let Some(first_supp) = supplementary.first() {
        if crate::iban::is_valid(first_supp) {
            tx.counterparty_account = Some(AccountId::from_text(first_supp));
        }
        tx.additional_info = Some(supplementary.join(" "));
    }
    let entry = Entry {
        amount,
        booking_date: booking_date.or(Some(value_date)),
        value_date: Some(value_date),
        reversal,
        status: EntryStatus::Booked,
        bank_reference: bank.and_then(keep),
        entry_reference: keep(customer),
        bank_transaction_code: code,
        additional_info: None,
        unsplit_details: None,
        transactions: Vec::new(),
    };
    Ok((entry, tx))
}

/// Reads an `:86:` into the detail: DK `?nn` subfields, slash tags, or free text.
fn information(lines: &[String], tx: &mut TxDetail) {
    let trimmed: Vec<&str> = lines
        .iter()
        .map(|l| l.trim_end())
        .filter(|l| !l.trim().is_empty())
        .collect();
    // Lines are cut at 65 characters, mid-word: structured forms are joined without space.
    let joined: String = trimmed.concat();
    let head = joined.trim_start();
    if head.len() > 4
        && head.as_bytes()[..3].iter().all(u8::is_ascii_digit)
        && head[3..].starts_with('?')
    {
        dk_subfields(head, tx);
    } else if head.starts_with('/') && slash_tags(head, tx) {
        // done
    } else {
        tx.remittance_unstructured = trimmed.iter().map(|l| l.trim().to_string()).collect();
    }
}

/// German DK format: `GVC?00posting text?20…?29 remittance?30 bank?31 account?32 name…`.
///
/// SEPA keywords (`EREF+`, `MREF+`, `SVWZ+`…) open a subfield of the remittance; a value
/// continues into the next subfield only when that one opens with no keyword and the value
/// filled its subfield (27 characters), or when it is the free text `SVWZ+`.
fn dk_subfields(text: &str, tx: &mut TxDetail) {
    const KEYWORDS: [&str; 10] = [
        "EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "SVWZ+", "ABWA+", "ABWE+", "COAM+", "OAMT+",
    ];
    // (keyword or "", value, length of the last subfield added).
    let mut segments: Vec<(&str, String, usize)> = Vec::new();
    let mut name = String::new();
    let mut account = None;
    let mut parts = text.split('?');
    let gvc = parts.next().unwrap_or("").trim();
    tx.purpose = Some(gvc.to_string());
    for part in parts {
        let (Some(code), Some(value)) = (part.get(..2), part.get(2..)) else {
            continue;
        };
        match code {
            "00" => tx.additional_info = Some(value.trim().to_string()),
            "20" | "21" | "22" | "23" | "24" | "25" | "26" | "27" | "28" | "29" | "60" | "61"
            | "62" | "63" => {
                let len = value.chars().count();
                if let Some(key) = KEYWORDS.iter().find(|k| value.starts_with(**k)) {
                    segments.push((key, value[key.len()..].to_string(), len));
                } else {
                    match segments.last_mut() {
                        Some((key, v, last))
                            if *key == "SVWZ+" || key.is_empty() || *last >= 27 =>
                        {
                            v.push_str(value);
                            *last = len;
                        }
                        _ => segments.push(("", value.to_string(), len)),
                    }
                }
            }
            "31" => account = Some(value.trim().to_string()),
            "32" | "33" => name.push_str(value),
            _ => {}
        }
    }
    if let Some(a) = account.filter(|a| !a.is_empty()) {
        tx.counterparty_account = Some(AccountId::from_text(&a));
    }
    if !name.trim().is_empty() {
        tx.counterparty_name = Some(name.trim().to_string());
    }
    for (key, value, _) in segments {
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        match key {
            "EREF+" if !value.eq_ignore_ascii_case("NOTPROVIDED") => {
                tx.end_to_end_id = Some(value);
            }
            "MREF+" => tx.mandate_id = Some(value),
            "KREF+" => tx.transaction_id = Some(value),
            "SVWZ+" | "" => tx.remittance_unstructured.push(value),
            _ => {}
        }
    }
}

/// Slash tags (Rabobank, ABN AMRO SEPA): `/EREF/…/BENM//NAME/…/REMI/…`. Returns `false`
/// when no known tag is found (then the text is free text).
fn slash_tags(text: &str, tx: &mut TxDetail) -> bool {
    const TAGS: [&str; 22] = [
        "EREF",
        "MARF",
        "CSID",
        "BENM",
        "ORDP",
        "NAME",
        "ID",
        "ADDR",
        "REMI",
        "ISDT",
        "IBAN",
        "BIC",
        "TRTP",
        "CNTP",
        "PURP",
        "RTRN",
        "SVCL",
        "CDTRREF",
        "CDTRREFTP",
        "CD",
        "ISSR",
        "PREF",
    ];
    let tokens: Vec<&str> = text.split('/').collect();
    let mut found = false;
    let mut i = 0;
    while i < tokens.len() {
        let tag = tokens[i];
        if !TAGS.contains(&tag) {
            i += 1;
            continue;
        }
        found = true;
        let mut j = i + 1;
        while j < tokens.len() && !TAGS.contains(&tokens[j]) {
            j += 1;
        }
        let value = tokens[i + 1..j].join("/").trim().to_string();
        if !value.is_empty() {
            match tag {
                "EREF" if !value.eq_ignore_ascii_case("NOTPROVIDED") => {
                    tx.end_to_end_id = Some(value)
                }
                "MARF" => tx.mandate_id = Some(value),
                "NAME" if tx.counterparty_name.is_none() => tx.counterparty_name = Some(value),
                "IBAN" => tx.counterparty_account = Some(AccountId::from_text(&value)),
                "REMI" => tx.remittance_unstructured.push(value),
                "CD" | "CDTRREF" => tx.structured_reference = Some(value),
                "PURP" => tx.purpose = Some(value),
                "RTRN" => tx.return_reason = Some(value),
                _ => {}
            }
        }
        i = j;
    }
    found
}
