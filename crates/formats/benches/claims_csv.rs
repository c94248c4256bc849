//! How long reading a claims CSV takes: 100,000 rows, the size of a large creditor's open
//! ledger, in the French layout (`;`, decimal comma, day-first dates, quoted addresses).
//!
//! `cargo bench -p recouvre-formats --bench claims_csv`

use recouvre_formats::claims_csv::{ReadOptions, read_claims};

fn main() {
    divan::main();
}

/// A French-style file of `rows` claims on `rows / 4` debtors.
fn french_file(rows: usize) -> Vec<u8> {
    let mut out = String::with_capacity(rows * 160);
    out.push_str("debtor_id;debtor_name;debtor_kind;country;email;phone;address;invoice_number;issue_date;due_date;amount;currency;tags\n");
    for i in 0..rows {
        let debtor = i / 4;
        let day = i % 28 + 1;
        let month = i % 12 + 1;
        out.push_str(&format!(
            "C{debtor:06};Société {debtor};{kind};FR;compta{debtor}@exemple.fr;+33 1 23 45 67 89;\"{debtor} rue de la Paix\n75002 Paris\";F-{i:07};{day:02}/{month:02}/2025;{day:02}/{month:02}/2026;{} {:03},{:02};EUR;relance|{}\n",
            i % 900 + 1,
            i % 1000,
            i % 100,
            if i % 2 == 0 { "vip" } else { "export" },
            kind = if debtor % 3 == 0 { "particulier" } else { "société" },
        ));
    }
    out.into_bytes()
}

#[divan::bench(args = [100_000])]
fn read_french(bencher: divan::Bencher, rows: usize) {
    let bytes = french_file(rows);
    let opts = ReadOptions::default();
    bencher.bench(|| {
        let rows = read_claims("bench.csv", divan::black_box(&bytes), &opts)
            .expect("the generated file is valid");
        divan::black_box(rows)
    });
}
