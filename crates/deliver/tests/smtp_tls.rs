//! E-mail over an encrypted, authenticated connection to a real SMTP server (aiosmtpd with
//! a certificate of the test's own authority): STARTTLS and TLS from the first byte, with a
//! login; a server whose certificate no trusted authority signed, and a wrong password,
//! are refused before anything is sent.

#![allow(clippy::unwrap_used)]

mod common;

use app::channels::{Security, SmtpSettings};
use app::outbox::{Composed, Outgoing, Transport};
use common::{Sink, TestCa};
use domain::dunning::Channel;
use recouvre_deliver::smtp::SmtpTransport;
use std::ffi::OsStr;

/// The login the server wants. The password is read from the environment variable the
/// settings name; the test names one cargo sets in every test process (`[env]` of
/// `.cargo/config.toml`), whose value it knows at build time, so that it need not change
/// its own environment.
const USER: &str = "relances";
const PASSWORD_ENV: &str = "RECOUVRE_SECRET_TEST_SMTP_PASSWORD";
const PASSWORD: &str = env!("RECOUVRE_SECRET_TEST_SMTP_PASSWORD");

fn settings(port: u16, security: Security, ca: Option<&TestCa>) -> SmtpSettings {
    SmtpSettings {
        // The certificate is for localhost: the name checked is the one connected to.
        host: "localhost".into(),
        port,
        security,
        user: Some(USER.into()),
        password_env: Some(PASSWORD_ENV.into()),
        from: "Atelier Durand <relances@acme.example>".into(),
        reply_to: None,
        ca_file: ca.map(|c| c.ca.to_str().unwrap().to_string()),
    }
}

fn message(n: i64) -> Outgoing {
    Outgoing {
        outbox_id: n,
        channel: Channel::Email,
        recipient: "compta@client.example".into(),
        message_id: format!("<action-{n}.email@acme.example>"),
        reply_to: None,
        content: Composed {
            subject: "Relance facture F-1".into(),
            text: "Bonjour, la facture F-1 reste due.".into(),
            html: None,
            attachments: Vec::new(),
        },
    }
}

async fn send(settings: SmtpSettings, n: i64) -> Result<String, app::outbox::SendError> {
    let prepared = SmtpTransport::new(settings).prepare(&message(n)).await?;
    prepared.send().await
}

fn sink(mode: &str, ca: &TestCa) -> Sink {
    Sink::start_with(
        0,
        &[
            OsStr::new(mode),
            ca.cert.as_os_str(),
            ca.key.as_os_str(),
            OsStr::new("--auth"),
            OsStr::new(USER),
            OsStr::new(PASSWORD),
        ],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_and_login_against_a_real_server() {
    let ca = TestCa::new();
    let server = sink("--starttls", &ca);

    send(settings(server.port, Security::Starttls, Some(&ca)), 1)
        .await
        .unwrap();
    let stored = server.messages();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["message_id"], "<action-1.email@acme.example>");
    assert_eq!(stored[0]["tls"], true, "{}", stored[0]);
    assert_eq!(stored[0]["auth"], USER);

    // Without our authority the server's certificate is trusted by nobody: refused
    // before any mail command, nothing stored.
    let e = send(settings(server.port, Security::Starttls, None), 2)
        .await
        .unwrap_err();
    assert!(e.message.starts_with("SMTP STARTTLS:"), "{e}");
    assert!(e.message.to_lowercase().contains("certificate"), "{e}");

    // Mail in clear to a server that wants STARTTLS first: refused (5xx), nothing stored.
    let mut plain = settings(server.port, Security::Plain, None);
    plain.user = None;
    plain.password_env = None;
    let e = send(plain, 3).await.unwrap_err();
    assert!(e.permanent, "{e}");

    // A wrong password (another variable's value): refused at the login.
    let mut wrong = settings(server.port, Security::Starttls, Some(&ca));
    wrong.password_env = Some("RECOUVRE_SECRET_TEST_SMS_KEY".into());
    let e = send(wrong, 4).await.unwrap_err();
    assert!(e.message.starts_with("SMTP authentication:"), "{e}");
    assert!(e.permanent, "{e}");

    // Settings stored before names were restricted (or written to the database by hand)
    // naming a variable not meant for secrets: refused at send time, even though the
    // variable exists (cargo sets it), and its value never leaves.
    let mut leak = settings(server.port, Security::Starttls, Some(&ca));
    leak.password_env = Some("CARGO_PKG_NAME".into());
    let e = send(leak, 5).await.unwrap_err();
    assert!(!e.permanent, "a setting to fix, the message waits: {e}");
    assert!(
        e.message.starts_with(
            "SMTP password: the environment variable \"CARGO_PKG_NAME\" may not be read"
        ),
        "{e}"
    );
    assert!(e.message.contains("RECOUVRE_SECRET_"), "{e}");

    assert_eq!(server.messages().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_from_the_first_byte_and_login() {
    let ca = TestCa::new();
    let server = sink("--tls", &ca);
    send(settings(server.port, Security::Tls, Some(&ca)), 1)
        .await
        .unwrap();
    let stored = server.messages();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["tls"], true, "{}", stored[0]);
    assert_eq!(stored[0]["auth"], USER);

    // An authority file that is not there: a setting to fix, so the message waits
    // (transient), naming the file.
    let mut missing = settings(server.port, Security::Tls, Some(&ca));
    missing.ca_file = Some("/nonexistent/ca.pem".into());
    let e = send(missing, 2).await.unwrap_err();
    assert!(!e.permanent, "{e}");
    assert!(e.message.contains("/nonexistent/ca.pem"), "{e}");
    assert_eq!(server.messages().len(), 1);
}
