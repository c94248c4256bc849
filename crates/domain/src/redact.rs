//! Masks personal data in a text bound for a log: the logs must never hold an e-mail
//! address, a phone number, an IBAN or a token (GDPR; issue 23). Errors of a delivery or an
//! import may quote them (an SMTP server's "550 <x@y> unknown"): what the log writes goes
//! through [`redact`] first.

/// The text with every word holding an `@` masked as `[e-mail]`, every run of digits,
/// spaces, dots, dashes and a leading `+` that holds 9 digits or more (a phone number, an
/// account, a card) masked as `[number]`, and every word of 16 characters or more mixing
/// letters and digits (an IBAN, a token) masked as `[id]`.
pub fn redact(text: &str) -> String {
    let words: Vec<String> = ungroup_ibans(text)
        .split(' ')
        .map(|w| {
            let core = w.trim_matches(|c: char| !c.is_alphanumeric());
            if core.contains('@') || w.contains('@') {
                "[e-mail]".to_string()
            } else if core.chars().count() >= 16
                && core.chars().any(|c| c.is_ascii_digit())
                && core.chars().any(|c| c.is_alphabetic())
                && core
                    .chars()
                    .all(|c| c.is_alphanumeric() || "-_.~+/=".contains(c))
            {
                "[id]".to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    mask_numbers(&words.join(" "))
}

/// An IBAN printed in groups of four ("FR14 2004 1010 ...") is joined into one word, which
/// [`redact`] then masks.
fn ungroup_ibans(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let head = |w: &str| {
        let b = w.as_bytes();
        b.len() == 4
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2..].iter().all(u8::is_ascii_digit)
    };
    let group = |w: &str| {
        let core = w.trim_end_matches(|c: char| !c.is_alphanumeric());
        (1..=4).contains(&core.len()) && core.chars().all(|c| c.is_ascii_alphanumeric())
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut j = i + 1;
        if head(words[i]) {
            while j < words.len() && group(words[j]) {
                j += 1;
            }
        }
        if j - i >= 4 {
            out.push(words[i..j].concat());
        } else {
            out.push(words[i].to_string());
            j = i + 1;
        }
        i = j;
    }
    out.join(" ")
}

fn mask_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let mut j = i;
            let mut digits = 0;
            while j < chars.len() && (chars[j].is_ascii_digit() || " .-+".contains(chars[j])) {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                }
                j += 1;
            }
            // Give back trailing separators.
            while j > i && !chars[j - 1].is_ascii_digit() {
                j -= 1;
            }
            if digits >= 9 {
                out.push_str("[number]");
            } else {
                out.extend(&chars[i..j]);
            }
            i = j.max(i + 1);
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn masks_emails_phones_ibans_and_tokens() {
        assert_eq!(
            redact("550 <zoe.martin@example.fr> unknown user"),
            "550 [e-mail] unknown user"
        );
        assert_eq!(
            redact("SMS to +33 6 98 76 54 32 refused"),
            "SMS to [number] refused"
        );
        assert_eq!(redact("call 06.98.76.54.32 now"), "call [number] now");
        assert_eq!(redact("from FR1420041010050500013M02606."), "from [id]");
        assert_eq!(
            redact("from FR14 2004 1010 0505 0001 3M02 606"),
            "from [id]"
        );
        assert_eq!(redact("token rcv_4f9a8b7c6d5e4f3a2b1c0d"), "token [id]");
        // Dates, amounts and ids stay readable.
        assert_eq!(
            redact("run of 2026-06-30: 1 234,56 EUR, claim 42"),
            "run of 2026-06-30: 1 234,56 EUR, claim 42"
        );
    }
}
