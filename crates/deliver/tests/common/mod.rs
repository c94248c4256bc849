//! Real servers for the delivery tests: the SMTP server of `scripts/smtp-sink.py`
//! (aiosmtpd, installed by `scripts/test`) and a small HTTP server standing in for an SMS
//! provider.

#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A free loopback port (bound then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The SMTP server, killed when dropped.
pub struct Sink {
    pub port: u16,
    pub log: PathBuf,
    child: Child,
    /// The server's stdout after READY: one `RECEIVED <message-id>` per message.
    pub events: std::sync::mpsc::Receiver<String>,
    _dir: tempfile::TempDir,
}

impl Sink {
    pub fn start(delay_ms: u64) -> Sink {
        Self::start_with(delay_ms, &[])
    }

    /// The server with more options of `scripts/smtp-sink.py` (`--starttls CERT KEY`,
    /// `--tls CERT KEY`, `--auth USER PASSWORD`).
    pub fn start_with(delay_ms: u64, options: &[&std::ffi::OsStr]) -> Sink {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("smtp.jsonl");
        let port = free_port();
        let mut child = Command::new("python3")
            .arg(repo_root().join("scripts/smtp-sink.py"))
            .arg(port.to_string())
            .arg(&log)
            .arg("--delay-ms")
            .arg(delay_ms.to_string())
            .args(options)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/test installs it)");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert_eq!(
            line.trim(),
            "READY",
            "scripts/smtp-sink.py did not start: is aiosmtpd installed? (scripts/test installs it)"
        );
        let (send, events) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for l in out.lines() {
                let Ok(l) = l else { break };
                if send.send(l).is_err() {
                    break;
                }
            }
        });
        Sink {
            port,
            log,
            child,
            events,
            _dir: dir,
        }
    }

    /// Every message stored so far.
    pub fn messages(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request the SMS provider received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An HTTP server answering each request with the next status of `statuses` (the last
/// one repeats), recording what it received.
pub struct Provider {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl Provider {
    pub async fn start(statuses: Vec<u16>) -> Provider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        tokio::spawn(async move {
            let mut n = 0usize;
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    break;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                // Read the head, then the body by Content-Length.
                let (head_end, length) = loop {
                    let k = sock.read(&mut chunk).await.unwrap();
                    if k == 0 {
                        break (buf.len(), 0);
                    }
                    buf.extend_from_slice(&chunk[..k]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..i]).to_string();
                        let length = head
                            .lines()
                            .find_map(|l| {
                                let (n, v) = l.split_once(':')?;
                                n.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        break (i + 4, length);
                    }
                };
                while buf.len() < head_end + length {
                    let k = sock.read(&mut chunk).await.unwrap();
                    if k == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..k]);
                }
                let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                let mut lines = head.lines();
                let first: Vec<String> = lines
                    .next()
                    .unwrap_or("")
                    .split(' ')
                    .map(str::to_string)
                    .collect();
                let headers = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
                    .collect();
                log.lock().unwrap().push(Received {
                    method: first.first().cloned().unwrap_or_default(),
                    path: first.get(1).cloned().unwrap_or_default(),
                    headers,
                    body: String::from_utf8_lossy(&buf[head_end..]).to_string(),
                });
                let status = statuses[n.min(statuses.len() - 1)];
                n += 1;
                let body = format!("{{\"id\":\"sms-{n}\"}}");
                let reply = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(reply.as_bytes()).await;
                let _ = sock.shutdown().await;
            }
        });
        Provider { port, received }
    }
}

/// A certificate authority of the test's own and a certificate it signed for `localhost`,
/// made with the openssl command (installed by `scripts/test` when missing).
pub struct TestCa {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
    _dir: tempfile::TempDir,
}

impl TestCa {
    pub fn new() -> TestCa {
        let dir = tempfile::tempdir().unwrap();
        let p = |name: &str| dir.path().join(name);
        let openssl = |args: &[&std::ffi::OsStr]| {
            let out = Command::new("openssl")
                .args(args)
                .output()
                .expect("the openssl command (scripts/test installs it)");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let os = |s: &str| std::ffi::OsString::from(s);
        std::fs::write(
            p("leaf.ext"),
            "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n\
             keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        let (ca, ca_key, key, csr, cert, ext) = (
            p("ca.pem"),
            p("ca.key"),
            p("server.key"),
            p("server.csr"),
            p("server.pem"),
            p("leaf.ext"),
        );
        let ec = [
            os("-newkey"),
            os("ec"),
            os("-pkeyopt"),
            os("ec_paramgen_curve:prime256v1"),
            os("-nodes"),
        ];
        let mut args = vec![os("req"), os("-x509")];
        args.extend(ec.iter().cloned());
        args.extend([
            os("-keyout"),
            ca_key.clone().into(),
            os("-out"),
            ca.clone().into(),
        ]);
        args.extend([
            os("-days"),
            os("2"),
            os("-subj"),
            os("/CN=Recouvre test CA"),
        ]);
        openssl(&args.iter().map(|a| a.as_os_str()).collect::<Vec<_>>());
        let mut args = vec![os("req")];
        args.extend(ec.iter().cloned());
        args.extend([
            os("-keyout"),
            key.clone().into(),
            os("-out"),
            csr.clone().into(),
        ]);
        args.extend([os("-subj"), os("/CN=localhost")]);
        openssl(&args.iter().map(|a| a.as_os_str()).collect::<Vec<_>>());
        let args = [
            os("x509"),
            os("-req"),
            os("-in"),
            csr.into(),
            os("-CA"),
            ca.clone().into(),
            os("-CAkey"),
            ca_key.into(),
            os("-CAcreateserial"),
            os("-out"),
            cert.clone().into(),
            os("-days"),
            os("2"),
            os("-extfile"),
            ext.into(),
        ];
        openssl(&args.iter().map(|a| a.as_os_str()).collect::<Vec<_>>());
        TestCa {
            ca,
            cert,
            key,
            _dir: dir,
        }
    }
}
