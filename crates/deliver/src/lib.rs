//! # recouvre-deliver
//!
//! How messages leave Recouvre: the SMTP transport (lettre over rustls: STARTTLS, TLS, or
//! plain for a local relay; authentication; multipart text and HTML; attachments; the
//! stable Message-ID) and the HTTP SMS transport (any provider: URL, method, headers,
//! body template, success status; GSM-7 / UCS-2 aware length check). Both implement
//! `app::outbox::Transport`, which splits a send in two so that the worker can record the
//! attempt durably just before the message data leaves (see `app::outbox` for the
//! exactly-once guarantee).
//!
//! The message *content* (templates, PDF letters) is another crate's concern (`comms`):
//! keeping the transports here means a change to them does not rebuild the typst stack.

#![cfg_attr(test, allow(clippy::unwrap_used))] // a failed unwrap in a test is a failed test

pub mod http;
pub mod sms;
pub mod smtp;

pub use sms::{SmsTransport, sms_length};
pub use smtp::SmtpTransport;

use app::channels::{SmsSettings, SmtpSettings};
use app::outbox::Transports;

/// The transports configured by `smtp` and `sms` (either may be absent: its channel then
/// waits in the outbox).
pub fn transports(
    smtp: Option<SmtpSettings>,
    sms: Option<SmsSettings>,
) -> Result<Transports, String> {
    Ok(Transports {
        email: smtp.map(|s| Box::new(SmtpTransport::new(s)) as Box<dyn app::outbox::Transport>),
        sms: match sms {
            Some(s) => Some(Box::new(SmsTransport::new(s)?) as Box<dyn app::outbox::Transport>),
            None => None,
        },
    })
}
