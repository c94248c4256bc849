//! The second factor: time-based one-time passwords (TOTP, RFC 6238), the six-digit codes
//! of authenticator apps. HOTP (RFC 4226) over HMAC-SHA-1, 30-second steps from the Unix
//! epoch, the step before and after accepted for clock drift, each step used once (the
//! store's compare-and-set, [`crate::store::Tx::use_totp_step`]). Secrets are 20 random
//! bytes, shown to people in base32 (RFC 4648) as apps expect.

use crate::error::{AppError, AppResult};
use hmac::{KeyInit, Mac};

/// Seconds per step.
pub const STEP: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 without padding.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Reads base32, ignoring spaces, dashes, padding and case (as people copy it).
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !matches!(c, ' ' | '-' | '=')) {
        let value = ALPHABET
            .iter()
            .position(|&a| char::from(a) == c.to_ascii_uppercase())?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A new secret, in base32 (32 characters: 160 bits, RFC 4226's recommended length).
pub fn new_secret() -> AppResult<String> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Invalid(format!("random: {e}")))?;
    Ok(base32(&bytes))
}

/// The HOTP value of `key` at `counter` (RFC 4226 §5.3), `DIGITS` digits.
pub fn hotp(key: &[u8], counter: u64) -> u32 {
    let Ok(mut mac) = hmac::Hmac::<sha1::Sha1>::new_from_slice(key) else {
        // HMAC takes keys of any length: unreachable.
        return u32::MAX;
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let binary = (u32::from(digest[offset] & 0x7f) << 24)
        | (u32::from(digest[offset + 1]) << 16)
        | (u32::from(digest[offset + 2]) << 8)
        | u32::from(digest[offset + 3]);
    binary % 10u32.pow(DIGITS)
}

/// The time step of a Unix instant.
pub fn step_of(unix: i64) -> i64 {
    unix.div_euclid(STEP)
}

/// The step a typed code matches for this secret at `unix` (the step before, the current
/// one or the one after), if any. The caller records the step as used
/// ([`crate::store::Tx::use_totp_step`]) so that a code is accepted once.
pub fn matching_step(secret: &str, code: &str, unix: i64) -> Option<i64> {
    let key = from_base32(secret)?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let typed: u32 = code.parse().ok()?;
    let now = step_of(unix);
    [now - 1, now, now + 1]
        .into_iter()
        .filter(|s| *s >= 0)
        .find(|s| hotp(&key, *s as u64) == typed)
}

/// The `otpauth://` address authenticator apps read (typed in, or from a QR code).
pub fn otpauth_uri(issuer: &str, login: &str, secret: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        enc(issuer),
        enc(login),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B: the SHA-1 key "12345678901234567890" and the 8-digit codes of
    /// its table, of which a 6-digit code is the last six digits (HOTP takes the value
    /// modulo 10^digits).
    #[test]
    fn rfc_6238_test_vectors() {
        let key = b"12345678901234567890";
        for (time, eight_digits) in [
            (59_i64, 94_287_082_u32),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ] {
            assert_eq!(
                hotp(key, step_of(time) as u64),
                eight_digits % 1_000_000,
                "T = {time}"
            );
        }
    }

    /// RFC 4226 appendix D: HOTP of the same key at counters 0 and 9.
    #[test]
    fn rfc_4226_test_vectors() {
        let key = b"12345678901234567890";
        assert_eq!(hotp(key, 0), 755_224);
        assert_eq!(hotp(key, 9), 520_489);
    }

    #[test]
    fn base32_round_trips_and_reads_what_people_paste() {
        // RFC 4648 §10: "foobar" is MZXW6YTBOI (padding dropped).
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(from_base32("mzxw 6ytb-oi======").unwrap(), b"foobar");
        assert_eq!(
            from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap(),
            b"12345678901234567890"
        );
        assert!(from_base32("not base32!").is_none());
        assert_eq!(new_secret().unwrap().len(), 32);
    }

    #[test]
    fn a_code_matches_its_step_and_the_neighbours_only() {
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        // 287082 is the code of step 1 (T = 59): accepted from 30 s before to 89 s after.
        assert_eq!(matching_step(secret, "287082", 59), Some(1));
        assert_eq!(matching_step(secret, "287 082", 30), Some(1));
        assert_eq!(matching_step(secret, "287082", 0), Some(1));
        assert_eq!(matching_step(secret, "287082", 89), Some(1));
        assert_eq!(matching_step(secret, "287082", 90), None);
        assert_eq!(matching_step(secret, "28708", 59), None);
        assert_eq!(matching_step(secret, "abcdef", 59), None);
    }
}
