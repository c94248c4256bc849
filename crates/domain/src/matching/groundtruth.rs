//! Ground truth for the matcher: a seeded generator of a realistic portfolio and of bank
//! credits against it — noisy remittance texts (typos, missing or changed prefixes, dropped
//! zeros, numbers cut at the end of a line), grouped payments, partial payments and
//! over-payments, RF references, payments that quote nothing but come from a known IBAN or
//! a recognisable name, and credits that have nothing to do with the portfolio (refunds,
//! bank interest) — each with its true answer; and [`evaluate`], which measures the
//! precision and recall of automatic matching against that truth.
//!
//! Deterministic for a seed (a SplitMix64 generator of our own: no `rand`), integer-only,
//! public so that a benchmark in another crate can use it.

use super::normalise::rf_from_body;
use super::{IncomingPayment, MatchResult, OpenItem};
use crate::date::{Date, date_of_day, day_number};
use crate::ids::{ClaimId, DebtorId};
use crate::money::{Currency, Money};

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`0` when `n` is 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    fn index(&mut self, n: usize) -> usize {
        usize::try_from(self.below(n as u64)).unwrap_or(0)
    }

    /// True with probability `per_mille` / 1000.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    fn range(&mut self, lo: i64, hi_inclusive: i64) -> i64 {
        let span = u64::try_from(hi_inclusive - lo + 1).unwrap_or(1);
        lo + i64::try_from(self.below(span)).unwrap_or(0)
    }
}

/// The size of the generated world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub open_items: usize,
    pub payments: usize,
    pub seed: u64,
}

/// The portfolio the payments are matched against.
#[derive(Debug, Clone)]
pub struct Portfolio {
    pub items: Vec<OpenItem>,
    /// Debtor names as recorded (not normalised).
    pub debtors: Vec<(DebtorId, String)>,
    /// IBANs learned from earlier confirmed matches (about 60 % of debtors).
    pub known_ibans: Vec<(String, DebtorId)>,
}

/// What kind of credit a case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scenario {
    /// One invoice, its number written some way, paid exactly.
    Number,
    /// One invoice quoting its RF reference (structured field or text).
    Rf,
    /// Two to four invoices of one debtor in one payment, numbers listed (sometimes "et 124").
    Grouped,
    /// The number cut at the end of the line.
    Truncated,
    /// Part of one invoice, number quoted.
    Partial,
    /// More than one invoice, number quoted: the rest is a credit.
    Overpayment,
    /// No usable text, the payer's IBAN is known, the amount is one invoice.
    KnownIban,
    /// No usable text, unknown IBAN, the payer's name (noisy) and the amount.
    NameOnly,
    /// A typo in the number; the payer's IBAN is the debtor's (known or not).
    Typo,
    /// Nothing to do with the portfolio: refunds, bank interest, strangers.
    Unrelated,
}

/// The true answer for a payment: whose it is and what it settles (`None` for unrelated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truth {
    pub debtor: Option<DebtorId>,
    /// Sorted by claim id.
    pub allocations: Vec<(ClaimId, Money)>,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub payment: IncomingPayment,
    pub truth: Truth,
    pub scenario: Scenario,
}

const ACTIVITIES: &[&str] = &[
    "Boulangerie",
    "Garage",
    "Transports",
    "Menuiserie",
    "Pharmacie",
    "Imprimerie",
    "Plomberie",
    "Électricité",
    "Hôtel",
    "Restaurant",
    "Cabinet",
    "Atelier",
    "Jardinerie",
    "Boucherie",
    "Librairie",
    "Optique",
    "Maçonnerie",
    "Peinture",
    "Informatique",
    "Conseil",
    "Logistique",
    "Bâtiment",
    "Carrosserie",
    "Fromagerie",
    "Pâtisserie",
    "Chauffage",
    "Nettoyage",
    "Sécurité",
    "Architecture",
    "Traiteur",
];
const SYLLABLES: &[&str] = &[
    "ber", "mar", "tin", "lo", "ra", "du", "pon", "che", "val", "ro", "gi", "mé", "nard", "fa",
    "bre", "lu", "cas", "sel", "mo", "ri", "vi", "gné", "dal", "tre", "ka", "zo", "leu", "pe",
    "quet", "son",
];
const FORMS: &[&str] = &[
    "SARL", "SAS", "S.A.S.", "SA", "EURL", "GmbH", "Ltd", "", "", "",
];
const CITIES: &[&str] = &[
    "Lyon", "Nantes", "Lille", "Rennes", "Metz", "Pau", "Nice", "Brest",
];

fn synthetic_surname(rng: &mut Rng) -> String {
    let n = 2 + rng.index(2);
    let mut s = String::new();
    for _ in 0..n {
        {
            let w = *rng.pick(SYLLABLES);
            s.push_str(w);
        }
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => s,
    }
}

fn company_name(rng: &mut Rng) -> String {
    let mut name = format!("{} {}", rng.pick(ACTIVITIES), synthetic_surname(rng));
    if rng.chance(300) {
        name.push(' ');
        {
            let w = *rng.pick(CITIES);
            name.push_str(w);
        }
    }
    let form = rng.pick(FORMS);
    if !form.is_empty() {
        name.push(' ');
        name.push_str(form);
    }
    name
}

fn iban(rng: &mut Rng) -> String {
    let mut s = String::from("FR76");
    for _ in 0..23 {
        s.push(char::from(b'0' + u8::try_from(rng.below(10)).unwrap_or(0)));
    }
    s
}

fn day(d: i32) -> Date {
    // Day numbers here stay within 2024–2027: always a valid date.
    date_of_day(d).unwrap_or_default()
}

/// Generates the portfolio and the payments for `config`. Same seed, same world.
pub fn generate(config: Config) -> (Portfolio, Vec<Case>) {
    let mut rng = Rng::new(config.seed);
    let base = day_number(Date::constant(2025, 1, 1));
    let mut items = Vec::with_capacity(config.open_items);
    let mut debtors = Vec::new();
    let mut debtor_iban = Vec::new();
    let mut debtor_items: Vec<Vec<usize>> = Vec::new();
    let mut known_ibans = Vec::new();
    let mut seq: u64 = 100_000;
    while items.len() < config.open_items {
        let d = DebtorId(i64::try_from(debtors.len()).unwrap_or(0) + 1);
        debtors.push((d, company_name(&mut rng)));
        let account = iban(&mut rng);
        if rng.chance(600) {
            known_ibans.push((account.clone(), d));
        }
        debtor_iban.push(account);
        let style = rng.below(4);
        let year = 2024 + rng.below(2);
        let count = 1 + rng.index(19);
        let mut mine = Vec::with_capacity(count);
        for _ in 0..count {
            if items.len() >= config.open_items {
                break;
            }
            seq += 1;
            let number = match style {
                0 => format!("FA-{year}-{seq:07}"),
                1 => format!("INV{year}{seq:07}"),
                2 => format!("F{seq:08}"),
                _ => format!("{year}/{seq:07}"),
            };
            let rf = rng
                .chance(350)
                .then(|| rf_from_body(&seq.to_string()))
                .flatten();
            let open_minor = if rng.chance(200) {
                rng.range(1, 50) * 100_00
            } else {
                let magnitude = [10_000i64, 100_000, 1_000_000, 5_000_000][rng.index(4)];
                rng.range(50_00, magnitude)
            };
            mine.push(items.len());
            items.push(OpenItem {
                claim_id: ClaimId(i64::try_from(items.len()).unwrap_or(0) + 1),
                debtor_id: d,
                number,
                rf_reference: rf,
                currency: Currency::EUR,
                open_minor,
                due_date: day(base + i32::try_from(rng.below(500)).unwrap_or(0)),
            });
        }
        debtor_items.push(mine);
    }

    let known: std::collections::HashSet<DebtorId> = known_ibans.iter().map(|(_, d)| *d).collect();
    let mut cursor = vec![0usize; debtors.len()];
    let mut cases = Vec::with_capacity(config.payments);
    let mut attempts = 0usize;
    while cases.len() < config.payments && attempts < config.payments * 20 {
        attempts += 1;
        let id = format!("P{}", cases.len() + 1);
        let value_date = day(base + 450 + i32::try_from(rng.below(120)).unwrap_or(0));
        let roll = rng.below(1000);
        let scenario = match roll {
            0..250 => Scenario::Number,
            250..400 => Scenario::Rf,
            400..520 => Scenario::Grouped,
            520..570 => Scenario::Truncated,
            570..650 => Scenario::Partial,
            650..680 => Scenario::Overpayment,
            680..780 => Scenario::KnownIban,
            780..820 => Scenario::NameOnly,
            820..880 => Scenario::Typo,
            _ => Scenario::Unrelated,
        };
        if scenario == Scenario::Unrelated {
            cases.push(unrelated(&mut rng, id, value_date));
            continue;
        }
        let di = rng.index(debtors.len());
        let want = if scenario == Scenario::Grouped {
            2 + rng.index(3)
        } else {
            1
        };
        let list = &debtor_items[di];
        if cursor[di] + want > list.len() {
            continue;
        }
        let picked: Vec<&OpenItem> = list[cursor[di]..cursor[di] + want]
            .iter()
            .map(|&i| &items[i])
            .collect();
        let debtor = debtors[di].0;
        match scenario {
            Scenario::Rf if picked[0].rf_reference.is_none() => continue,
            Scenario::KnownIban if !known.contains(&debtor) => continue,
            Scenario::NameOnly if known.contains(&debtor) => continue,
            _ => {}
        }
        cursor[di] += want;
        let case = related(
            &mut rng,
            scenario,
            id,
            value_date,
            &picked,
            &debtors[di].1,
            &debtor_iban[di],
        );
        cases.push(case);
    }
    (
        Portfolio {
            items,
            debtors,
            known_ibans,
        },
        cases,
    )
}

/// The invoice number as a payer may write it.
fn written_number(rng: &mut Rng, number: &str) -> String {
    let mut n = match rng.below(6) {
        0 => number.replace(['-', '/'], " "),
        1 => number.replace(['-', '/'], ""),
        2 => {
            // drop the zeros after the last separator or the letters
            let cut = number.rfind(['-', '/']).map_or(0, |i| i + 1);
            let (head, tail) = number.split_at(cut);
            let letters = tail.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            let prefix = &tail[..tail.len() - letters.len()];
            format!("{head}{prefix}{}", letters.trim_start_matches('0'))
        }
        3 => number.to_lowercase(),
        _ => number.to_string(),
    };
    if rng.chance(300) {
        // a payer who drops the creditor's prefix letters
        n = n
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .to_string();
    }
    n
}

const LEADS: &[&str] = &[
    "FACTURE ",
    "FACT. ",
    "FACT ",
    "Fact ",
    "N° ",
    "REF ",
    "PAIEMENT FACTURE ",
    "REGLEMENT FAC ",
    "VIR SEPA ",
    "",
];

fn payer_name(rng: &mut Rng, recorded: &str) -> Option<String> {
    if rng.chance(100) {
        return None;
    }
    let mut name: String = super::normalise::normalise_name(recorded).to_uppercase();
    if rng.chance(400) {
        {
            let w = *rng.pick(&[" SARL", " SAS", " SA", ""]);
            name.push_str(w);
        }
    }
    if rng.chance(200) && name.len() > 4 {
        // one substituted letter
        let pos = 1 + rng.index(name.len() - 2);
        if name.is_char_boundary(pos) && name.is_char_boundary(pos + 1) {
            name.replace_range(pos..pos + 1, "X");
        }
    }
    if name.len() > 35 && name.is_char_boundary(35) {
        name.truncate(35);
    }
    Some(name)
}

fn money(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

fn related(
    rng: &mut Rng,
    scenario: Scenario,
    id: String,
    value_date: Date,
    picked: &[&OpenItem],
    name: &str,
    account: &str,
) -> Case {
    let first = picked[0];
    let total: i64 = picked.iter().map(|i| i.open_minor).sum();
    let mut remittance = Vec::new();
    let mut structured = None;
    let mut amount = total;
    let mut allocations: Vec<(ClaimId, Money)> = picked
        .iter()
        .map(|i| (i.claim_id, money(i.open_minor)))
        .collect();
    let mut payer = payer_name(rng, name);
    let mut payer_iban = Some(account.to_string());
    let lead = *rng.pick(LEADS);
    match scenario {
        Scenario::Number | Scenario::Overpayment | Scenario::Partial => {
            let mut line = format!("{lead}{}", written_number(rng, &first.number));
            if rng.chance(300) {
                line.push_str(&format!(" MONTANT {}", money(total).amount_string()));
            }
            remittance.push(line);
            if scenario == Scenario::Partial {
                amount = (total * i64::try_from(30 + rng.below(61)).unwrap_or(50) / 100).max(1);
                allocations = vec![(first.claim_id, money(amount))];
            } else if scenario == Scenario::Overpayment {
                amount = total + rng.range(1, 5_000);
            }
        }
        Scenario::Rf => {
            let rf = first.rf_reference.clone().unwrap_or_default();
            if rng.chance(500) {
                structured = Some(rf);
            } else {
                let grouped: Vec<String> = rf
                    .as_bytes()
                    .chunks(4)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                remittance.push(format!("{lead}{}", grouped.join(" ")));
            }
        }
        Scenario::Grouped => {
            let shorthand = rng.chance(400);
            let mut parts = vec![written_number(rng, &first.number)];
            for item in &picked[1..] {
                if shorthand {
                    let digits: String = item
                        .number
                        .chars()
                        .rev()
                        .take_while(char::is_ascii_digit)
                        .collect::<Vec<char>>()
                        .into_iter()
                        .rev()
                        .collect();
                    parts.push(digits.trim_start_matches('0').to_string());
                } else {
                    parts.push(written_number(rng, &item.number));
                }
            }
            let sep = if shorthand {
                " et "
            } else {
                *rng.pick(&[", ", " + ", " / ", " "])
            };
            remittance.push(format!("{lead}{}", parts.join(sep)));
        }
        Scenario::Truncated => {
            let written = written_number(rng, &first.number);
            let cut = 1 + rng.index(3);
            let kept = &written[..written.len().saturating_sub(cut)];
            let padding = "X".repeat(rng.index(40));
            remittance.push(format!("VIR SEPA {padding} {lead}{kept}"));
        }
        Scenario::KnownIban => {
            if rng.chance(500) {
                remittance.push(
                    rng.pick(&["VIREMENT", "PAIEMENT", "REGLEMENT", ""])
                        .to_string(),
                );
            }
        }
        Scenario::NameOnly => {
            payer_iban = Some(iban(rng));
            if payer.is_none() {
                payer = Some(name.to_uppercase());
            }
        }
        Scenario::Typo => {
            let mut chars: Vec<char> = written_number(rng, &first.number).chars().collect();
            let digit_pos: Vec<usize> = (0..chars.len())
                .filter(|&i| chars[i].is_ascii_digit())
                .collect();
            if digit_pos.len() >= 2 {
                let p = digit_pos[rng.index(digit_pos.len() - 1)];
                if chars[p + 1].is_ascii_digit() && chars[p] != chars[p + 1] {
                    chars.swap(p, p + 1);
                } else {
                    chars[p] = if chars[p] == '9' {
                        '1'
                    } else {
                        char::from(chars[p] as u8 + 1)
                    };
                }
            }
            remittance.push(format!("{lead}{}", chars.into_iter().collect::<String>()));
        }
        Scenario::Unrelated => {}
    }
    allocations.sort_by_key(|a| (a.0, a.1.minor()));
    Case {
        payment: IncomingPayment {
            id,
            amount: money(amount),
            value_date,
            remittance,
            structured_reference: structured,
            payer_name: payer,
            payer_iban,
        },
        truth: Truth {
            debtor: Some(first.debtor_id),
            allocations,
        },
        scenario,
    }
}

fn unrelated(rng: &mut Rng, id: String, value_date: Date) -> Case {
    let (text, payer) = match rng.below(5) {
        0 => (
            "INTERETS CREDITEURS".to_string(),
            Some("BANQUE".to_string()),
        ),
        1 => (
            format!("REMBOURSEMENT AVOIR {}", rng.range(1000, 99_999)),
            Some(company_name(rng).to_uppercase()),
        ),
        2 => (
            format!("REMB TROP PERCU DOSSIER {}", rng.range(10_000, 9_999_999)),
            Some("URSSAF".to_string()),
        ),
        3 => ("VIREMENT INTERNE".to_string(), None),
        _ => (
            format!("SINISTRE {} INDEMNISATION", rng.range(100_000, 999_999)),
            Some("ASSURANCES MUTUELLES".to_string()),
        ),
    };
    Case {
        payment: IncomingPayment {
            id,
            amount: money(rng.range(1_00, 2_000_000)),
            value_date,
            remittance: vec![text],
            structured_reference: None,
            payer_name: payer,
            payer_iban: Some(iban(rng)),
        },
        truth: Truth {
            debtor: None,
            allocations: Vec::new(),
        },
        scenario: Scenario::Unrelated,
    }
}

/// Precision and recall of automatic matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    pub payments: usize,
    /// Payments that belong to the portfolio (the denominator of recall).
    pub with_truth: usize,
    /// Payments applied automatically.
    pub auto_applied: usize,
    /// Of those, applied exactly as the truth says (same debtor, same claims, same amounts).
    pub auto_correct: usize,
    /// Payments sent to review whose true answer is among the suggestions.
    pub review_suggested: usize,
    pub review: usize,
    /// (scenario, auto-applied, auto-correct, count) per scenario.
    pub by_scenario: Vec<(Scenario, usize, usize, usize)>,
}

impl Evaluation {
    /// Auto-applied and correct per million auto-applied (1,000,000 when none applied).
    pub fn precision_ppm(&self) -> u64 {
        ratio_ppm(self.auto_correct, self.auto_applied)
    }

    /// Auto-applied and correct per million payments that belong to the portfolio.
    pub fn recall_ppm(&self) -> u64 {
        ratio_ppm(self.auto_correct, self.with_truth)
    }
}

fn ratio_ppm(num: usize, den: usize) -> u64 {
    if den == 0 {
        return 1_000_000;
    }
    (num as u64) * 1_000_000 / (den as u64)
}

/// A per-million figure as a percentage with two decimals: `999_312` → `"99.93 %"`.
pub fn percent(ppm: u64) -> String {
    format!("{}.{:02} %", ppm / 10_000, (ppm % 10_000) / 100)
}

fn agrees(truth: &Truth, p: &super::Proposal) -> bool {
    let mut got = p.allocations.clone();
    got.sort_by_key(|a| (a.0, a.1.minor()));
    truth.debtor == Some(p.debtor) && got == truth.allocations
}

/// Compares the results (one per case, same order) with the truth at `threshold`.
pub fn evaluate(cases: &[Case], results: &[MatchResult], threshold: u16) -> Evaluation {
    let mut e = Evaluation {
        payments: cases.len(),
        ..Evaluation::default()
    };
    let mut per: std::collections::BTreeMap<Scenario, (usize, usize, usize)> =
        std::collections::BTreeMap::new();
    for (case, result) in cases.iter().zip(results) {
        let slot = per.entry(case.scenario).or_default();
        slot.2 += 1;
        if case.truth.debtor.is_some() {
            e.with_truth += 1;
        }
        match result.auto_apply(threshold) {
            Some(p) => {
                e.auto_applied += 1;
                slot.0 += 1;
                if agrees(&case.truth, p) {
                    e.auto_correct += 1;
                    slot.1 += 1;
                }
            }
            None => {
                e.review += 1;
                if result
                    .best
                    .iter()
                    .chain(&result.alternatives)
                    .any(|p| agrees(&case.truth, p))
                {
                    e.review_suggested += 1;
                }
            }
        }
    }
    e.by_scenario = per.into_iter().map(|(s, (a, c, n))| (s, a, c, n)).collect();
    e
}
