//! Worklist priority: which case a collector should handle first. The score is the amount
//! one can expect to recover, weighted by how soon something is lost or escalates:
//!
//! ```text
//! score = amount_minor × likelihood‰ / 1000 × urgency‰ / 1000
//! ```
//!
//! All integer arithmetic (intermediates in `i128`, so no overflow), so the same portfolio
//! always sorts the same way. Scores of different currencies are comparable only after a
//! conversion the caller chooses; the engine does not convert.

use crate::money::Money;

/// A debtor's track record with this creditor, counted by the caller from the ledger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaymentHistory {
    /// Past claims that are no longer open (paid, written off, …).
    pub claims_closed: u32,
    /// Of those, the ones paid in full.
    pub claims_paid: u32,
    /// Average days between due date and payment over the paid claims (0 when on time).
    pub average_days_late: u32,
}

/// How likely the debtor is to pay, in per mille (0..=1000).
///
/// The share of past claims paid, smoothed so that a debtor without history counts as an
/// even chance: (paid + 1) / (closed + 2) (Laplace's rule of succession). Habitual lateness
/// lowers it by 4 ‰ of itself per average day late, capped at 100 days (−40 %): a debtor
/// who always pays but 30 days late is less likely to pay *this* month.
pub fn recovery_likelihood_per_mille(history: &PaymentHistory) -> u16 {
    let closed = u64::from(history.claims_closed);
    let paid = u64::from(history.claims_paid).min(closed);
    let share = (paid + 1) * 1000 / (closed + 2);
    let lateness = 1000 - 4 * u64::from(history.average_days_late.min(100));
    u16::try_from(share * lateness / 1000).unwrap_or(1000)
}

/// The weight of urgency, in per mille: ×3 when the deadline is today or passed, ×2 within
/// a week, ×1.5 within a month, ×1 otherwise.
pub const fn urgency_per_mille(urgency_days: i32) -> i64 {
    match urgency_days {
        i32::MIN..=0 => 3000,
        1..=7 => 2000,
        8..=30 => 1500,
        _ => 1000,
    }
}

/// The priority score of a case (higher first).
///
/// - `expected_amount_minor`: what is open and claimable, in minor units (negative counts
///   as zero);
/// - `recovery_likelihood_per_mille`: from [`recovery_likelihood_per_mille`] (capped at
///   1000);
/// - `urgency_days`: days until the next thing that matters — the next escalation step, a
///   promise falling due, a limitation deadline; zero or negative when it is today or
///   passed.
pub fn priority(
    expected_amount_minor: i64,
    recovery_likelihood_per_mille: u16,
    urgency_days: i32,
) -> i64 {
    let amount = i128::from(expected_amount_minor.max(0));
    let likelihood = i128::from(recovery_likelihood_per_mille.min(1000));
    let urgency = i128::from(urgency_per_mille(urgency_days));
    i64::try_from(amount * likelihood * urgency / 1_000_000).unwrap_or(i64::MAX)
}

/// Why a case has its place in the worklist, in the collector's language (`fr`, else
/// English): `1234.50 EUR open, 78% likely to be recovered, deadline in 3 days`.
pub fn priority_reasons(
    amount: Money,
    recovery_likelihood_per_mille: u16,
    urgency_days: i32,
    language: &str,
) -> String {
    let percent = recovery_likelihood_per_mille.min(1000) / 10;
    let days =
        |n: i32, one: &str, many: &str| format!("{n} {}", if n.abs() == 1 { one } else { many });
    if language.eq_ignore_ascii_case("fr") {
        let amount = amount.to_string().replace('.', ",");
        let deadline = match urgency_days {
            0 => "échéance aujourd'hui".to_string(),
            d if d < 0 => format!("échéance dépassée de {}", days(-d, "jour", "jours")),
            d if d <= 30 => format!("échéance dans {}", days(d, "jour", "jours")),
            _ => "pas d'échéance sous 30 jours".to_string(),
        };
        format!("{amount} ouverts, recouvrement probable à {percent}\u{a0}%, {deadline}")
    } else {
        let deadline = match urgency_days {
            0 => "deadline today".to_string(),
            d if d < 0 => format!("deadline passed {} ago", days(-d, "day", "days")),
            d if d <= 30 => format!("deadline in {}", days(d, "day", "days")),
            _ => "no deadline within 30 days".to_string(),
        };
        format!("{amount} open, {percent}% likely to be recovered, {deadline}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency::EUR;

    #[test]
    fn likelihood_from_history() {
        let h = |closed, paid, late| PaymentHistory {
            claims_closed: closed,
            claims_paid: paid,
            average_days_late: late,
        };
        // No history: (0+1)/(0+2) = 500 ‰.
        assert_eq!(
            recovery_likelihood_per_mille(&PaymentHistory::default()),
            500
        );
        // 9 of 10 paid on time: 10 × 1000 / 12 = 833.
        assert_eq!(recovery_likelihood_per_mille(&h(10, 9, 0)), 833);
        // Same, 15 days late on average: 833 × (1000 − 60) / 1000 = 783.02 → 783.
        assert_eq!(recovery_likelihood_per_mille(&h(10, 9, 15)), 783);
        // Nothing paid out of 5, 60 days late: 1000/7 = 142; 142 × 760 / 1000 = 107.92 → 107.
        assert_eq!(recovery_likelihood_per_mille(&h(5, 0, 60)), 107);
        // Lateness is capped at 100 days: 500 × 600 / 1000 = 300 whether 100 or 400 days.
        assert_eq!(recovery_likelihood_per_mille(&h(0, 0, 400)), 300);
        // More paid than closed is read as all paid: 3/4 → 750.
        assert_eq!(recovery_likelihood_per_mille(&h(2, 7, 0)), 750);
    }

    #[test]
    fn scores() {
        // €1,200.00 at 500 ‰, deadline in 3 days (×2): 120000 × 500 × 2000 / 10⁶ = 120000.
        assert_eq!(priority(120_000, 500, 3), 120_000);
        // Same amount, no deadline soon (×1): 60000.
        assert_eq!(priority(120_000, 500, 90), 60_000);
        // Deadline passed (×3), 833 ‰ of €99.99: 9999 × 833 × 3000 / 10⁶ = 24987.501 → 24987.
        assert_eq!(priority(9_999, 833, -4), 24_987);
        // Within a month (×1.5): 10000 × 1000 × 1500 / 10⁶ = 15000.
        assert_eq!(priority(10_000, 1000, 30), 15_000);
        assert_eq!(priority(-500, 900, 0), 0);
        assert_eq!(priority(i64::MAX, 1000, 0), i64::MAX);
    }

    #[test]
    fn reasons_in_both_languages() {
        let amount = Money::from_minor(123_450, EUR);
        assert_eq!(
            priority_reasons(amount, 783, 3, "en"),
            "1234.50 EUR open, 78% likely to be recovered, deadline in 3 days"
        );
        assert_eq!(
            priority_reasons(amount, 783, -1, "fr"),
            "1234,50 EUR ouverts, recouvrement probable à 78\u{a0}%, échéance dépassée de 1 jour"
        );
        assert_eq!(
            priority_reasons(amount, 500, 0, "FR"),
            "1234,50 EUR ouverts, recouvrement probable à 50\u{a0}%, échéance aujourd'hui"
        );
        assert_eq!(
            priority_reasons(amount, 500, 45, "de"),
            "1234.50 EUR open, 50% likely to be recovered, no deadline within 30 days"
        );
    }
}
