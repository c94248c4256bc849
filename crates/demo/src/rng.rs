//! The generator's only source of chance: SplitMix64, written out here so that a seed gives
//! the same portfolio forever, whatever crate versions the workspace moves to.
//!
//! SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
//! OOPSLA 2014; Vigna's reference `splitmix64.c`) adds a fixed odd constant to a 64-bit
//! state and scrambles the result with two multiply-xorshift rounds. It passes BigCrush, is
//! a handful of instructions per number, and its whole state is one `u64`, so a generator
//! can be derived cheaply for every debtor: each debtor's draws come from their own
//! stream, and adding a field to one debtor never shifts the draws of another.
//!
//! Nothing here is fit for cryptography, and nothing needs to be.

/// The increment of the state: 2^64 divided by the golden ratio, made odd.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function: a bijective scramble of 64 bits.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A SplitMix64 generator. Cheap to create and to clone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator starting from `seed`, exactly as the reference `splitmix64.c` does.
    pub const fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The generator of one independent stream: `index` (a debtor's position, say) within
    /// `stream` (what is being drawn: identities, dates, payments) for a portfolio `seed`.
    /// The three numbers are hashed together, so neighbouring indexes give unrelated
    /// sequences.
    pub const fn derive(seed: u64, stream: u64, index: u64) -> Self {
        let a = mix(seed ^ mix(stream.wrapping_add(GAMMA)));
        Self::new(mix(a.wrapping_add(index.wrapping_mul(GAMMA))))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix(self.state)
    }

    /// A number in `0..n` (0 when `n` is 0), by Lemire's multiply-and-shift: the high half
    /// of a 64×64-bit product. The bias is below n / 2^64, far too small to see in a
    /// portfolio, and there is no rejection loop, so every call consumes exactly one draw.
    pub fn below(&mut self, n: u64) -> u64 {
        let wide = u128::from(self.next_u64()) * u128::from(n);
        // The high half of a 64×64-bit product fits in 64 bits.
        (wide >> 64) as u64
    }

    /// An index into a collection of `len` items (0 when it is empty).
    pub fn index(&mut self, len: usize) -> usize {
        // usize is at most 64 bits on every target Rust supports, and the result is < len.
        self.below(len as u64) as usize
    }

    /// A whole number in `low..=high` (`low` when the range is empty).
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        let span = high.abs_diff(low).saturating_add(1);
        // The draw is at most high - low, so the sum stays within i64.
        low.wrapping_add_unsigned(self.below(span))
    }

    /// [`Rng::between`] for day counts and other small numbers.
    pub fn between_i32(&mut self, low: i32, high: i32) -> i32 {
        let n = self.between(i64::from(low), i64::from(high));
        // The result lies between two i32 values.
        i32::try_from(n).unwrap_or(low)
    }

    /// True with a probability of `per_mille` / 1000.
    pub fn chance(&mut self, per_mille: u32) -> bool {
        self.below(1000) < u64::from(per_mille)
    }

    /// One item of `items`, uniformly. `items` must not be empty.
    pub fn choose<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// One value of a weighted table: `(value, weight)` rows, each value drawn with a
    /// probability of its weight over the sum of the weights. The table must have a
    /// positive total weight.
    pub fn pick<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
        let total: u64 = table.iter().map(|&(_, w)| u64::from(w)).sum();
        let mut r = self.below(total);
        for &(value, weight) in table {
            let w = u64::from(weight);
            if r < w {
                return value;
            }
            r -= w;
        }
        // Only reachable with an empty or all-zero table, which the tables of this crate
        // never are: fall back to the last row rather than fail.
        table[table.len() - 1].0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_splitmix64() {
        // The first five outputs of Vigna's splitmix64.c seeded with 1234567, as published
        // with the Rosetta Code "Pseudo-random numbers/Splitmix64" task.
        let mut rng = Rng::new(1_234_567);
        let expected = [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ];
        for e in expected {
            assert_eq!(rng.next_u64(), e);
        }
    }

    #[test]
    fn below_and_between_stay_in_range() {
        let mut rng = Rng::new(7);
        for n in [1u64, 2, 3, 10, 1000, u64::MAX] {
            for _ in 0..200 {
                assert!(rng.below(n) < n);
            }
        }
        assert_eq!(rng.below(0), 0);
        for _ in 0..500 {
            let x = rng.between(-10, 10);
            assert!((-10..=10).contains(&x));
        }
        assert_eq!(rng.between(5, 5), 5);
        assert_eq!(rng.between(5, 2), 5);
        // The widest range must not overflow.
        let _ = rng.between(i64::MIN, i64::MAX);
    }

    #[test]
    fn every_value_of_a_small_range_comes_up_evenly() {
        let mut rng = Rng::new(42);
        let mut seen = [0u32; 6];
        for _ in 0..60_000 {
            seen[rng.index(6)] += 1;
        }
        // 10,000 expected each; the standard deviation is about 91.
        for s in seen {
            assert!((9_500..=10_500).contains(&s), "{seen:?}");
        }
    }

    #[test]
    fn weighted_tables_follow_their_weights() {
        let mut rng = Rng::new(3);
        let table = [('a', 700), ('b', 200), ('c', 100), ('z', 0)];
        let mut counts = [0u32; 4];
        for _ in 0..100_000 {
            match rng.pick(&table) {
                'a' => counts[0] += 1,
                'b' => counts[1] += 1,
                'c' => counts[2] += 1,
                _ => counts[3] += 1,
            }
        }
        assert!((69_000..=71_000).contains(&counts[0]), "{counts:?}");
        assert!((19_000..=21_000).contains(&counts[1]), "{counts:?}");
        assert!((9_300..=10_700).contains(&counts[2]), "{counts:?}");
        assert_eq!(counts[3], 0, "a zero weight is never drawn");
    }

    #[test]
    fn derived_streams_differ_and_repeat() {
        let a: Vec<u64> = (0..4).map(|_| Rng::derive(1, 2, 3).next_u64()).collect();
        assert!(
            a.windows(2).all(|w| w[0] == w[1]),
            "same inputs, same stream"
        );
        let firsts: Vec<u64> = [(1, 2, 3), (1, 2, 4), (1, 3, 3), (2, 2, 3), (0, 0, 0)]
            .iter()
            .map(|&(s, t, i)| Rng::derive(s, t, i).next_u64())
            .collect();
        for (i, x) in firsts.iter().enumerate() {
            for y in &firsts[i + 1..] {
                assert_ne!(x, y);
            }
        }
    }
}
