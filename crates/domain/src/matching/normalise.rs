//! Normalisers for what a payer writes: company names, invoice numbers, RF references and
//! IBANs. Banks truncate, upper-case and strip accents; payers add "FACT", "N°", spaces and
//! leading zeros, or drop them. Both sides (the open items and the payment) go through the
//! same functions, so that a comparison is between like and like.
//!
//! Everything here is integer-only: similarities are per-mille (0–1000).

/// Legal forms and filler words that say nothing about *which* company pays: "Dupont SARL",
/// "DUPONT S.A.R.L." and "Ets Dupont" are the same payer.
const NOISE_WORDS: &[&str] = &[
    // France
    "sa",
    "sas",
    "sasu",
    "sarl",
    "eurl",
    "sci",
    "snc",
    "scs",
    "sca",
    "scop",
    "selarl",
    "selas",
    "gie",
    "ets",
    "etablissements",
    "ste",
    "societe",
    "cie",
    "compagnie",
    "groupe",
    // Germany, Austria, Switzerland
    "gmbh",
    "ag",
    "kg",
    "ohg",
    "ug",
    "ev",
    "mbh",
    "co",
    "kgaa", // English-speaking
    "ltd",
    "limited",
    "plc",
    "llp",
    "llc",
    "inc",
    "corp",
    "corporation",
    "company",
    // Benelux, Italy, Spain, Nordics
    "bv",
    "nv",
    "bvba",
    "srl",
    "sprl",
    "spa",
    "sl",
    "ab",
    "oy",
    "as", // fillers
    "et",
    "and",
    "the",
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "l",
    "d",
    "und",
    "der",
];

/// FNV-1a, 64 bits: a stable hash for index keys (the std hasher is randomised per process,
/// and a sorted `Vec<(u64, u32)>` is far smaller than a map of strings for a million keys).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Lower-case ASCII letters for the common accented Latin letters; other characters pass
/// through (they are dropped later as punctuation if they are not alphanumeric).
fn fold_char(c: char, out: &mut String) {
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => "i",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'š' | 'ś' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'ł' => "l",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(folded);
}

/// The comparable form of a party name: lower case, accents stripped, punctuation removed,
/// legal forms and filler words dropped, single spaces. `"Établissements DUPONT & Fils,
/// S.A.R.L."` becomes `"dupont fils"`.
pub fn normalise_name(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        fold_char(c, &mut folded);
    }
    // Dots vanish ("s.a.r.l." is "sarl"); every other non-alphanumeric separates words.
    let spaced: String = folded
        .chars()
        .filter(|&c| c != '.')
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = spaced
        .split_whitespace()
        .filter(|w| !NOISE_WORDS.contains(w))
        .collect();
    words.join(" ")
}

/// Similarity of two *normalised* names, per mille: 1000 for identical, from the
/// optimal-string-alignment edit distance (a transposition is one typo), the better of the
/// names as written and with their words sorted ("Martin Paul" / "Paul Martin"). A name that
/// the bank cut short (≥ 12 characters, a prefix of the other) counts as 950.
pub fn name_similarity(a: &str, b: &str) -> u16 {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    if a == b {
        return 1000;
    }
    let direct = edit_similarity(a, b);
    // Word order matters only when the names differ a lot as written.
    let sorted = if direct < 900 && (a.contains(' ') || b.contains(' ')) {
        edit_similarity(&sorted_words(a), &sorted_words(b))
    } else {
        0
    };
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let truncated = if short.len() >= 12 && long.starts_with(short) {
        950
    } else {
        0
    };
    direct.max(sorted).max(truncated)
}

fn sorted_words(s: &str) -> String {
    let mut w: Vec<&str> = s.split_whitespace().collect();
    w.sort_unstable();
    w.join(" ")
}

fn edit_similarity(a: &str, b: &str) -> u16 {
    let longest = a.chars().count().max(b.chars().count());
    if longest == 0 {
        return 1000;
    }
    let distance = strsim::osa_distance(a, b).min(longest);
    // 1000 * (1 - d / n), in integers; n ≥ 1 and d ≤ n so the result is in 0..=1000.
    let per_mille = 1000 - distance * 1000 / longest;
    u16::try_from(per_mille).unwrap_or(0)
}

/// The words of a normalised name worth indexing: those of 3 letters or more.
pub fn name_words(normalised: &str) -> impl Iterator<Item = &str> {
    normalised.split_whitespace().filter(|w| w.len() >= 3)
}

/// Upper-case ASCII letters and digits only: `"fr76 3000 6000 0112"` → `"FR76300060000112"`.
/// The form IBANs and references are compared in.
pub fn compact_upper(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// An IBAN in comparable form (spaces dropped, upper case).
pub fn normalise_iban(iban: &str) -> String {
    compact_upper(iban)
}

/// ISO 7064 mod 97-10 over letters and digits (A = 10 … Z = 35), as RF references and
/// IBANs use it (domain-rules.md §11.5). `None` for a character that is neither.
fn mod97(chars: impl Iterator<Item = char>) -> Option<u32> {
    let mut r: u32 = 0;
    for c in chars {
        let v = c.to_digit(36)?;
        r = if v >= 10 {
            (r * 100 + v) % 97
        } else {
            (r * 10 + v) % 97
        };
    }
    Some(r)
}

/// Whether `compact` (upper case, no spaces) is a well-formed ISO 11649 reference: `RF`, two
/// check digits, 1–21 alphanumerics, and the mod-97 check of §11.5 (first four characters
/// moved to the end, remainder 1).
pub fn is_valid_rf(compact: &str) -> bool {
    let b = compact.as_bytes();
    if !(5..=25).contains(&b.len())
        || !compact.starts_with("RF")
        || !b[2].is_ascii_digit()
        || !b[3].is_ascii_digit()
        || !b.iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let rotated = compact[4..].chars().chain(compact[..4].chars());
    mod97(rotated) == Some(1)
}

/// The RF reference for a creditor reference (`"539007547034"` → `"RF18539007547034"`):
/// used by the ground-truth generator and by tests; `None` if the body is not 1–21
/// alphanumerics.
pub fn rf_from_body(body: &str) -> Option<String> {
    let body = compact_upper(body);
    if body.is_empty() || body.len() > 21 {
        return None;
    }
    let r = mod97(body.chars().chain("RF00".chars()))?;
    Some(format!("RF{:02}{body}", 98 - r))
}

/// The ways an invoice number is looked up. Letters are dropped (payers write "FACT",
/// "FA-", "INV", "N°" or nothing), leading zeros too. Two keys survive:
///
/// - `digits`: every digit of the number, concatenated, leading zeros stripped, as an
///   integer (`"FA-2025-00123"` → `202500123`); for payers who glue the parts together.
/// - `groups`: the hash of the digit groups each without leading zeros (`"2025.123"`); for
///   payers who drop the zeros inside ("FA 2025 123"). Only when there are two groups or
///   more: with one group it says the same as `digits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberKeys {
    pub digits: Option<u64>,
    pub groups: Option<u64>,
}

/// Index keys of an invoice number as the creditor printed it.
pub fn number_keys(number: &str) -> NumberKeys {
    let groups: Vec<&str> = number
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    keys_of_groups(&groups)
}

/// Keys of a sequence of digit groups (see [`NumberKeys`]).
pub fn keys_of_groups(groups: &[&str]) -> NumberKeys {
    let mut all = String::new();
    for g in groups {
        all.push_str(g);
    }
    let digits = digits_value(&all);
    let group_key = (groups.len() >= 2).then(|| {
        let stripped: Vec<&str> = groups.iter().map(|g| strip_zeros(g)).collect();
        fnv1a(stripped.join(".").as_bytes())
    });
    NumberKeys {
        digits,
        groups: group_key,
    }
}

fn strip_zeros(g: &str) -> &str {
    let s = g.trim_start_matches('0');
    if s.is_empty() { "0" } else { s }
}

/// A digit string without its leading zeros as an integer; `None` for zero, for nothing, and
/// beyond 18 significant digits (no invoice number is that long; IBANs and card numbers are
/// not invoice numbers).
pub fn digits_value(digits: &str) -> Option<u64> {
    let s = digits.trim_start_matches('0');
    if s.is_empty() || s.len() > 18 {
        return None;
    }
    s.parse().ok()
}

/// A run of ASCII digits in a line of text, with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigitRun<'a> {
    pub start: usize,
    pub end: usize,
    pub digits: &'a str,
}

/// Every run of ASCII digits in `line`, in order.
pub fn digit_runs(line: &str) -> Vec<DigitRun<'_>> {
    let bytes = line.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push(DigitRun {
                start,
                end: i,
                digits: &line[start..i],
            });
        } else {
            i += 1;
        }
    }
    runs
}

/// Whether two digit runs separated by `gap` are parts of one number ("2025-00123",
/// "2025 00123", "2025/00123"): a gap of at most two separator characters, no letters.
pub fn joins(gap: &str) -> bool {
    !gap.is_empty()
        && gap.len() <= 2
        && gap
            .chars()
            .all(|c| matches!(c, '-' | '/' | '.' | '_' | ' '))
}

/// Whether `gap` is what separates a full number from a shorthand sibling in "FA-2025-00123
/// et 124", "00123, 124", "00123/124 & 125": separators and the words "et", "and", "und".
pub fn lists_siblings(gap: &str) -> bool {
    let lower = gap.to_ascii_lowercase();
    let rest: String = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty() && !matches!(*w, "et" | "and" | "und" | "n" | "no"))
        .collect();
    rest.is_empty()
        && gap.len() <= 8
        && gap.chars().all(|c| {
            c.is_ascii_alphabetic() || matches!(c, ' ' | ',' | '&' | '+' | '/' | '-' | ';' | '°')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_accents_legal_forms_and_punctuation() {
        assert_eq!(
            normalise_name("Établissements DUPONT & Fils, S.A.R.L."),
            "dupont fils"
        );
        assert_eq!(normalise_name("Müller GmbH & Co. KG"), "muller");
        assert_eq!(normalise_name("L'Atelier de la Forêt SAS"), "atelier foret");
        assert_eq!(normalise_name("  ACME   Ltd "), "acme");
    }

    #[test]
    fn similarity_is_per_mille() {
        assert_eq!(name_similarity("dupont fils", "dupont fils"), 1000);
        // one substitution in 11 characters: 1000 - 1000/11 = 910 (integer division)
        assert_eq!(name_similarity("dupont fils", "dupond fils"), 910);
        // swapped words: identical once sorted
        assert_eq!(name_similarity("martin paul", "paul martin"), 1000);
        // truncated by the bank
        assert_eq!(
            name_similarity("boulangerie centrale", "boulangerie centrale du marche"),
            950
        );
        assert!(name_similarity("dupont", "zimmermann") < 500);
        assert_eq!(name_similarity("", "x"), 0);
    }

    #[test]
    fn rf_references_follow_iso_11649() {
        // The examples of domain-rules.md §11.5.
        assert_eq!(
            rf_from_body("539007547034").as_deref(),
            Some("RF18539007547034")
        );
        assert_eq!(rf_from_body("123456789").as_deref(), Some("RF18123456789"));
        assert_eq!(
            rf_from_body("AB2G59X56V543").as_deref(),
            Some("RF19AB2G59X56V543")
        );
        assert_eq!(rf_from_body("7").as_deref(), Some("RF097"));
        assert!(is_valid_rf("RF18539007547034"));
        assert!(!is_valid_rf("RF19539007547034"));
        assert!(!is_valid_rf("RF18"));
    }

    #[test]
    fn invoice_numbers_lose_prefixes_separators_and_zeros() {
        let k = number_keys("FA-2025-00123");
        assert_eq!(k.digits, Some(202_500_123));
        assert_eq!(k.groups, Some(fnv1a(b"2025.123")));
        // Same number written differently: same keys.
        assert_eq!(number_keys("FACT 2025/00123"), k);
        assert_eq!(number_keys("fa2025-00123"), k);
        // Inner zeros dropped: only the group key still matches.
        let dropped = number_keys("2025-123");
        assert_eq!(dropped.groups, k.groups);
        assert_ne!(dropped.digits, k.digits);
        // Leading zeros of a single group.
        assert_eq!(number_keys("INV 000456").digits, Some(456));
        assert_eq!(number_keys("INV 000456").groups, None);
        assert_eq!(number_keys("N° 456"), number_keys("INV 000456"));
        assert_eq!(number_keys("ABC").digits, None);
    }

    #[test]
    fn separators_and_sibling_lists() {
        assert!(joins("-"));
        assert!(joins(" "));
        assert!(!joins(" et "));
        assert!(!joins(""));
        assert!(lists_siblings(" et "));
        assert!(lists_siblings(", "));
        assert!(lists_siblings(" & "));
        assert!(!lists_siblings(" du "));
        assert!(!lists_siblings(" montant "));
    }
}
