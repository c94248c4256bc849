//! Report tables out: one [`Sheet`] (a title, headers, typed cells) written as CSV or as an
//! XLSX workbook, so that every report (aged balance, KPIs, effectiveness, forecast) has
//! one layout whatever the format.
//!
//! CSV follows the reader's convention: French (`;` between fields, decimal comma) or
//! English (`,` and a decimal point), UTF-8. XLSX (through rust_xlsxwriter) keeps amounts
//! and counts as numbers so a spreadsheet can add them up; an amount is written from its
//! exact decimal text (XLSX numbers are IEEE doubles by the file format, and any amount
//! below 2^53 minor units survives that conversion exactly: no arithmetic is done in
//! floating point).

use domain::money::{Money, minor_digits};
use rust_decimal::Decimal;

/// One cell of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetCell {
    Text(String),
    Count(u64),
    /// An amount in one currency.
    Amount(Money),
    /// A figure: days, a percentage. `None` when it cannot be computed (no sales…).
    Figure(Option<Decimal>),
    Empty,
}

/// A report table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sheet {
    /// The tab name in a workbook (at most 31 characters are kept).
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<SheetCell>>,
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("CSV: {0}")]
    Csv(String),
    #[error("XLSX: {0}")]
    Xlsx(String),
}

impl SheetCell {
    /// The cell as text, with a decimal comma when `french`.
    pub fn text(&self, french: bool) -> String {
        let dec = |s: String| if french { s.replace('.', ",") } else { s };
        match self {
            SheetCell::Text(t) => t.clone(),
            SheetCell::Count(n) => n.to_string(),
            SheetCell::Amount(m) => dec(m.amount_string()),
            SheetCell::Figure(Some(d)) => dec(d.to_string()),
            SheetCell::Figure(None) | SheetCell::Empty => String::new(),
        }
    }
}

/// The sheet as CSV: a header line, then one line per row.
pub fn to_csv(sheet: &Sheet, french: bool) -> Result<Vec<u8>, SheetError> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(if french { b';' } else { b',' })
        .from_writer(Vec::new());
    w.write_record(&sheet.headers)
        .map_err(|e| SheetError::Csv(e.to_string()))?;
    for row in &sheet.rows {
        w.write_record(row.iter().map(|c| c.text(french)))
            .map_err(|e| SheetError::Csv(e.to_string()))?;
    }
    w.into_inner().map_err(|e| SheetError::Csv(e.to_string()))
}

/// The sheets as one XLSX workbook, one worksheet each.
pub fn to_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, SheetError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| SheetError::Xlsx(e.to_string());
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let ws = book.add_worksheet();
        let name: String = sheet
            .title
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .take(31)
            .collect();
        if !name.is_empty() {
            ws.set_name(name).map_err(err)?;
        }
        for (col, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, col16(col), h, &bold)
                .map_err(err)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| SheetError::Xlsx("too many rows".into()))?;
            for (col, cell) in row.iter().enumerate() {
                let c = col16(col);
                match cell {
                    SheetCell::Text(t) => {
                        ws.write_string(r, c, t).map_err(err)?;
                    }
                    SheetCell::Count(n) => {
                        ws.write_number(r, c, number(&n.to_string())).map_err(err)?;
                    }
                    SheetCell::Amount(m) => {
                        let zeros = "0".repeat(minor_digits(m.currency()) as usize);
                        let pattern = if zeros.is_empty() {
                            "#,##0".to_string()
                        } else {
                            format!("#,##0.{zeros}")
                        };
                        ws.write_number_with_format(
                            r,
                            c,
                            number(&m.amount_string()),
                            &Format::new().set_num_format(pattern),
                        )
                        .map_err(err)?;
                    }
                    SheetCell::Figure(Some(d)) => {
                        ws.write_number(r, c, number(&d.to_string())).map_err(err)?;
                    }
                    SheetCell::Figure(None) | SheetCell::Empty => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

fn col16(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

/// The double nearest an exact decimal text (the only way amounts enter a workbook).
fn number(text: &str) -> f64 {
    text.parse().unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test
mod tests {
    use super::*;
    use domain::Currency::EUR;

    fn sample() -> Sheet {
        Sheet {
            title: "Aged balance".into(),
            headers: vec!["debtor".into(), "total".into(), "DSO".into()],
            rows: vec![vec![
                SheetCell::Text("Dupont; fils".into()),
                SheetCell::Amount(Money::from_minor(1_234_56, EUR)),
                SheetCell::Figure(Some(Decimal::new(381, 1))),
            ]],
        }
    }

    #[test]
    fn csv_in_french_and_english() {
        // French: semicolons, decimal comma; a field holding the separator is quoted.
        let fr = String::from_utf8(to_csv(&sample(), true).unwrap()).unwrap();
        assert_eq!(fr, "debtor;total;DSO\n\"Dupont; fils\";1234,56;38,1\n");
        let en = String::from_utf8(to_csv(&sample(), false).unwrap()).unwrap();
        assert_eq!(en, "debtor,total,DSO\nDupont; fils,1234.56,38.1\n");
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = to_xlsx(&[sample()]).unwrap();
        // An XLSX file is a ZIP archive ("PK\x03\x04") holding the worksheet.
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("xl/worksheets/sheet1.xml"));
    }
}
