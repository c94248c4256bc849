//! The match index and the search for evidence in a payment: which open items the payer
//! named (RF reference, structured reference, invoice numbers in the text) and which
//! debtors the payer may be (learned IBAN, fuzzy name).
//!
//! Built once per run over all open items: sorted vectors of `(key, item)` pairs searched
//! by binary search (16 to 24 bytes per key, no string per key), the items
//! grouped by debtor and sorted by due date, and a word index over debtor names. Every
//! lookup is logarithmic or bounded: no scan of the portfolio per payment.

use super::normalise::{
    self, DigitRun, digit_runs, digits_value, fnv1a, joins, keys_of_groups, lists_siblings,
    name_similarity, name_words, normalise_iban, normalise_name,
};
use super::score::RefKind;
use super::{IncomingPayment, OpenItem};
use crate::ids::DebtorId;
use std::collections::HashMap;

/// Postings longer than this are not worth following (a name word shared by thousands of
/// debtors, a truncated number matching too many invoices).
const MAX_NAME_POSTING: usize = 300;
const MAX_TRUNCATED_HITS: usize = 20;
/// Debtors compared by name per payment, the most word hits first.
const MAX_NAME_CANDIDATES: usize = 16;
/// Name similarity (per mille) below which a debtor is not considered the payer.
pub(crate) const NAME_FLOOR: u16 = 850;

/// Open items, keyed every way a payer may name them. See the module doc.
#[derive(Debug, Clone)]
pub struct MatchIndex {
    /// Sorted by (debtor, due date, claim id): a debtor's items are one slice, oldest first.
    pub(crate) items: Vec<OpenItem>,
    pub(crate) debtor_slices: HashMap<DebtorId, (u32, u32)>,
    by_digits: Vec<(u64, u32)>,
    by_groups: Vec<(u64, u32)>,
    by_rf: Vec<(u64, u32)>,
    /// (debtor, open amount) → item, for "the amount equals one claim".
    by_amount: Vec<((i64, i64), u32)>,
    names: Vec<(DebtorId, String)>,
    name_of: HashMap<DebtorId, u32>,
    /// Word hash (and 4-letter-prefix hash) → index in `names`.
    name_postings: Vec<(u64, u32)>,
    ibans: HashMap<String, DebtorId>,
    /// A debtor's own RF reference (printed on letters about several of its claims),
    /// compact and upper case → the debtors it was made for (two creditors may give the
    /// same customer reference).
    debtor_refs: HashMap<String, Vec<DebtorId>>,
}

fn sorted<K: Ord + Copy>(mut v: Vec<(K, u32)>) -> Vec<(K, u32)> {
    v.sort_unstable();
    v.dedup();
    v
}

fn postings<K: Ord + Copy>(v: &[(K, u32)], key: K) -> impl Iterator<Item = u32> + '_ {
    let start = v.partition_point(|(k, _)| *k < key);
    v[start..]
        .iter()
        .take_while(move |(k, _)| *k == key)
        .map(|(_, i)| *i)
}

fn word_keys(word: &str) -> [u64; 2] {
    let prefix = word.get(..4).unwrap_or(word);
    [
        fnv1a(word.as_bytes()),
        fnv1a(format!("{prefix}*").as_bytes()),
    ]
}

impl MatchIndex {
    /// Indexes the open items (those with nothing open are dropped), the debtors' names
    /// (normalised here; already-normalised names are unchanged) and the IBANs learned from
    /// earlier confirmed matches.
    pub fn new(
        items: impl IntoIterator<Item = OpenItem>,
        debtors: impl IntoIterator<Item = (DebtorId, String)>,
        known_ibans: impl IntoIterator<Item = (String, DebtorId)>,
    ) -> Self {
        let mut items: Vec<OpenItem> = items.into_iter().filter(|i| i.open_minor > 0).collect();
        items.sort_by(|a, b| {
            (a.debtor_id, a.due_date, a.claim_id).cmp(&(b.debtor_id, b.due_date, b.claim_id))
        });
        let mut debtor_slices = HashMap::new();
        let mut by_digits = Vec::with_capacity(items.len());
        let mut by_groups = Vec::with_capacity(items.len());
        let mut by_rf = Vec::new();
        let mut by_amount = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let Ok(ix) = u32::try_from(i) else { break };
            debtor_slices
                .entry(item.debtor_id)
                .and_modify(|(_, end)| *end = ix + 1)
                .or_insert((ix, ix + 1));
            let keys = normalise::number_keys(&item.number);
            if let Some(d) = keys.digits {
                by_digits.push((d, ix));
            }
            if let Some(g) = keys.groups {
                by_groups.push((g, ix));
            }
            if let Some(rf) = &item.rf_reference {
                by_rf.push((fnv1a(normalise::compact_upper(rf).as_bytes()), ix));
            }
            by_amount.push(((item.debtor_id.0, item.open_minor), ix));
        }
        let mut names = Vec::new();
        let mut name_of = HashMap::new();
        let mut name_postings = Vec::new();
        for (id, name) in debtors {
            let Ok(ix) = u32::try_from(names.len()) else {
                break;
            };
            let normalised = normalise_name(&name);
            for w in name_words(&normalised) {
                for k in word_keys(w) {
                    name_postings.push((k, ix));
                }
            }
            name_of.insert(id, ix);
            names.push((id, normalised));
        }
        let ibans = known_ibans
            .into_iter()
            .map(|(iban, d)| (normalise_iban(&iban), d))
            .collect();
        Self {
            items,
            debtor_slices,
            by_digits: sorted(by_digits),
            by_groups: sorted(by_groups),
            by_rf: sorted(by_rf),
            by_amount: sorted(by_amount),
            names,
            name_of,
            name_postings: sorted(name_postings),
            ibans,
            debtor_refs: HashMap::new(),
        }
    }

    /// Adds the debtors' own RF references (`reference_of`): the reference a letter about
    /// several claims asks the debtor to quote. Asked only of the debtors with something
    /// open, in id order.
    pub fn with_debtor_references(
        mut self,
        reference_of: impl Fn(DebtorId) -> Option<String>,
    ) -> Self {
        let mut open: Vec<DebtorId> = self.debtor_slices.keys().copied().collect();
        open.sort_unstable();
        for debtor in open {
            let Some(reference) = reference_of(debtor) else {
                continue;
            };
            let list = self
                .debtor_refs
                .entry(normalise::compact_upper(&reference))
                .or_default();
            if !list.contains(&debtor) {
                list.push(debtor);
            }
        }
        self
    }

    fn debtors_of_reference(&self, compact: &str) -> &[DebtorId] {
        self.debtor_refs.get(compact).map_or(&[], Vec::as_slice)
    }

    /// How many open items are indexed.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn item(&self, ix: u32) -> &OpenItem {
        &self.items[ix as usize]
    }

    /// The debtor's open items, oldest due date first.
    pub(crate) fn debtor_items(&self, debtor: DebtorId) -> std::ops::Range<u32> {
        self.debtor_slices
            .get(&debtor)
            .map_or(0..0, |&(start, end)| start..end)
    }

    /// Items of `debtor` whose open amount is exactly `minor`.
    pub(crate) fn items_of_amount(
        &self,
        debtor: DebtorId,
        minor: i64,
    ) -> impl Iterator<Item = u32> + '_ {
        postings(&self.by_amount, (debtor.0, minor))
    }

    pub(crate) fn debtor_of_iban(&self, iban: &str) -> Option<DebtorId> {
        self.ibans.get(&normalise_iban(iban)).copied()
    }

    /// The payer name's similarity to the debtor's recorded name, if both are known.
    pub(crate) fn name_similarity_to(&self, debtor: DebtorId, payer: &str) -> Option<u16> {
        let ix = *self.name_of.get(&debtor)?;
        Some(name_similarity(&self.names[ix as usize].1, payer))
    }

    /// Debtors whose name is at least [`NAME_FLOOR`] similar to the (normalised) payer
    /// name, best first. Debtors sharing whole words with the payer are compared first;
    /// only when none is close enough are those sharing a word's first four letters (a typo
    /// further on) compared.
    pub(crate) fn debtors_named(&self, payer: &str) -> Vec<(DebtorId, u16)> {
        for pass in 0..2 {
            let mut hits: HashMap<u32, u32> = HashMap::new();
            for w in name_words(payer) {
                let k = word_keys(w)[pass];
                let start = self.name_postings.partition_point(|(p, _)| *p < k);
                let run = self.name_postings[start..]
                    .iter()
                    .take_while(|(p, _)| *p == k);
                if run.clone().nth(MAX_NAME_POSTING).is_some() {
                    continue; // too common a word to say anything
                }
                for (_, ix) in run {
                    *hits.entry(*ix).or_insert(0) += 1;
                }
            }
            let most = hits.values().copied().max().unwrap_or(0);
            let mut ranked: Vec<(u32, u32)> =
                hits.into_iter().filter(|&(_, n)| n + 1 >= most).collect();
            ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut out: Vec<(DebtorId, u16)> = ranked
                .into_iter()
                .take(MAX_NAME_CANDIDATES)
                .filter_map(|(ix, _)| {
                    let (id, name) = &self.names[ix as usize];
                    if !could_reach_floor(name, payer) {
                        return None;
                    }
                    let s = name_similarity(name, payer);
                    (s >= NAME_FLOOR).then_some((*id, s))
                })
                .collect();
            if !out.is_empty() {
                out.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                return out;
            }
        }
        Vec::new()
    }

    fn number_hits(&self, groups: &[&str], out: &mut Vec<u32>) {
        let keys = keys_of_groups(groups);
        let before = out.len();
        if let Some(d) = keys.digits {
            out.extend(postings(&self.by_digits, d));
        }
        if let Some(g) = keys.groups {
            out.extend(postings(&self.by_groups, g));
        }
        // The two keys often find the same item: keep it once.
        let mut k = before;
        while k < out.len() {
            if out[before..k].contains(&out[k]) {
                out.swap_remove(k);
            } else {
                k += 1;
            }
        }
    }

    /// Items whose digit key starts with `prefix` (a number cut at the end of a line),
    /// up to four digits missing; `None` when there are too many to be a designation.
    fn truncated_hits(&self, prefix: &str) -> Option<Vec<u32>> {
        let p = digits_value(prefix)?;
        let mut out = Vec::new();
        let mut scale: u64 = 1;
        for _ in 0..4 {
            scale = scale.checked_mul(10)?;
            let lo = p.checked_mul(scale)?;
            let hi = lo.checked_add(scale)?;
            let start = self.by_digits.partition_point(|(k, _)| *k < lo);
            for &(_, ix) in self.by_digits[start..].iter().take_while(|(k, _)| *k < hi) {
                out.push(ix);
                if out.len() > MAX_TRUNCATED_HITS {
                    return None;
                }
            }
        }
        Some(out)
    }

    fn rf_hit(&self, compact: &str) -> Option<u32> {
        let key = fnv1a(compact.as_bytes());
        postings(&self.by_rf, key).find(|&ix| {
            self.item(ix)
                .rf_reference
                .as_deref()
                .is_some_and(|r| normalise::compact_upper(r) == compact)
        })
    }
}

/// Whether two names can be [`NAME_FLOOR`] similar: an edit distance is at least the
/// difference of lengths, so names of very different lengths cannot (unless one is the
/// other cut short by the bank). Saves most edit-distance computations.
fn could_reach_floor(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let diff = long.len() - short.len();
    diff * 1000 <= usize::from(1000 - NAME_FLOOR) * long.len() || long.starts_with(short)
}

/// An open item the payer named, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Named {
    pub item: u32,
    pub kind: RefKind,
}

fn push_named(out: &mut Vec<Named>, item: u32, kind: RefKind) {
    match out.iter_mut().find(|n| n.item == item) {
        Some(n) => n.kind = n.kind.max(kind),
        None => out.push(Named { item, kind }),
    }
}

/// What a payment quotes: the open items it names, and the debtors whose own RF
/// reference it gives (a reference that names no claim).
#[derive(Debug, Default)]
pub(crate) struct Quoted {
    pub items: Vec<Named>,
    pub debtors: Vec<DebtorId>,
}

/// Everything the payment quotes, in one reading of its references: RF references
/// (structured field or text, checked with mod 97) name a claim, or else a debtor; a non-RF
/// structured reference is read as an invoice number; so are the numbers in the
/// remittance lines.
pub(crate) fn quoted(index: &MatchIndex, payment: &IncomingPayment) -> Quoted {
    let mut out = Quoted::default();
    let rf = |out: &mut Quoted, compact: &str| match index.rf_hit(compact) {
        Some(ix) => push_named(&mut out.items, ix, RefKind::Rf),
        None => {
            for d in index.debtors_of_reference(compact) {
                if !out.debtors.contains(d) {
                    out.debtors.push(*d);
                }
            }
        }
    };
    if let Some(reference) = &payment.structured_reference {
        let compact = normalise::compact_upper(reference);
        if normalise::is_valid_rf(&compact) {
            rf(&mut out, &compact);
        } else {
            scan_line(index, reference, RefKind::Structured, &mut out.items);
        }
    }
    for line in &payment.remittance {
        for found in rf_in_text(line) {
            rf(&mut out, &found);
        }
        scan_line(index, line, RefKind::Number, &mut out.items);
    }
    out
}

/// RF references written in a text line, possibly in groups of four ("RF18 5390 0754
/// 7034"): the longest valid reference (mod 97) starting at each "RF".
fn rf_in_text(line: &str) -> Vec<String> {
    let upper = line.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = upper[from..].find("RF") {
        let start = from + pos;
        from = start + 2;
        let mut compact = String::new();
        let mut i = start;
        while i < bytes.len() && compact.len() < 25 {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                compact.push(char::from(b));
            } else if b != b' ' || i + 1 >= bytes.len() || bytes[i + 1] == b' ' {
                break;
            }
            i += 1;
        }
        for len in (5..=compact.len()).rev() {
            if normalise::is_valid_rf(&compact[..len]) {
                found.push(compact[..len].to_string());
                break;
            }
        }
    }
    found
}

/// Invoice numbers in one line of text. Runs of digits that only separators split are tried
/// together first (longest window of up to three runs), letters around them are ignored;
/// a short run after a found number and "et", "," or "&" is read as a sibling with the same
/// leading digits ("FA-2025-00123 et 124" → 00124); a run at the very end of the line that
/// matches nothing is tried as a prefix (the bank cut the line).
fn scan_line(index: &MatchIndex, line: &str, kind: RefKind, out: &mut Vec<Named>) {
    let runs = digit_runs(line);
    let mut previous: Option<(Vec<&str>, usize)> = None; // groups of the last hit, its end
    let mut i = 0;
    let mut hits = Vec::new();
    while i < runs.len() {
        let mut last = i;
        while last + 1 < runs.len()
            && last < i + 2
            && joins(&line[runs[last].end..runs[last + 1].start])
        {
            last += 1;
        }
        let mut matched = false;
        for j in (i..=last).rev() {
            let groups: Vec<&str> = runs[i..=j]
                .iter()
                .map(|r: &DigitRun<'_>| r.digits)
                .collect();
            hits.clear();
            index.number_hits(&groups, &mut hits);
            if !hits.is_empty() {
                for &ix in &hits {
                    push_named(out, ix, kind);
                }
                previous = Some((groups, runs[j].end));
                i = j + 1;
                matched = true;
                break;
            }
        }
        if matched {
            continue;
        }
        if let Some((groups, end)) = &previous
            && let Some(tail) = groups.last()
            && runs[i].digits.len() <= tail.len()
            && lists_siblings(&line[*end..runs[i].start])
        {
            let sibling_tail = format!(
                "{}{}",
                &tail[..tail.len() - runs[i].digits.len()],
                runs[i].digits
            );
            let mut sibling: Vec<&str> = groups[..groups.len() - 1].to_vec();
            sibling.push(&sibling_tail);
            hits.clear();
            index.number_hits(&sibling, &mut hits);
            if !hits.is_empty() {
                for &ix in &hits {
                    push_named(out, ix, RefKind::Shorthand);
                }
                let end = runs[i].end;
                if let Some(p) = previous.as_mut() {
                    p.1 = end;
                }
                i += 1;
                continue;
            }
        }
        let at_line_end = line[runs[last].end..].trim().is_empty();
        if at_line_end {
            let digits: String = runs[i..=last].iter().map(|r| r.digits).collect();
            if digits.trim_start_matches('0').len() >= 6
                && let Some(found) = index.truncated_hits(&digits)
            {
                for ix in found {
                    push_named(out, ix, RefKind::Truncated.min(kind));
                }
            }
            break;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency::EUR;
    use jiff::civil::date;

    fn item(id: i64, debtor: i64, number: &str, rf: Option<&str>) -> OpenItem {
        OpenItem {
            claim_id: crate::ids::ClaimId(id),
            debtor_id: DebtorId(debtor),
            number: number.into(),
            rf_reference: rf.map(str::to_string),
            currency: EUR,
            open_minor: 100_00,
            due_date: date(2026, 1, 1),
        }
    }

    fn index() -> MatchIndex {
        MatchIndex::new(
            vec![
                item(1, 1, "FA-2025-00123", None),
                item(2, 1, "FA-2025-00124", None),
                item(3, 1, "FA-2025-00125", Some("RF18539007547034")),
                item(4, 2, "INV000456", None),
                item(5, 2, "2025-123456", None),
            ],
            vec![
                (DebtorId(1), "Dupont SARL".into()),
                (DebtorId(2), "Müller GmbH".into()),
            ],
            vec![("FR76 3000 6000 0112 3456 7890 189".into(), DebtorId(2))],
        )
    }

    fn named(lines: &[&str]) -> Vec<(i64, RefKind)> {
        let idx = index();
        let p = IncomingPayment {
            id: "t".into(),
            amount: crate::money::Money::from_minor(1, EUR),
            value_date: date(2026, 2, 1),
            remittance: lines.iter().map(|s| s.to_string()).collect(),
            structured_reference: None,
            payer_name: None,
            payer_iban: None,
        };
        quoted(&idx, &p)
            .items
            .into_iter()
            .map(|n| (idx.item(n.item).claim_id.0, n.kind))
            .collect()
    }

    #[test]
    fn numbers_with_prefixes_separators_and_zeros() {
        assert_eq!(named(&["Fact. FA-2025-00123"]), vec![(1, RefKind::Number)]);
        assert_eq!(named(&["FACTURE N° 2025/123"]), vec![(1, RefKind::Number)]);
        assert_eq!(named(&["fa202500123"]), vec![(1, RefKind::Number)]);
        assert_eq!(named(&["INV 456 merci"]), vec![(4, RefKind::Number)]);
        assert_eq!(named(&["REF 00000456"]), vec![(4, RefKind::Number)]);
    }

    #[test]
    fn several_numbers_and_shorthand_siblings() {
        assert_eq!(
            named(&["Fact. FA-2025-00123 et 124"]),
            vec![(1, RefKind::Number), (2, RefKind::Shorthand)]
        );
        assert_eq!(
            named(&["FA-2025-00123, 124 & 125"]),
            vec![
                (1, RefKind::Number),
                (2, RefKind::Shorthand),
                (3, RefKind::Shorthand)
            ]
        );
        assert_eq!(
            named(&["FA 2025 00125 INV456"]),
            vec![(3, RefKind::Number), (4, RefKind::Number)]
        );
    }

    #[test]
    fn truncated_number_at_the_end_of_a_line() {
        // "2025-1234" is cut from 2025-123456: prefix 20251234 of 2025123456.
        assert_eq!(
            named(&["VIR SEPA PAIEMENT FACTURE 2025-1234"]),
            vec![(5, RefKind::Truncated)]
        );
        // Not at the end of the line: not a truncation.
        assert!(named(&["FACTURE 2025-1234 MERCI"]).is_empty());
    }

    #[test]
    fn rf_references_in_the_text() {
        assert_eq!(named(&["RF18 5390 0754 7034"]), vec![(3, RefKind::Rf)]);
        assert_eq!(named(&["ref rf18539007547034."]), vec![(3, RefKind::Rf)]);
        // Wrong check digits: not an RF; the digits alone name nothing either.
        assert!(named(&["RF19 5390 0754 7034"]).is_empty());
    }

    #[test]
    fn names_and_ibans() {
        let idx = index();
        assert_eq!(
            idx.debtor_of_iban("fr7630006000011234567890189"),
            Some(DebtorId(2))
        );
        let found = idx.debtors_named(&normalise_name("MULLER"));
        assert_eq!(found, vec![(DebtorId(2), 1000)]);
        assert!(idx.debtors_named(&normalise_name("Zimmermann")).is_empty());
    }
}
