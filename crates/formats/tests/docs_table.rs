//! `docs/formats.md` lists each corpus file with its counts and totals: this test reads
//! that table and compares it with what the readers return, so the document cannot drift.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use recouvre_formats::camt::read_camt;
use recouvre_formats::mt940::read_mt940;

/// `-1272.95` → -127295 (two decimals in the table).
fn minor(text: &str) -> i64 {
    let (int, frac) = text.split_once('.').unwrap();
    let sign = if int.starts_with('-') { -1 } else { 1 };
    let int: i64 = int.trim_start_matches('-').parse().unwrap();
    sign * (int * 100 + frac.parse::<i64>().unwrap())
}

#[test]
fn docs_formats_table_matches_the_readers() {
    let Some(dir) = common::corpus("docs_formats_table_matches_the_readers") else {
        return;
    };
    let doc_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/formats.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    let mut rows = 0;
    let mut listed = Vec::new();
    for line in doc
        .lines()
        .filter(|l| l.starts_with("| `camt/") || l.starts_with("| `mt940/"))
    {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let file = cells[0].trim_matches('`');
        listed.push(file.to_string());
        let bytes = common::read(&dir, file);
        let result = if file.starts_with("camt/") {
            read_camt(file, &bytes)
        } else {
            read_mt940(file, &bytes)
        };
        rows += 1;
        if cells[1] == "refused" {
            assert!(result.is_err(), "{file}: the doc says refused");
            continue;
        }
        let statements = result.unwrap_or_else(|e| panic!("{e}"));
        let (mut entries, mut details, mut credits, mut debits) = (0, 0, 0, 0);
        for s in &statements {
            let t = s.totals();
            entries += t.entries;
            details += t.details;
            credits += t.credits_minor;
            debits += t.debits_minor;
        }
        let expected = (
            cells[1].parse::<usize>().unwrap(),
            cells[2].parse::<usize>().unwrap(),
            cells[3].parse::<usize>().unwrap(),
            minor(cells[4]),
            minor(cells[5]),
        );
        assert_eq!(
            (statements.len(), entries, details, credits, debits),
            expected,
            "{file} in docs/formats.md"
        );
    }
    // Every corpus file has its row.
    let mut on_disk = Vec::new();
    for sub in ["camt", "mt940"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            on_disk.push(format!(
                "{sub}/{}",
                e.unwrap().file_name().into_string().unwrap()
            ));
        }
    }
    on_disk.sort();
    listed.sort();
    assert_eq!(
        listed, on_disk,
        "docs/formats.md lists exactly the corpus files"
    );
    assert_eq!(rows, 23);
}
