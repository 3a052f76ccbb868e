//! `sirr serve` as a process: the listening line, the first admin, --demo accounts; and
//! `sirr config show`, `sirr user add`, `sirr user reset-password`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

fn sirr() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sirr"));
    for var in ["SIRR_ADMIN_EMAIL", "SIRR_ADMIN_PASSWORD", "SIRR_CONFIG"] {
        c.env_remove(var);
    }
    c
}

struct Server {
    child: Child,
    url: String,
    lines: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `sirr serve` and reads standard output up to the `listening on` line.
fn serve(args: &[&str], envs: &[(&str, &str)]) -> Server {
    let child = sirr()
        .arg("serve")
        .args(["--bind", "127.0.0.1:0"])
        .args(args)
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Owned by `Server` at once, so the process is killed and reaped whatever happens next.
    let mut server = Server {
        child,
        url: String::new(),
        lines: Vec::new(),
    };
    let mut reader = BufReader::new(server.child.stdout.take().unwrap());
    loop {
        let mut line = String::new();
        let read = reader.read_line(&mut line).unwrap();
        assert!(read > 0, "serve exited: {:?}", server.lines);
        let line = line.trim_end().to_owned();
        if let Some(url) = line.strip_prefix("listening on ") {
            server.url = url.to_owned();
            server.lines.push(line);
            return server;
        }
        server.lines.push(line);
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn login(url: &str, email: &str, password: &str) -> (u16, Value) {
    let mut r = agent()
        .post(format!("{url}/api/v1/auth/login"))
        .send_json(json!({"email": email, "password": password}))
        .unwrap();
    (
        r.status().as_u16(),
        r.body_mut().read_json().unwrap_or(Value::Null),
    )
}

#[test]
fn first_start_prints_a_one_time_admin_password_that_works() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let server = serve(&["--data-dir", data], &[]);
    assert!(server.url.starts_with("http://127.0.0.1:"));
    let password = server
        .lines
        .iter()
        .find_map(|l| l.strip_prefix("one-time password: "))
        .expect("a one-time password is printed")
        .to_owned();
    assert_eq!(login(&server.url, "admin@sirr.local", &password).0, 200);
    assert!(
        dir.path().join("sirr.db").exists(),
        "SQLite lives in --data-dir"
    );
    drop(server);
    // The second start finds the admin and prints no password.
    let again = serve(&["--data-dir", data], &[]);
    assert!(
        again.lines.iter().all(|l| !l.contains("password")),
        "{:?}",
        again.lines
    );
}

#[test]
fn admin_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(
        &["--data-dir", dir.path().to_str().unwrap()],
        &[
            ("SIRR_ADMIN_EMAIL", "root@example.org"),
            ("SIRR_ADMIN_PASSWORD", "a-long-password"),
        ],
    );
    assert!(server.lines.iter().all(|l| !l.contains("one-time")));
    assert_eq!(
        login(&server.url, "root@example.org", "a-long-password").0,
        200
    );
}

#[test]
fn an_admin_named_by_email_alone_is_invited_when_email_is_set_up() {
    // Without e-mail there is no way to reach them: the start is refused, saying what to do.
    let dir = tempfile::tempdir().unwrap();
    let out = sirr()
        .arg("serve")
        .args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("SIRR_ADMIN_EMAIL", "root@example.org")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("SIRR_ADMIN_PASSWORD") && err.contains("[smtp]"),
        "{err}"
    );

    // With e-mail (towards a port nobody listens on, so the letter fails): no password is
    // printed; the start goes on and prints the invitation's link instead, once.
    let closed = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port().to_string()
    };
    let dir = tempfile::tempdir().unwrap();
    let server = serve(
        &["--data-dir", dir.path().to_str().unwrap()],
        &[
            ("SIRR_ADMIN_EMAIL", "Root@Example.org"),
            ("SIRR_SMTP__HOST", "127.0.0.1"),
            ("SIRR_SMTP__PORT", &closed),
            ("SIRR_SMTP__FROM", "sirr <no-reply@example.org>"),
        ],
    );
    assert!(
        server
            .lines
            .iter()
            .all(|l| !l.contains("one-time password")),
        "{:?}",
        server.lines
    );
    let said = |text: &str| server.lines.iter().any(|l| l.contains(text));
    assert!(
        said("created the first admin root@example.org") && said("could not be sent"),
        "{:?}",
        server.lines
    );
    let prefix = format!("{}/#/reset/", server.url);
    let token = server
        .lines
        .iter()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("a line {prefix}…: {:?}", server.lines));
    assert_eq!(
        login(&server.url, "root@example.org", "an admin password").0,
        401
    );
    let mut r = agent()
        .post(format!("{}/api/v1/password-reset/confirm", server.url))
        .send_json(json!({"token": token, "new_password": "an admin password"}))
        .unwrap();
    assert_eq!(
        r.status().as_u16(),
        200,
        "{:?}",
        r.body_mut().read_to_string()
    );
    assert_eq!(
        login(&server.url, "root@example.org", "an admin password").0,
        200
    );
}

#[test]
fn demo_mode_creates_the_demo_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&["--demo", "--data-dir", dir.path().to_str().unwrap()], &[]);
    for account in [
        "admin@demo.sirr",
        "qa@demo.sirr",
        "manager.riyadh@demo.sirr",
        "shopper1@demo.sirr",
    ] {
        assert!(
            server.lines.iter().any(|l| l.trim() == account),
            "{account}: {:?}",
            server.lines
        );
    }
    let (status, tokens) = login(&server.url, "manager.riyadh@demo.sirr", "demo-password");
    assert_eq!(status, 200);
    let token = tokens["access_token"].as_str().unwrap();
    let mut r = agent()
        .get(format!("{}/api/v1/branches", server.url))
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .unwrap();
    let branches: Value = r.body_mut().read_json().unwrap();
    let codes: Vec<&str> = branches
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["code"].as_str().unwrap())
        .collect();
    assert!(!codes.is_empty());
    assert!(codes.iter().all(|c| c.starts_with("RUH-")), "{codes:?}");
    let any_ar = branches[0]["names"]["ar"].as_str().unwrap();
    assert!(
        any_ar.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c)),
        "{any_ar}"
    );
    let branch_manager = format!("manager.{}@demo.sirr", codes[0].to_lowercase());
    assert_eq!(login(&server.url, &branch_manager, "demo-password").0, 200);
}

#[test]
fn config_show_layers_and_masks_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sirr.toml");
    std::fs::write(&file, "[server]\nbind = \"0.0.0.0:9000\"\n[auth]\nsigning_key = \"0123456789abcdef0123456789abcdef\"\n").unwrap();
    let out = sirr()
        .args(["config", "show", "--config", file.to_str().unwrap()])
        .env(
            "SIRR_DATABASE__URL",
            "postgres://sirr:hunter2@db.example/sirr",
        )
        .env("SIRR_LOG__FORMAT", "json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("bind = \"0.0.0.0:9000\""), "{text}");
    assert!(text.contains("format = \"json\""), "{text}");
    assert!(
        text.contains("postgres://sirr:********@db.example/sirr"),
        "{text}"
    );
    assert!(
        !text.contains("hunter2") && !text.contains("0123456789abcdef"),
        "{text}"
    );

    let out = sirr()
        .args(["config", "show"])
        .env("SIRR_SERVER__NO_SUCH", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no_such"));

    // A misspelt setting (one underscore) is refused by name ...
    let out = sirr()
        .args(["config", "show"])
        .env("SIRR_DATABASE_URL", "postgres://db.example/sirr")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("database_url"));

    // ... while variables that are not settings (CI sets these for the test suites) are not.
    let out = sirr()
        .args(["config", "show"])
        .env("SIRR_TEST_SMTP_PYTHON", "/usr/bin/python3")
        .env("SIRR_STUDY_PYTHON", "/usr/bin/python3")
        .env(
            "SIRR_TEST_DATABASE_URL",
            "postgres://postgres@127.0.0.1/test",
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn user_commands_add_and_reset() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = sirr()
        .args([
            "user",
            "add",
            "--email",
            "QA@Example.org",
            "--name",
            "ضمان الجودة",
            "--role",
            "qa",
            "--data-dir",
            data,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let generated = text
        .lines()
        .find_map(|l| l.strip_prefix("one-time password: "))
        .unwrap()
        .to_owned();

    let mut reset = sirr()
        .args([
            "user",
            "reset-password",
            "--email",
            "qa@example.org",
            "--password-stdin",
            "--data-dir",
            data,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    reset
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-brand-new-password\n")
        .unwrap();
    assert!(reset.wait().unwrap().success());

    let server = serve(&["--data-dir", data], &[]);
    assert_eq!(login(&server.url, "qa@example.org", &generated).0, 401);
    assert_eq!(
        login(&server.url, "qa@example.org", "a-brand-new-password").0,
        200
    );

    let out = sirr()
        .args([
            "user",
            "add",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "boss",
            "--data-dir",
            data,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));
}
