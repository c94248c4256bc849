//! A minimal HTTP/1.1 client for SMS providers: one request per connection
//! (`Connection: close`), HTTPS through rustls (ring, Mozilla's roots from
//! `webpki-roots`, the same TLS stack as the SMTP transport), the answer read to the end.
//! A full client (reqwest) would bring a second TLS configuration whose crypto-provider
//! feature leaks, by Cargo's feature unification, into every other user of it in the
//! workspace.

use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// A parsed `http(s)://host[:port]/path?query`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub tls: bool,
    pub host: String,
    pub port: u16,
    /// Path and query, `/` at least.
    pub path: String,
}

impl Target {
    pub fn parse(url: &str) -> Result<Self, String> {
        let (tls, rest) = if let Some(r) = url.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = url.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(format!("{url:?}: not an http:// or https:// URL"));
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) if rest.as_bytes()[i] == b'/' => (&rest[..i], rest[i..].to_string()),
            Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
            None => (rest, "/".to_string()),
        };
        if authority.contains('@') {
            return Err(format!(
                "{url:?}: credentials in the URL are not supported: use a header"
            ));
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || p.is_empty() => (
                h,
                p.parse::<u16>()
                    .map_err(|_| format!("{url:?}: {p:?} is not a port"))?,
            ),
            _ => (authority, if tls { 443 } else { 80 }),
        };
        if host.is_empty() {
            return Err(format!("{url:?}: no host"));
        }
        Ok(Target {
            tls,
            host: host.to_string(),
            port,
            path,
        })
    }
}

/// Why a request failed: before anything was sent (`Connect`), or after (`Exchange`:
/// the provider may have acted on it).
#[derive(Debug)]
pub enum HttpError {
    Connect(String),
    Exchange(String),
}

/// The status and body of an answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

fn tls_config() -> Arc<rustls::ClientConfig> {
    static CONFIG: std::sync::OnceLock<Arc<rustls::ClientConfig>> = std::sync::OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map(|b| b.with_root_certificates(roots).with_no_client_auth())
                // The ring provider supports the default versions: this cannot fail; if
                // it ever did, an empty config fails every handshake with its reason.
                .unwrap_or_else(|_| {
                    rustls::ClientConfig::builder()
                        .with_root_certificates(rustls::RootCertStore::empty())
                        .with_no_client_auth()
                });
            Arc::new(config)
        })
        .clone()
}

/// Sends one request and reads the whole answer, within `timeout` for each step.
pub async fn send(target: &Target, request: &[u8], timeout: Duration) -> Result<Answer, HttpError> {
    let tcp = tokio::time::timeout(
        timeout,
        TcpStream::connect((target.host.as_str(), target.port)),
    )
    .await
    .map_err(|_| {
        HttpError::Connect(format!(
            "connection to {}:{} timed out",
            target.host, target.port
        ))
    })?
    .map_err(|e| {
        HttpError::Connect(format!(
            "connection to {}:{}: {e}",
            target.host, target.port
        ))
    })?;
    if target.tls {
        let name = rustls::pki_types::ServerName::try_from(target.host.clone())
            .map_err(|e| HttpError::Connect(format!("{}: {e}", target.host)))?;
        let stream = tokio::time::timeout(
            timeout,
            tokio_rustls::TlsConnector::from(tls_config()).connect(name, tcp),
        )
        .await
        .map_err(|_| HttpError::Connect("TLS handshake timed out".into()))?
        .map_err(|e| HttpError::Connect(format!("TLS with {}: {e}", target.host)))?;
        exchange(stream, request, timeout).await
    } else {
        exchange(tcp, request, timeout).await
    }
}

async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    request: &[u8],
    timeout: Duration,
) -> Result<Answer, HttpError> {
    let io = |e: std::io::Error| HttpError::Exchange(e.to_string());
    tokio::time::timeout(timeout, stream.write_all(request))
        .await
        .map_err(|_| HttpError::Exchange("sending timed out".into()))?
        .map_err(io)?;
    let mut raw = Vec::new();
    tokio::time::timeout(timeout, stream.read_to_end(&mut raw))
        .await
        .map_err(|_| HttpError::Exchange("no answer in time".into()))?
        .map_err(io)?;
    parse_answer(&raw).map_err(HttpError::Exchange)
}

/// The status and (de-chunked) body of a raw HTTP/1.1 answer.
pub fn parse_answer(raw: &[u8]) -> Result<Answer, String> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("an answer without a complete head")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or("an answer without a status line")?;
    let chunked = lines.any(|l| {
        l.split_once(':').is_some_and(|(n, v)| {
            n.trim().eq_ignore_ascii_case("transfer-encoding")
                && v.trim().eq_ignore_ascii_case("chunked")
        })
    });
    let mut body = &raw[end + 4..];
    let text = if chunked {
        let mut out = Vec::new();
        while let Some(i) = body.windows(2).position(|w| w == b"\r\n") {
            let size_text = String::from_utf8_lossy(&body[..i]);
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| format!("bad chunk size {size_text:?}"))?;
            body = &body[i + 2..];
            if size == 0 || body.len() < size {
                break;
            }
            out.extend_from_slice(&body[..size]);
            body = body.get(size + 2..).unwrap_or(&[]);
        }
        String::from_utf8_lossy(&out).to_string()
    } else {
        String::from_utf8_lossy(body).to_string()
    };
    Ok(Answer { status, body: text })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            Target::parse("https://sms.example/v1/send?x=1").unwrap(),
            Target {
                tls: true,
                host: "sms.example".into(),
                port: 443,
                path: "/v1/send?x=1".into()
            }
        );
        assert_eq!(
            Target::parse("http://127.0.0.1:8025").unwrap(),
            Target {
                tls: false,
                host: "127.0.0.1".into(),
                port: 8025,
                path: "/".into()
            }
        );
        assert!(Target::parse("ftp://x").is_err());
        assert!(Target::parse("https://user:pw@x/").is_err());
    }

    #[test]
    fn chunked_answers() {
        let raw = b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"id\r\n6\r\n\":\"a1\"\r\n1\r\n}\r\n0\r\n\r\n";
        let a = parse_answer(raw).unwrap();
        assert_eq!((a.status, a.body.as_str()), (201, "{\"id\":\"a1\"}"));
    }
}
