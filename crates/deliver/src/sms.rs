//! SMS through any HTTP provider: the request is built from the settings' method, URL,
//! headers and body template; the provider's answer is success when its status is the
//! configured one. The stable Message-ID goes in the body (`{{message_id}}`) and in an
//! `Idempotency-Key` header, so a provider that deduplicates never sends twice.
//!
//! Length: a text that fits the GSM 03.38 alphabet is sent as GSM-7 (160 characters, or
//! 153 per part when split; the extension characters `^{}\[~]|€` and form feed count
//! twice); anything else as UCS-2 (70 UTF-16 units, 67 per part). A text longer than
//! the settings' `max_parts` allow is refused before anything is sent.

use crate::http::{self, HttpError, Target};
use app::channels::SmsSettings;
use app::outbox::{Outgoing, Prepared, SendError, Transport};
use async_trait::async_trait;
use std::time::Duration;

/// The GSM 03.38 basic character set (one septet each).
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table (escape + one septet: two each).
const GSM7_EXTENSION: &str = "\u{c}^{}\\[~]|€";

/// How an SMS text is encoded and how many parts it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsLength {
    /// `true`: GSM-7; `false`: UCS-2.
    pub gsm7: bool,
    /// Septets (GSM-7) or UTF-16 units (UCS-2).
    pub units: usize,
    pub parts: usize,
}

/// The encoding and part count of `text`.
pub fn sms_length(text: &str) -> SmsLength {
    let gsm_units: Option<usize> = text
        .chars()
        .map(|c| {
            if GSM7_BASIC.contains(c) {
                Some(1)
            } else if GSM7_EXTENSION.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .sum();
    let (gsm7, units, single, multi) = match gsm_units {
        Some(n) => (true, n, 160, 153),
        None => (false, text.encode_utf16().count(), 70, 67),
    };
    let parts = if units <= single {
        1
    } else {
        units.div_ceil(multi)
    };
    SmsLength { gsm7, units, parts }
}

/// The HTTP SMS transport of one set of settings.
#[derive(Debug, Clone)]
pub struct SmsTransport {
    settings: SmsSettings,
    target: Target,
}

impl SmsTransport {
    pub fn new(settings: SmsSettings) -> Result<Self, String> {
        let target = Target::parse(&settings.url)?;
        Ok(Self { settings, target })
    }

    fn content_type(&self) -> String {
        self.settings
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"))
            .map(|h| h.value.to_lowercase())
            .unwrap_or_default()
    }

    /// The request body for one message.
    pub fn body(&self, m: &Outgoing) -> String {
        let kind = self.content_type();
        let escape = |v: &str| -> String {
            if kind.contains("json") {
                let quoted = serde_json::Value::String(v.to_string()).to_string();
                quoted[1..quoted.len() - 1].to_string()
            } else if kind.contains("x-www-form-urlencoded") {
                form_escape(v)
            } else {
                v.to_string()
            }
        };
        self.settings
            .body
            .replace("{{to}}", &escape(&m.recipient))
            .replace("{{text}}", &escape(&m.content.text))
            .replace("{{message_id}}", &escape(&m.message_id))
            .replace(
                "{{sender}}",
                &escape(self.settings.sender.as_deref().unwrap_or("")),
            )
    }
}

/// `application/x-www-form-urlencoded` escaping.
fn form_escape(v: &str) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A header value with `${VAR}` read from the environment (only a variable named for
/// secrets: `RECOUVRE_SECRET_…`).
fn header_value(name: &str, value: &str) -> Result<String, SendError> {
    match app::channels::header_env(value) {
        Some(var) => app::channels::read_secret(&format!("SMS header {name}"), var)
            .map_err(SendError::transient),
        None => Ok(value.to_string()),
    }
}

/// A header line must not smuggle another one.
fn clean(what: &str, v: &str) -> Result<(), SendError> {
    if v.contains(['\r', '\n']) {
        return Err(SendError::permanent(format!(
            "SMS {what}: a line break is not allowed"
        )));
    }
    Ok(())
}

#[async_trait]
impl Transport for SmsTransport {
    async fn prepare(&self, m: &Outgoing) -> Result<Box<dyn Prepared>, SendError> {
        let length = sms_length(&m.content.text);
        if length.parts > usize::from(self.settings.max_parts) {
            return Err(SendError::permanent(format!(
                "SMS too long: {} {} make {} parts, at most {} allowed / SMS trop long",
                length.units,
                if length.gsm7 {
                    "GSM-7 characters"
                } else {
                    "UCS-2 units"
                },
                length.parts,
                self.settings.max_parts
            )));
        }
        let body = self.body(m);
        let host = if (self.target.tls && self.target.port == 443)
            || (!self.target.tls && self.target.port == 80)
        {
            self.target.host.clone()
        } else {
            format!("{}:{}", self.target.host, self.target.port)
        };
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: recouvre\r\nConnection: close\r\nIdempotency-Key: {}\r\nContent-Length: {}\r\n",
            self.settings.method,
            self.target.path,
            m.message_id,
            body.len()
        );
        clean("message id", &m.message_id)?;
        for h in &self.settings.headers {
            let value = header_value(&h.name, &h.value)?;
            clean(&h.name, &h.name)?;
            clean(&h.name, &value)?;
            head.push_str(&format!("{}: {value}\r\n", h.name));
        }
        head.push_str("\r\n");
        let mut request = head.into_bytes();
        request.extend_from_slice(body.as_bytes());
        Ok(Box::new(PreparedSms {
            target: self.target.clone(),
            request,
            success: self.settings.success_status,
        }))
    }
}

struct PreparedSms {
    target: Target,
    request: Vec<u8>,
    success: u16,
}

#[async_trait]
impl Prepared for PreparedSms {
    async fn send(self: Box<Self>) -> Result<String, SendError> {
        let answer = match http::send(&self.target, &self.request, Duration::from_secs(30)).await {
            Ok(a) => a,
            // Never connected: nothing left.
            Err(HttpError::Connect(e)) => {
                return Err(SendError::transient(format!(
                    "SMS provider unreachable: {e}"
                )));
            }
            // Sent, no (complete) answer: the provider may have accepted it.
            Err(HttpError::Exchange(e)) => {
                return Err(SendError::uncertain(format!("SMS provider: {e}")));
            }
        };
        let status = answer.status;
        let text: String = answer.body.chars().take(200).collect();
        if status == self.success {
            Ok(text)
        } else if (400..500).contains(&status) && status != 429 && status != 408 {
            Err(SendError::permanent(format!(
                "SMS provider refused ({status}): {text}"
            )))
        } else {
            Err(SendError::transient(format!(
                "SMS provider answered {status}: {text}"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header value names a variable: only one meant for secrets is read, at send time,
    /// even when the settings were stored without the check (by hand, by an older
    /// version); any other (here one cargo sets, so it exists) is refused, its value kept.
    #[test]
    fn header_variables_are_only_secrets() {
        assert_eq!(
            header_value("X-Key", "${RECOUVRE_SECRET_TEST_SMS_KEY}").unwrap(),
            env!("RECOUVRE_SECRET_TEST_SMS_KEY")
        );
        let e = header_value("X-Key", "${CARGO_PKG_NAME}").unwrap_err();
        assert!(!e.permanent);
        assert!(
            e.message.starts_with(
                "SMS header X-Key: the environment variable \"CARGO_PKG_NAME\" may not be read"
            ),
            "{e}"
        );
        assert!(!e.message.contains(env!("CARGO_PKG_NAME")), "{e}");
        // Not the whole value: sent as written, nothing read.
        assert_eq!(
            header_value("Authorization", "Bearer ${CARGO_PKG_NAME}").unwrap(),
            "Bearer ${CARGO_PKG_NAME}"
        );
    }

    #[test]
    fn gsm7_and_ucs2_lengths() {
        // 160 plain letters: one GSM-7 part; 161: two parts of at most 153.
        assert_eq!(
            sms_length(&"a".repeat(160)),
            SmsLength {
                gsm7: true,
                units: 160,
                parts: 1
            }
        );
        assert_eq!(sms_length(&"a".repeat(161)).parts, 2);
        // 306 = 2 × 153 still two parts, 307 three.
        assert_eq!(sms_length(&"a".repeat(306)).parts, 2);
        assert_eq!(sms_length(&"a".repeat(307)).parts, 3);
        // "€" is in the extension table: 80 of them are 160 septets, one part.
        assert_eq!(
            sms_length(&"€".repeat(80)),
            SmsLength {
                gsm7: true,
                units: 160,
                parts: 1
            }
        );
        // French accents é, è, à are GSM-7; "ê" is not: the whole text becomes UCS-2.
        assert!(sms_length("Réglé à temps, merci").gsm7);
        let ucs2 = format!("ê{}", "a".repeat(69));
        assert_eq!(
            sms_length(&ucs2),
            SmsLength {
                gsm7: false,
                units: 70,
                parts: 1
            }
        );
        // 71 UCS-2 units: two parts of at most 67.
        assert_eq!(sms_length(&format!("ê{}", "a".repeat(70))).parts, 2);
    }

    #[test]
    fn form_escaping() {
        assert_eq!(form_escape("a b&c=é"), "a+b%26c%3D%C3%A9");
    }
}
