//! Test parts for event delivery, shared by the API and CLI suites (`#[path]`-included):
//! a webhook receiver on a local port (a real HTTP listener, not a mock inside the server),
//! an independent Standard Webhooks signature check, and the aiosmtpd sink.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// One request the receiver took.
#[derive(Debug, Clone)]
pub struct Received {
    /// `webhook-id`.
    pub id: String,
    /// `webhook-timestamp`.
    pub timestamp: String,
    /// `webhook-signature`.
    pub signature: String,
    /// The body as sent.
    pub body: String,
    /// Whether the receiver answered 2xx (it was up).
    pub accepted: bool,
}

impl Received {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// A webhook receiver on 127.0.0.1: answers 204 while up, 503 while down, after `delay_ms`.
pub struct Receiver {
    pub url: String,
    up: Arc<AtomicBool>,
    delay_ms: Arc<AtomicU64>,
    log: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hooks/sirr", listener.local_addr().unwrap());
        let up = Arc::new(AtomicBool::new(true));
        let delay_ms = Arc::new(AtomicU64::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        {
            let (up, delay_ms, log) = (up.clone(), delay_ms.clone(), log.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming().map_while(Result::ok) {
                    let (up, delay_ms, log) = (up.clone(), delay_ms.clone(), log.clone());
                    std::thread::spawn(move || serve(stream, &up, &delay_ms, &log));
                }
            });
        }
        Self {
            url,
            up,
            delay_ms,
            log,
        }
    }

    /// Answers 503 from now on (`false`) or 204 again (`true`).
    pub fn set_up(&self, up: bool) {
        self.up.store(up, Ordering::SeqCst);
    }

    /// Waits this long before answering each request.
    pub fn set_delay(&self, ms: u64) {
        self.delay_ms.store(ms, Ordering::SeqCst);
    }

    /// Every request so far.
    pub fn all(&self) -> Vec<Received> {
        self.log.lock().unwrap().clone()
    }

    /// Requests answered 2xx, by event id.
    pub fn accepted(&self) -> BTreeMap<String, Vec<Received>> {
        let mut by_id: BTreeMap<String, Vec<Received>> = BTreeMap::new();
        for r in self.all().into_iter().filter(|r| r.accepted) {
            by_id.entry(r.id.clone()).or_default().push(r);
        }
        by_id
    }

    /// Waits until `done` holds for the accepted requests, or panics after `limit`.
    pub fn wait_for(
        &self,
        limit: Duration,
        what: &str,
        done: impl Fn(&BTreeMap<String, Vec<Received>>) -> bool,
    ) -> BTreeMap<String, Vec<Received>> {
        let start = Instant::now();
        loop {
            let accepted = self.accepted();
            if done(&accepted) {
                return accepted;
            }
            assert!(
                start.elapsed() < limit,
                "{what}: not within {limit:?}; {} distinct events accepted, {} requests",
                accepted.len(),
                self.all().len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn serve(stream: TcpStream, up: &AtomicBool, delay_ms: &AtomicU64, log: &Mutex<Vec<Received>>) {
    let mut reader = BufReader::new(stream);
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some((k, v)) = trimmed.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    std::thread::sleep(Duration::from_millis(delay_ms.load(Ordering::SeqCst)));
    let accepted = up.load(Ordering::SeqCst);
    let header = |name: &str| headers.get(name).cloned().unwrap_or_default();
    log.lock().unwrap().push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body: String::from_utf8_lossy(&body).into_owned(),
        accepted,
    });
    let answer = if accepted {
        "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n"
    } else {
        "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 4\r\nconnection: close\r\n\r\ndown"
    };
    let mut stream = reader.into_inner();
    let _ = stream.write_all(answer.as_bytes());
    let _ = stream.flush();
}

/// Checks a request's signature as a receiver would, written from the Standard Webhooks
/// specification (not with the server's code): the key is the base64 after `whsec_`.
pub fn signature_is_valid(secret: &str, r: &Received) -> bool {
    let key = match secret.strip_prefix("whsec_") {
        Some(b64) => STANDARD.decode(b64).unwrap(),
        None => secret.as_bytes().to_vec(),
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", r.id, r.timestamp, r.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    r.signature.split(' ').any(|s| s == expected)
}

/// A test secret in the `whsec_` form (32 random-looking bytes).
pub const SECRET: &str = "whsec_c2lyci10ZXN0LXNlY3JldC0zMi1ieXRlcy1sb25nIQ==";

/// The aiosmtpd sink (`tests/support/smtp_sink.py`): a real SMTP server writing each letter
/// as a JSON line. Python comes from SIRR_TEST_SMTP_PYTHON (`.ci/run` makes a virtualenv with
/// aiosmtpd), else `python3` if it has aiosmtpd. Without either the test is skipped — except
/// under CI=true, where it fails.
pub struct SmtpSink {
    pub port: u16,
    out: std::path::PathBuf,
    child: Child,
    _dir: tempfile::TempDir,
}

impl SmtpSink {
    pub fn start() -> Option<Self> {
        let python = std::env::var("SIRR_TEST_SMTP_PYTHON").unwrap_or_else(|_| "python3".into());
        let has = Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !has {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but {python} cannot import aiosmtpd (set SIRR_TEST_SMTP_PYTHON; .ci/run does)"
            );
            eprintln!("skipped: no aiosmtpd (set SIRR_TEST_SMTP_PYTHON to a python that has it)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("mail.jsonl");
        let script = format!("{}/tests/support/smtp_sink.py", env!("CARGO_MANIFEST_DIR"));
        let mut child = Command::new(&python)
            .arg(script)
            .arg(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let port = first
            .trim()
            .strip_prefix("listening on ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the SMTP sink did not start: {first:?}"));
        Some(Self {
            port,
            out,
            child,
            _dir: dir,
        })
    }

    /// Every letter received so far.
    pub fn letters(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Waits until at least `n` letters arrived (and a moment more for strays), or panics.
    pub fn wait_for(&self, n: usize, limit: Duration) -> Vec<Value> {
        let start = Instant::now();
        while self.letters().len() < n {
            assert!(
                start.elapsed() < limit,
                "{} letters within {limit:?}, expected {n}: {:#?}",
                self.letters().len(),
                self.letters()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(500));
        self.letters()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
