//! Invoice amounts on a logarithmic scale, in integers only.
//!
//! Receivables are spread over orders of magnitude: a customer who buys €300 of parts and
//! one who orders a €250,000 machine sit in the same ledger, and the few large invoices
//! weigh most in the open amount. The generator therefore draws a *step* on a log scale —
//! eight steps a decade, step 0 being €10 — and then an amount uniformly inside that step.
//! Each step is the previous one times 10^(1/8) ≈ 1.334, so a spread of ±8 steps is a
//! factor of ten either way, with no floating point anywhere.

use crate::rng::Rng;

/// The eight mantissas of a decade, 1000 × 10^(k/8) rounded: the lower edges of the steps
/// from €10.00 to €74.99, in cents.
const MANTISSAS: [i64; 8] = [1_000, 1_334, 1_778, 2_371, 3_162, 4_217, 5_623, 7_499];

/// The highest step the generator uses: 39 is [€749,900, €1,000,000).
pub const MAX_STEP: i32 = 39;

/// The lower edge of `step`, in minor units (cents): step 0 is €10.00, 8 is €100.00,
/// 16 is €1,000.00, 24 €10,000.00, 32 €100,000.00. Steps below 0 are treated as 0 and
/// above [`MAX_STEP`] + 1 as `MAX_STEP` + 1.
pub fn step_floor(step: i32) -> i64 {
    let s = step.clamp(0, MAX_STEP + 1);
    let mantissa = MANTISSAS[(s % 8) as usize];
    mantissa * 10_i64.pow((s / 8) as u32)
}

/// An amount in cents, uniform within `step` (clamped to `0..=MAX_STEP`).
pub fn amount_in_step(rng: &mut Rng, step: i32) -> i64 {
    let s = step.clamp(0, MAX_STEP);
    let low = step_floor(s);
    let high = step_floor(s + 1);
    rng.between(low, high - 1)
}

/// A bell-shaped offset in `-2·half..=2·half`: the sum of two uniform draws, so amounts
/// cluster around a customer's usual invoice and thin out on both sides.
pub fn spread(rng: &mut Rng, half: i32) -> i32 {
    rng.between_i32(-half, half) + rng.between_i32(-half, half)
}

/// Rounds `minor` to the nearest multiple of `unit` (rent is a round figure), never to 0.
pub fn round_to(minor: i64, unit: i64) -> i64 {
    ((minor + unit / 2) / unit * unit).max(unit)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn steps_are_a_log_scale() {
        assert_eq!(step_floor(0), 1_000); // €10.00
        assert_eq!(step_floor(8), 10_000); // €100.00
        assert_eq!(step_floor(16), 100_000); // €1,000.00
        assert_eq!(step_floor(32), 10_000_000); // €100,000.00
        assert_eq!(step_floor(MAX_STEP + 1), 100_000_000); // €1,000,000.00
        for s in 0..=MAX_STEP {
            let (a, b) = (step_floor(s), step_floor(s + 1));
            // Every step is about 1.334 times the previous one: 1.33 <= b / a <= 1.34.
            assert!(
                b * 100 >= a * 133 && b * 100 <= a * 134,
                "step {s}: {a} -> {b}"
            );
        }
    }

    #[test]
    fn amounts_stay_in_their_step() {
        let mut rng = Rng::new(11);
        for s in -3..=MAX_STEP + 3 {
            for _ in 0..50 {
                let a = amount_in_step(&mut rng, s);
                let c = s.clamp(0, MAX_STEP);
                assert!(a >= step_floor(c) && a < step_floor(c + 1), "{s}: {a}");
            }
        }
    }

    #[test]
    fn spread_is_bounded_and_centred() {
        let mut rng = Rng::new(5);
        let mut sum = 0i64;
        for _ in 0..10_000 {
            let x = spread(&mut rng, 4);
            assert!((-8..=8).contains(&x));
            sum += i64::from(x);
        }
        // Mean 0; the standard deviation of the mean is about 0.033.
        assert!(sum.abs() < 10_000 / 5, "{sum}");
    }

    #[test]
    fn rounding_to_a_unit() {
        assert_eq!(round_to(123_449, 1_000), 123_000);
        assert_eq!(round_to(123_500, 1_000), 124_000);
        assert_eq!(round_to(12, 1_000), 1_000);
    }
}
