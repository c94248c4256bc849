//! Worked examples of late-payment interest, each computed by hand from the rate tables
//! (`crates/domain/rates/`, figures of `shared/domain-rules.md` §2 and §9) before being
//! written here. Convention: amount = Σ base × rate × days / 36500 per period, summed
//! unrounded, rounded once half-up to the cent (C1, C2); days = as_of − due_date (C3); a
//! payment lowers the base from the day after its value date (C4).
//!
//! Rates used (percent):
//! - France B2B = ECB on 1 Jan / 1 Jul + 10: 2015 S1 10.05; 2016 S1 10.05; 2016 S2 10.00;
//!   2020 S1 10.00; 2022 S2 10.00; 2023 S1 12.50; 2023 S2 14.00; 2024 S1 14.50;
//!   2024 S2 14.25; 2025 S1 13.15; 2025 S2 12.15.
//! - Legal rate "other cases": 2024 S1 5.07 (× 3 = 15.21); 2024 S2 4.92; 2025 S1 3.71;
//!   2025 S2 2.76 (× 3 = 8.28); 2026 S1 2.62 (× 3 = 7.86). Natural person: 2024 S1 8.01.
//! - German base rate: 2019 S1 −0.88; 2024 S2 3.37; 2025 S1 2.27; 2025 S2 1.27; 2026 S1 1.27.
//! - UK Bank Rate on 31/12/2019 0.75; 31/12/2024 4.75; 30/06/2024 5.25; 31/12/2025 3.75.

#![allow(clippy::unwrap_used)] // Test code: a failing unwrap is a failing test.

use super::LawError;
use super::interest::{
    FrenchRateReading, InterestRequest, LegalRateCategory, PartPayment, Regime, late_interest,
};
use super::rates::RateTables;
use crate::date::Date;
use crate::money::{Currency, Money};
use jiff::civil::date;
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn money(s: &str, currency: Currency) -> Money {
    Money::parse(s, currency).unwrap()
}

struct Example {
    name: &'static str,
    regime: Regime,
    currency: Currency,
    principal: &'static str,
    due: Date,
    as_of: Date,
    payments: Vec<(Date, &'static str)>,
    expected: &'static str,
}

impl Example {
    fn request(&self) -> InterestRequest {
        InterestRequest {
            principal: money(self.principal, self.currency),
            due_date: self.due,
            as_of: self.as_of,
            payments: self
                .payments
                .iter()
                .map(|&(date, amount)| PartPayment {
                    date,
                    amount: money(amount, self.currency),
                })
                .collect(),
            regime: self.regime,
        }
    }
}

fn fr_b2b() -> Regime {
    Regime::france_b2b()
}

fn contractual(rate: &str) -> Regime {
    Regime::FranceB2bContractual {
        annual_rate: dec(rate),
    }
}

fn fixed(rate: &str) -> Regime {
    Regime::FixedRate {
        annual_rate: dec(rate),
    }
}

fn legal(category: LegalRateCategory, enforceable: Option<Date>) -> Regime {
    Regime::FranceLegal {
        category,
        judgment_enforceable_on: enforceable,
    }
}

#[rustfmt::skip] // One example per line: a table reads better than a column.
fn examples() -> Vec<Example> {
    use Currency::{EUR, GBP, JPY};
    let ex = |name,
              regime,
              currency,
              principal,
              due,
              as_of,
              payments: Vec<(Date, &'static str)>,
              expected| Example {
        name,
        regime,
        currency,
        principal,
        due,
        as_of,
        payments,
        expected,
    };
    vec![
        // ---------------------------------------------------------------- France B2B
        // domain-rules §1 worked example, verbatim: €1,200.00 due 2025-06-20 paid 2025-07-10.
        // 21–30 Jun: 10 d × 1200 × 13.15 / 36500 = 157800/36500 = 4.3232877
        // 1–10 Jul:  10 d × 1200 × 12.15 / 36500 = 145800/36500 = 3.9945205
        // sum 8.3178082 → 8.32
        ex("fr b2b domain-rules example", fr_b2b(), EUR, "1200.00", date(2025, 6, 20), date(2025, 7, 10), vec![], "8.32"),
        // 2024 is a leap year, the denominator stays 365: 1 Feb–1 Mar 2024 = 29 + 1 = 30 d.
        // 10000 × 14.50 × 30 = 4350000 / 36500 = 119.1780822 → 119.18
        ex("fr b2b leap february", fr_b2b(), EUR, "10000.00", date(2024, 1, 31), date(2024, 3, 1), vec![], "119.18"),
        // Whole 2024 S1: 31+29+31+30+31+30 = 182 d. 1000 × 14.50 × 182 = 2639000 / 36500
        // = 72.3013699 → 72.30
        ex("fr b2b 2024 S1 leap half-year", fr_b2b(), EUR, "1000.00", date(2023, 12, 31), date(2024, 6, 30), vec![], "72.30"),
        // Year-end boundary: 16–31 Dec 2024 = 16 d at 14.25; 1–14 Jan 2025 = 14 d at 13.15.
        // 5000 × 14.25 × 16 = 1140000; 5000 × 13.15 × 14 = 920500; 2060500 / 36500
        // = 56.4520548 → 56.45
        ex("fr b2b across new year", fr_b2b(), EUR, "5000.00", date(2024, 12, 15), date(2025, 1, 14), vec![], "56.45"),
        // ECB at 0: 1–30 Jun 2020 = 30 d at 10.00. 2000 × 10 × 30 = 600000 / 36500
        // = 16.4383562 → 16.44
        ex("fr b2b zero ecb", fr_b2b(), EUR, "2000.00", date(2020, 5, 31), date(2020, 6, 30), vec![], "16.44"),
        // 2016: 16–30 Jun = 15 d at 10.05 (ECB 0.05 on 1 Jan); 1–15 Jul = 15 d at 10.00.
        // 3000 × 10.05 × 15 = 452250; 3000 × 10 × 15 = 450000; 902250 / 36500
        // = 24.7191781 → 24.72
        ex("fr b2b 2016 cut", fr_b2b(), EUR, "3000.00", date(2016, 6, 15), date(2016, 7, 15), vec![], "24.72"),
        // 2022 S2 keeps 10.00: the ECB hiked only on 27 Jul. 1 Aug–31 Dec = 31+30+31+30+31
        // = 153 d. 1000 × 10 × 153 = 1530000 / 36500 = 41.9178082 → 41.92
        ex("fr b2b 2022 S2 rate of 1 July", fr_b2b(), EUR, "1000.00", date(2022, 7, 31), date(2022, 12, 31), vec![], "41.92"),
        // 1–30 Jun 2023 = 30 d at 12.50; 1 Jul–31 Aug = 62 d at 14.00.
        // 20000 × 12.5 × 30 = 7500000; 20000 × 14 × 62 = 17360000; 24860000 / 36500
        // = 681.0958904 → 681.10
        ex("fr b2b 2023 hikes", fr_b2b(), EUR, "20000.00", date(2023, 5, 31), date(2023, 8, 31), vec![], "681.10"),
        // Four half-years: 2024 S1 182 d × 14.50 = 2639000 (× 1000); 2024 S2 184 d × 14.25
        // = 2622000; 2025 S1 181 d × 13.15 = 2380150; 2025 S2 184 d × 12.15 = 2235600;
        // total 9876750 / 36500 = 270.5958904 → 270.60
        ex("fr b2b two years", fr_b2b(), EUR, "1000.00", date(2023, 12, 31), date(2025, 12, 31), vec![], "270.60"),
        // 2015 S1: 1–30 Apr = 30 d at 10.05. 1000 × 10.05 × 30 = 301500 / 36500
        // = 8.2602740 → 8.26
        ex("fr b2b 2015", fr_b2b(), EUR, "1000.00", date(2015, 3, 31), date(2015, 4, 30), vec![], "8.26"),
        // Partial payment: €4,000 paid 28 Feb lowers the base from 1 Mar.
        // 1–28 Feb = 28 d × 10000 × 13.15 = 3682000; 1–31 Mar = 31 d × 6000 × 13.15
        // = 2445900; 6127900 / 36500 = 167.8876712 → 167.89
        ex("fr b2b partial payment", fr_b2b(), EUR, "10000.00", date(2025, 1, 31), date(2025, 3, 31), vec![(date(2025, 2, 28), "4000.00")], "167.89"),
        // Payment on 30 Jun: the base drops on 1 Jul, with the rate.
        // 11–30 Jun = 20 d × 8000 × 13.15 = 2104000; 1–20 Jul = 20 d × 5000 × 12.15
        // = 1215000; 3319000 / 36500 = 90.9315068 → 90.93
        ex("fr b2b payment at half-year end", fr_b2b(), EUR, "8000.00", date(2025, 6, 10), date(2025, 7, 20), vec![(date(2025, 6, 30), "3000.00")], "90.93"),
        // Payment before the due date: base 600 from the start. 1–30 Oct = 30 d.
        // 600 × 12.15 × 30 = 218700 / 36500 = 5.9917808 → 5.99
        ex("fr b2b payment before due", fr_b2b(), EUR, "1000.00", date(2025, 9, 30), date(2025, 10, 30), vec![(date(2025, 9, 15), "400.00")], "5.99"),
        // Paid in full on 10 Apr: interest 1–10 Apr only. 500 × 13.15 × 10 = 65750 / 36500
        // = 1.8013699 → 1.80
        ex("fr b2b paid in full later", fr_b2b(), EUR, "500.00", date(2025, 3, 31), date(2025, 5, 31), vec![(date(2025, 4, 10), "500.00")], "1.80"),
        // Two payments, 2024 S2 at 14.25: 1–15 Oct 15 d × 12000 = 2565000; 16 Oct–30 Nov
        // 46 d × 10000 = 6555000; 1–31 Dec 31 d × 5000 = 2208750 (each × 14.25 already);
        // 11328750 / 36500 = 310.3767123 → 310.38
        ex("fr b2b two payments", fr_b2b(), EUR, "12000.00", date(2024, 9, 30), date(2024, 12, 31), vec![ (date(2024, 10, 15), "2000.00"), (date(2024, 11, 30), "5000.00")], "310.38"),
        // Paid on the first day of interest: that day still bears interest on the full
        // base (C4). 1 Apr 1 d × 1000 × 13.15 = 13150; 2–30 Apr 29 d × 400 × 13.15
        // = 152540; 165690 / 36500 = 4.5394521 → 4.54
        ex("fr b2b payment on first late day", fr_b2b(), EUR, "1000.00", date(2025, 3, 31), date(2025, 4, 30), vec![(date(2025, 4, 1), "600.00")], "4.54"),
        // Paid on 1 Jul, a half-year start: 21–30 Jun 10 d × 2000 × 13.15 = 263000;
        // 1 Jul 1 d × 2000 × 12.15 = 24300; 2–10 Jul 9 d × 1000 × 12.15 = 109350;
        // 396650 / 36500 = 10.8671233 → 10.87
        ex("fr b2b payment on 1 July", fr_b2b(), EUR, "2000.00", date(2025, 6, 20), date(2025, 7, 10), vec![(date(2025, 7, 1), "1000.00")], "10.87"),
        // Frozen reading: the 2025 S1 rate (13.15) for all 20 days.
        // 1200 × 13.15 × 20 = 315600 / 36500 = 8.6465753 → 8.65
        ex("fr b2b frozen reading", Regime::FranceB2bStatutory { reading: FrenchRateReading::FrozenAtDueDate, }, EUR, "1200.00", date(2025, 6, 20), date(2025, 7, 10), vec![], "8.65"),
        // Rounding half-up at exactly half a cent: 18.25 × 10 × 1 = 182.5 / 36500 = 0.005
        // → 0.01
        ex("fr b2b half cent rounds up", fr_b2b(), EUR, "18.25", date(2020, 3, 10), date(2020, 3, 11), vec![], "0.01"),
        // 4106.25 × 10 × 1 = 41062.5 / 36500 = 1.125 → 1.13 (half-up, not to even)
        ex("fr b2b 1.125 rounds to 1.13", fr_b2b(), EUR, "4106.25", date(2020, 3, 10), date(2020, 3, 11), vec![], "1.13"),
        // Not late yet, or paid on the due date: zero.
        ex("fr b2b as of due date", fr_b2b(), EUR, "1000.00", date(2025, 3, 31), date(2025, 3, 31), vec![], "0.00"),
        ex("fr b2b before due date", fr_b2b(), EUR, "1000.00", date(2025, 3, 31), date(2025, 3, 1), vec![], "0.00"),
        // ---------------------------------------------------------- France contractual
        // 15 % above the floor 3 × 3.71 = 11.13. 1 Mar–29 Apr 2025 = 31 + 29 = 60 d.
        // 2000 × 15 × 60 = 1800000 / 36500 = 49.3150685 → 49.32
        ex("fr contractual above floor", contractual("15"), EUR, "2000.00", date(2025, 2, 28), date(2025, 4, 29), vec![], "49.32"),
        // 5 % below the floor 3 × 5.07 = 15.21 (2024 S1); due on leap day 29 Feb 2024;
        // 1–30 Mar = 30 d. 1000 × 15.21 × 30 = 456300 / 36500 = 12.5013699 → 12.50
        ex("fr contractual floored", contractual("5"), EUR, "1000.00", date(2024, 2, 29), date(2024, 3, 30), vec![], "12.50"),
        // 8 %: floored at 8.28 in 2025 S2 (16–31 Dec, 16 d), not in 2026 S1 (floor 7.86;
        // 1–15 Jan, 15 d). 10000 × 8.28 × 16 = 1324800; 10000 × 8 × 15 = 1200000;
        // 2524800 / 36500 = 69.1726027 → 69.17
        ex("fr contractual floor per half-year", contractual("8"), EUR, "10000.00", date(2025, 12, 15), date(2026, 1, 15), vec![], "69.17"),
        // ------------------------------------------------------------ France legal rate
        // domain-rules §3 example, verbatim: €1,000.00, mise en demeure 2026-02-02, paid
        // 2026-03-04 (30 days) → 1000 × 2.62 × 30 = 78600 / 36500 = 2.1534247 → 2.15
        ex("fr b2c domain-rules example", Regime::france_b2c(), EUR, "1000.00", date(2026, 2, 2), date(2026, 3, 4), vec![], "2.15"),
        // 16–30 Jun 2025 = 15 d at 3.71; 1–15 Jul = 15 d at 2.76.
        // 3000 × 3.71 × 15 = 166950; 3000 × 2.76 × 15 = 124200; 291150 / 36500
        // = 7.9767123 → 7.98
        ex("fr b2c across half-year", Regime::france_b2c(), EUR, "3000.00", date(2025, 6, 15), date(2025, 7, 15), vec![], "7.98"),
        // Creditor a natural person: 2024 S1 8.01; 1 Feb–30 Apr 2024 = 29 + 31 + 30 = 90 d.
        // 5000 × 8.01 × 90 = 3604500 / 36500 = 98.7534247 → 98.75
        ex("fr legal natural-person creditor", legal(LegalRateCategory::NaturalPersonCreditor, None), EUR, "5000.00", date(2024, 1, 31), date(2024, 4, 30), vec![], "98.75"),
        // Judgment enforceable 10 Mar 2025: two months end 10 May; +5 points from 11 May.
        // 11 Mar–10 May = 21 + 30 + 10 = 61 d at 3.71 → 10000 × 3.71 × 61 = 2263100;
        // 11 May–10 Jun = 21 + 10 = 31 d at 8.71 → 10000 × 8.71 × 31 = 2700100;
        // 4963200 / 36500 = 135.9780822 → 135.98
        ex("fr legal L313-3 increase", legal(LegalRateCategory::Other, Some(date(2025, 3, 10))), EUR, "10000.00", date(2025, 3, 10), date(2025, 6, 10), vec![], "135.98"),
        // A leap year of 366 days over 365: 2024 S1 182 d × 5.07 = 922740 (× 1000);
        // 2024 S2 184 d × 4.92 = 905280; 1828020 / 36500 = 50.0827397 → 50.08
        ex("fr legal whole leap year", Regime::france_b2c(), EUR, "1000.00", date(2023, 12, 31), date(2024, 12, 31), vec![], "50.08"),
        // ----------------------------------------------------------------- Germany
        // B2B 2026 S1: 1.27 + 9 = 10.27; 1 Feb–2 Mar 2026 = 28 + 2 = 30 d.
        // 10000 × 10.27 × 30 = 3081000 / 36500 = 84.4109589 → 84.41
        ex("de b2b", Regime::GermanyB2b, EUR, "10000.00", date(2026, 1, 31), date(2026, 3, 2), vec![], "84.41"),
        // B2C 2025 S2: 1.27 + 5 = 6.27; 1 Jul–29 Aug = 31 + 29 = 60 d.
        // 1000 × 6.27 × 60 = 376200 / 36500 = 10.3068493 → 10.31
        ex("de b2c", Regime::GermanyB2c, EUR, "1000.00", date(2025, 6, 30), date(2025, 8, 29), vec![], "10.31"),
        // B2B across the year: 2–31 Dec 2024 = 30 d at 3.37 + 9 = 12.37; 1–30 Jan 2025
        // = 30 d at 2.27 + 9 = 11.27. 4000 × 12.37 × 30 = 1484400; 4000 × 11.27 × 30
        // = 1352400; 2836800 / 36500 = 77.7205479 → 77.72
        ex("de b2b across new year", Regime::GermanyB2b, EUR, "4000.00", date(2024, 12, 1), date(2025, 1, 30), vec![], "77.72"),
        // Negative base rate: −0.88 + 5 = 4.12; 1–30 Apr 2019 = 30 d.
        // 2500 × 4.12 × 30 = 309000 / 36500 = 8.4657534 → 8.47
        ex("de b2c negative base", Regime::GermanyB2c, EUR, "2500.00", date(2019, 3, 31), date(2019, 4, 30), vec![], "8.47"),
        // ---------------------------------------------------------------------- UK
        // Interest from 16 Jan 2026: 31/12/2025 rate 3.75 + 8 = 11.75 (domain-rules §9).
        // 16–31 Jan 16 d + Feb 28 d + 1–16 Mar 16 d = 60 d. 5000 × 11.75 × 60 = 3525000
        // / 36500 = 96.5753425 → 96.58
        ex("uk 2026 H1", Regime::UkCommercial, GBP, "5000.00", date(2026, 1, 15), date(2026, 3, 16), vec![], "96.58"),
        // Interest starting 21 Jun 2025 keeps the 31/12/2024 rate (4.75 + 8 = 12.75) after
        // 1 Jul: 30 d. 10000 × 12.75 × 30 = 3825000 / 36500 = 104.7945205 → 104.79
        ex("uk rate fixed for the debt", Regime::UkCommercial, GBP, "10000.00", date(2025, 6, 20), date(2025, 7, 20), vec![], "104.79"),
        // Interest starting 1 Jul 2024: 30/06/2024 rate 5.25 + 8 = 13.25; 1 Jul–29 Aug
        // = 31 + 29 = 60 d. 2000 × 13.25 × 60 = 1590000 / 36500 = 43.5616438 → 43.56
        ex("uk 2024 H2", Regime::UkCommercial, GBP, "2000.00", date(2024, 6, 30), date(2024, 8, 29), vec![], "43.56"),
        // 31/12/2019 rate 0.75 + 8 = 8.75; £5,000 paid 31 Jan 2020. 1–31 Jan 31 d × 20000
        // = 620000 × 8.75 = 5425000; 1 Feb–1 Mar 2020 = 29 + 1 = 30 d × 15000 × 8.75
        // = 3937500; 9362500 / 36500 = 256.5068493 → 256.51
        ex("uk with payment", Regime::UkCommercial, GBP, "20000.00", date(2019, 12, 31), date(2020, 3, 1), vec![(date(2020, 1, 31), "5000.00")], "256.51"),
        // ------------------------------------------------------------------- Fixed
        // 12 %, 29 Feb and 1 Mar 2024 = 2 d. 7300 × 12 × 2 = 175200 / 36500 = 4.80
        ex("fixed over leap day", fixed("12"), EUR, "7300.00", date(2024, 2, 28), date(2024, 3, 1), vec![], "4.80"),
        // 0 %: nothing, whatever the delay.
        ex("fixed zero", fixed("0"), EUR, "7300.00", date(2024, 2, 28), date(2025, 3, 1), vec![], "0.00"),
        // Yen have no minor unit: 1000000 × 5 × 73 = 365000000 / 36500 = 10000 → ¥10,000.
        // 1–31 Jan 2025 31 d + 1–28 Feb 28 d + 1–14 Mar 14 d = 73 d.
        ex("fixed yen", fixed("5"), JPY, "1000000", date(2024, 12, 31), date(2025, 3, 14), vec![], "10000"),
        // 7.5 % on €2,400 with a €400 payment on 15 Jan: 1–15 Jan 15 d × 2400 × 7.5
        // = 270000; 16–31 Jan 16 d × 2000 × 7.5 = 240000; 510000 / 36500 = 13.9726027
        // → 13.97
        ex("fixed with payment", fixed("7.5"), EUR, "2400.00", date(2024, 12, 31), date(2025, 1, 31), vec![(date(2025, 1, 15), "400.00")], "13.97"),
    ]
}

fn example(name: &str) -> Example {
    examples()
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no example {name:?}"))
}

#[test]
fn worked_examples_match_to_the_cent() {
    let tables = RateTables::embedded().unwrap();
    let examples = examples();
    assert!(examples.len() >= 30, "{} examples", examples.len());
    for example in &examples {
        let result = late_interest(&example.request(), &tables)
            .unwrap_or_else(|e| panic!("{}: {e}", example.name));
        assert_eq!(
            result.total,
            money(example.expected, example.currency),
            "{}: {:#?}",
            example.name,
            result.periods
        );
        // The periods cover the days with a positive base and add up to the total.
        let sum: Decimal = result.periods.iter().map(|p| p.amount).sum();
        assert!(
            (sum - result.total_unrounded).abs() < dec("0.000000000001"),
            "{}",
            example.name
        );
    }
}

#[test]
fn the_domain_rules_example_in_detail() {
    let tables = RateTables::embedded().unwrap();
    let r = late_interest(&example("fr b2b domain-rules example").request(), &tables).unwrap();
    assert_eq!(r.days, 20);
    assert_eq!(r.periods.len(), 2);
    let (s1, s2) = (&r.periods[0], &r.periods[1]);
    assert_eq!(
        (s1.start, s1.end, s1.days),
        (date(2025, 6, 21), date(2025, 6, 30), 10)
    );
    assert_eq!(
        (s2.start, s2.end, s2.days),
        (date(2025, 7, 1), date(2025, 7, 10), 10)
    );
    assert_eq!(s1.annual_rate, dec("13.15"));
    assert_eq!(s2.annual_rate, dec("12.15"));
    assert_eq!(s1.basis.reference_date, Some(date(2025, 1, 1)));
    assert_eq!(s1.basis.reference_rate, Some(dec("3.15")));
    assert_eq!(s2.basis.reference_rate, Some(dec("2.15")));
    // "10 days at 13.15 % (2025 S1) = 4.32329, 10 days at 12.15 % (2025 S2) = 3.99452"
    assert_eq!(s1.amount.round_dp(5), dec("4.32329"));
    assert_eq!(s2.amount.round_dp(5), dec("3.99452"));
    assert!(r.warnings.is_empty());
}

#[test]
fn the_contractual_floor_is_reported() {
    let tables = RateTables::embedded().unwrap();
    let r = late_interest(
        &example("fr contractual floor per half-year").request(),
        &tables,
    )
    .unwrap();
    assert_eq!(r.periods[0].basis.floor, Some(dec("8.28")));
    assert!(r.periods[0].basis.floor_applied);
    assert_eq!(r.periods[1].basis.floor, Some(dec("7.86")));
    assert!(!r.periods[1].basis.floor_applied);
}

#[test]
fn unknown_rates_are_errors_never_zero() {
    let tables = RateTables::embedded().unwrap();
    let request = |regime, due, as_of| InterestRequest {
        principal: money("1000.00", Currency::EUR),
        due_date: due,
        as_of,
        payments: vec![],
        regime,
    };
    let cases = [
        // The 2026 S2 legal rate is not published.
        request(Regime::france_b2c(), date(2026, 6, 1), date(2026, 11, 23)),
        // And the contractual floor needs it.
        request(contractual("20"), date(2026, 6, 1), date(2026, 7, 2)),
        // The ECB table starts on 10 Sep 2014 and is complete until 1 Jul 2026.
        request(fr_b2b(), date(2014, 5, 31), date(2014, 7, 5)),
        request(fr_b2b(), date(2026, 12, 1), date(2027, 1, 10)),
        // The German base rate for 2027 S1 is not in the table.
        request(Regime::GermanyB2b, date(2026, 12, 1), date(2027, 1, 10)),
        // The Bank Rate on 30 Jun 2026 is unknown.
        InterestRequest {
            principal: money("1000.00", Currency::GBP),
            ..request(Regime::UkCommercial, date(2026, 7, 15), date(2026, 8, 15))
        },
    ];
    for case in cases {
        let result = late_interest(&case, &tables);
        assert!(
            matches!(result, Err(LawError::RateUnknown { .. })),
            "{:?}: {result:?}",
            case.regime
        );
    }
}

#[test]
fn unverified_rates_are_flagged() {
    // France B2B 2026 S2 uses the June 2026 ECB hike, known from the press only:
    // 1–31 Jul 2026 at 2.40 + 10 = 12.40. 1000 × 12.40 × 31 = 384400 / 36500 = 10.5315068
    // → 10.53
    let tables = RateTables::embedded().unwrap();
    let r = late_interest(
        &InterestRequest {
            principal: money("1000.00", Currency::EUR),
            due_date: date(2026, 6, 30),
            as_of: date(2026, 7, 31),
            payments: vec![],
            regime: fr_b2b(),
        },
        &tables,
    )
    .unwrap();
    assert_eq!(r.total, money("10.53", Currency::EUR));
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].series, "ecb-mro");
    assert_eq!(r.warnings[0].from, date(2026, 6, 17));
}

#[test]
fn bad_requests_are_refused() {
    let tables = RateTables::embedded().unwrap();
    let base = InterestRequest {
        principal: money("1000.00", Currency::EUR),
        due_date: date(2025, 1, 31),
        as_of: date(2025, 3, 31),
        payments: vec![],
        regime: fr_b2b(),
    };
    let with = |payments: Vec<PartPayment>| InterestRequest {
        payments,
        ..base.clone()
    };
    let pay = |amount: &str, currency| PartPayment {
        date: date(2025, 2, 10),
        amount: money(amount, currency),
    };
    assert!(late_interest(&with(vec![pay("10.00", Currency::GBP)]), &tables).is_err());
    assert!(late_interest(&with(vec![pay("1000.01", Currency::EUR)]), &tables).is_err());
    assert!(late_interest(&with(vec![pay("0", Currency::EUR)]), &tables).is_err());
    let negative = InterestRequest {
        regime: fixed("-1"),
        ..base.clone()
    };
    assert!(late_interest(&negative, &tables).is_err());
}

#[test]
fn the_breakdown_serialises() {
    fn assert_serialize<T: serde::Serialize + std::fmt::Debug>(_: &T) {}
    let tables = RateTables::embedded().unwrap();
    let r = late_interest(&example("fr b2b domain-rules example").request(), &tables).unwrap();
    assert_serialize(&r);
}
