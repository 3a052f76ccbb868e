//! The crash suite (issue 16): `sirr serve` as a real process, killed with SIGKILL in the middle
//! of a submission storm and restarted on the same data; every submission that was answered 2xx
//! is stored exactly once, and retrying the unanswered ones with their Idempotency-Key stores
//! each once more at most. On SQLite by default; on PostgreSQL when SIRR_TEST_DATABASE_URL is
//! set (a fresh schema, dropped afterwards), where a second test also terminates the server's
//! connections under load: 201 or 503, never 500.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::{Value, json};
use sirr_store::schema::visits;
use sirr_store::{self as db, ids};

pub(crate) const ADMIN: &str = "admin@crash.sirr";
const PASSWORD: &str = "crash-password-1";
const CHECKLIST: &str = "crash-visit";
const SHOPPERS: usize = 4;
const THREADS_PER_SHOPPER: usize = 3;

fn postgres_url() -> Option<String> {
    std::env::var("SIRR_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// The database under test: a SQLite file in the data directory, or a fresh PostgreSQL schema
/// (dropped on drop) with an application name that finds the server's connections.
pub(crate) struct Database {
    pub(crate) url: String,
    pg: Option<(String, String)>,
    app_name: String,
}

impl Database {
    pub(crate) fn new(dir: &std::path::Path) -> Self {
        let app_name = format!("sirr_crash_{}", ids::new_id());
        match postgres_url() {
            None => Self {
                url: dir.join("sirr.db").display().to_string(),
                pg: None,
                app_name,
            },
            Some(base) => {
                let mut conn = PgConnection::establish(&base).unwrap_or_else(|e| {
                    panic!("SIRR_TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}")
                });
                let schema = format!("t_{}", ids::new_id());
                diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                    .execute(&mut conn)
                    .unwrap();
                let sep = if base.contains('?') { '&' } else { '?' };
                let url = format!(
                    "{base}{sep}options=-csearch_path%3D{schema}&application_name={app_name}"
                );
                Self {
                    url,
                    pg: Some((base, schema)),
                    app_name,
                }
            }
        }
    }

    /// Visit ids by assignment, read straight from the database.
    fn visits(&self) -> BTreeMap<String, Vec<String>> {
        let mut conn = db::Manager::new(&self.url, Duration::from_secs(5))
            .open()
            .unwrap();
        let rows: Vec<(String, String)> = visits::table
            .select((visits::assignment_id, visits::id))
            .load(&mut conn)
            .unwrap();
        let mut by_assignment: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (assignment, visit) in rows {
            by_assignment.entry(assignment).or_default().push(visit);
        }
        by_assignment
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.pg
            && let Ok(mut conn) = PgConnection::establish(base)
        {
            let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .execute(&mut conn);
        }
    }
}

/// A running `sirr serve`; killed (SIGKILL) and reaped on drop.
pub(crate) struct Server {
    child: Child,
    pub(crate) url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &std::path::Path, db: &Database) -> Server {
    serve_with(dir, db, &[])
}

/// As [`serve`], with more environment variables (`SIRR_EVENTS__…`).
pub(crate) fn serve_with(dir: &std::path::Path, db: &Database, envs: &[(&str, &str)]) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_sirr"))
        .envs(envs.iter().copied())
        .env_remove("SIRR_CONFIG")
        .env("SIRR_ADMIN_EMAIL", ADMIN)
        .env("SIRR_ADMIN_PASSWORD", PASSWORD)
        .env("SIRR_SERVER__WORKERS", "4")
        .env("SIRR_DATABASE__POOL_SIZE", "8")
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .args(["--database-url", &db.url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server {
        child,
        url: String::new(),
    };
    let mut reader = BufReader::new(server.child.stdout.take().unwrap());
    let mut seen = Vec::new();
    loop {
        let mut line = String::new();
        let read = reader.read_line(&mut line).unwrap();
        assert!(read > 0, "sirr serve exited: {seen:?}");
        if let Some(url) = line.trim_end().strip_prefix("listening on ") {
            server.url = url.to_owned();
            // Keep reading standard output so the server never blocks on a full pipe.
            std::thread::spawn(move || for _ in reader.lines().map_while(Result::ok) {});
            return server;
        }
        seen.push(line);
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// POSTs JSON; `None` when no answer came (connection refused or cut).
pub(crate) fn post(
    url: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: &Value,
) -> Option<(u16, Value)> {
    let mut req = agent().post(url);
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut response = req.send_json(body).ok()?;
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().ok()?;
    Some((
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    ))
}

pub(crate) fn ok(reply: Option<(u16, Value)>, status: u16) -> Value {
    let (got, body) = reply.expect("the server answers");
    assert_eq!(got, status, "{body}");
    body
}

/// Signs in as a client does: a 503 (a pooled connection the database had just ended) is tried
/// again, as its Retry-After invites; anything else but 200 fails the test.
pub(crate) fn login(url: &str, email: &str) -> String {
    for _ in 0..5 {
        let reply = post(
            &format!("{url}/api/v1/auth/login"),
            None,
            &[],
            &json!({"email": email, "password": PASSWORD}),
        );
        if matches!(reply, Some((503, _))) {
            std::thread::sleep(Duration::from_millis(200));
            continue;
        }
        let body = ok(reply, 200);
        return body["access_token"].as_str().unwrap().to_owned();
    }
    panic!("sign-in as {email} answered 503 five times")
}

fn visit() -> Value {
    json!({"answers": {"greeted_30s": "yes", "wait_minutes": 7, "id_checked": "yes",
                       "offered_card": "asked", "card_benefits": 4},
           "comments": {"wait_minutes": "Two counters closed at noon"},
           "checked_in_at": "2026-10-03T14:12:00+03:00",
           "location": {"lat": 24.69, "lon": 46.68}, "duration_s": 1260})
}

/// One shopper's token and assignments.
pub(crate) struct Shopper {
    email: String,
    pub(crate) assignments: Vec<String>,
}

/// The organisation: a published checklist, a branch, shoppers with `per_shopper` open
/// assignments each.
pub(crate) fn organise(url: &str, per_shopper: usize) -> Vec<Shopper> {
    let admin = login(url, ADMIN);
    let path = format!(
        "{}/../../tests/fixtures/checklists/spec-example.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["key"] = json!(CHECKLIST);
    doc["version"] = json!(1);
    ok(
        post(&format!("{url}/api/v1/checklists"), Some(&admin), &[], &doc),
        201,
    );
    ok(
        post(
            &format!("{url}/api/v1/checklists/{CHECKLIST}/versions/1/publish"),
            Some(&admin),
            &[],
            &json!({}),
        ),
        200,
    );
    let region = ok(
        post(
            &format!("{url}/api/v1/regions"),
            Some(&admin),
            &[],
            &json!({"code": "CR", "names": {"en": "Crash", "ar": "تحطم"}}),
        ),
        201,
    );
    let branch = ok(
        post(
            &format!("{url}/api/v1/branches"),
            Some(&admin),
            &[],
            &json!({"code": "CR-1", "region_id": region["id"],
                    "names": {"en": "Crash branch", "ar": "فرع"},
                    "city": {"en": "Riyadh", "ar": "الرياض"},
                    "location": {"lat": 24.69, "lon": 46.68}}),
        ),
        201,
    );
    (0..SHOPPERS)
        .map(|n| {
            let email = format!("shopper{n}@crash.sirr");
            let user = ok(
                post(
                    &format!("{url}/api/v1/users"),
                    Some(&admin),
                    &[],
                    &json!({"email": email, "name": format!("Shopper {n}"),
                            "role": "shopper", "password": PASSWORD}),
                ),
                201,
            );
            let assignments = (0..per_shopper)
                .map(|_| {
                    let a = ok(
                        post(
                            &format!("{url}/api/v1/assignments"),
                            Some(&admin),
                            &[],
                            &json!({"shopper_id": user["id"], "branch_id": branch["id"],
                                    "checklist": {"key": CHECKLIST, "version": 1},
                                    "window_start": "2026-10-01T00:00:00+03:00",
                                    "window_end": "2026-10-08T00:00:00+03:00"}),
                        ),
                        201,
                    );
                    a["id"].as_str().unwrap().to_owned()
                })
                .collect();
            Shopper { email, assignments }
        })
        .collect()
}

/// What the storm heard for each assignment: the visit id of a 2xx answer, or nothing.
type Heard = BTreeMap<String, Option<String>>;

/// Submits every assignment once (Idempotency-Key `crash-<assignment>`), several threads per
/// shopper, and calls `during` from this thread while the storm runs. Answers other than
/// 201 and 503, or no answer at all, count as unacknowledged; `refuse` lists statuses that fail
/// the test at once.
fn storm(
    url: &str,
    shoppers: &[Shopper],
    refuse: &[u16],
    during: impl FnOnce(&AtomicUsize),
) -> Heard {
    let heard = Mutex::new(Heard::new());
    let acked = AtomicUsize::new(0);
    let bad = Mutex::new(Vec::new());
    let tokens: Vec<String> = shoppers.iter().map(|s| login(url, &s.email)).collect();
    std::thread::scope(|scope| {
        for (shopper, token) in shoppers.iter().zip(&tokens) {
            for part in 0..THREADS_PER_SHOPPER {
                let (heard, acked, bad) = (&heard, &acked, &bad);
                scope.spawn(move || {
                    for a in shopper
                        .assignments
                        .iter()
                        .skip(part)
                        .step_by(THREADS_PER_SHOPPER)
                    {
                        let key = format!("crash-{a}");
                        let reply = post(
                            &format!("{url}/api/v1/assignments/{a}/submission"),
                            Some(token),
                            &[("Idempotency-Key", &key)],
                            &visit(),
                        );
                        let id = match &reply {
                            Some((status, body)) if (200..300).contains(status) => {
                                acked.fetch_add(1, Ordering::SeqCst);
                                Some(body["id"].as_str().unwrap().to_owned())
                            }
                            Some((status, body)) if refuse.contains(status) => {
                                bad.lock().unwrap().push(format!("{status} {body}"));
                                None
                            }
                            _ => None,
                        };
                        heard.lock().unwrap().insert(a.clone(), id);
                    }
                });
            }
        }
        during(&acked);
    });
    let bad = bad.into_inner().unwrap();
    assert!(bad.is_empty(), "refused answers during the storm: {bad:?}");
    heard.into_inner().unwrap()
}

/// Every acknowledged submission is stored exactly once, under the id it was acknowledged
/// with; no assignment has two visits.
fn check_stored(db: &Database, heard: &Heard) -> BTreeSet<String> {
    let stored = db.visits();
    let duplicated: Vec<_> = stored.iter().filter(|(_, v)| v.len() > 1).collect();
    assert!(
        duplicated.is_empty(),
        "assignments with several visits: {duplicated:?}"
    );
    for (assignment, id) in heard {
        if let Some(id) = id {
            assert_eq!(
                stored.get(assignment),
                Some(&vec![id.clone()]),
                "acknowledged visit {id} of {assignment} is not stored exactly once"
            );
        }
    }
    stored.keys().cloned().collect()
}

/// kill -9 three times during a storm of 240 submissions from 4 shoppers (12 threads), restart on the
/// same data each time; then retry everything with the same keys.
#[test]
fn kill_9_during_a_submission_storm_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::new(dir.path());
    let mut server = serve(dir.path(), &db);
    let shoppers = organise(&server.url, 60);
    let mut heard = Heard::new();
    let mut kills = Vec::new();
    for round in 0..3 {
        // Each round submits everything not yet acknowledged.
        let pending: Vec<Shopper> = shoppers
            .iter()
            .map(|s| Shopper {
                email: s.email.clone(),
                assignments: s
                    .assignments
                    .iter()
                    .filter(|a| !matches!(heard.get(*a), Some(Some(_))))
                    .cloned()
                    .collect(),
            })
            .collect();
        let total: usize = pending.iter().map(|s| s.assignments.len()).sum();
        let target = total / 3;
        let mut killed_at = 0;
        let url = server.url.clone();
        let round_heard = storm(&url, &pending, &[500], |acked| {
            let start = Instant::now();
            while acked.load(Ordering::SeqCst) < target && start.elapsed() < Duration::from_secs(60)
            {
                std::thread::sleep(Duration::from_millis(2));
            }
            killed_at = acked.load(Ordering::SeqCst);
            server.child.kill().unwrap(); // SIGKILL
            server.child.wait().unwrap();
        });
        let after = round_heard.values().filter(|v| v.is_some()).count();
        kills.push((round, total, killed_at, after));
        assert!(
            after < total,
            "round {round}: the kill came after the storm ({after} of {total} acknowledged)"
        );
        assert!(
            killed_at > 0,
            "round {round}: nothing acknowledged before the kill"
        );
        for (a, id) in round_heard {
            heard.insert(a, id);
        }
        server = serve(dir.path(), &db);
        check_stored(&db, &heard);
    }
    // Retry everything with its key: unacknowledged ones are stored (or replayed if the kill
    // came between commit and answer), acknowledged ones replay their visit.
    let retried = storm(&server.url, &shoppers, &[500, 503], |_| {});
    for (a, id) in &retried {
        assert!(id.is_some(), "retry of {a} was not acknowledged");
        if let Some(Some(first)) = heard.get(a) {
            assert_eq!(Some(first), id.as_ref(), "a replay answered another visit");
        }
    }
    let stored = check_stored(&db, &retried);
    assert_eq!(
        stored.len(),
        SHOPPERS * 60,
        "every assignment has its visit"
    );
    eprintln!("kills (round, submitted, acknowledged at the kill, acknowledged): {kills:?}");
}

/// PostgreSQL only: the server's connections are terminated again and again during a storm of
/// submissions and reads; every answer is 2xx or 503 (never 500), and after retries with the
/// same keys every assignment has exactly one visit.
#[test]
fn terminated_postgresql_connections_under_load_answer_503_never_500() {
    if postgres_url().is_none() {
        eprintln!("SIRR_TEST_DATABASE_URL is not set: the PostgreSQL crash test does not run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = Database::new(dir.path());
    let server = serve(dir.path(), &db);
    let shoppers = organise(&server.url, 50);
    let (base, _) = db.pg.clone().unwrap();
    let stop = AtomicBool::new(false);
    let terminated = AtomicUsize::new(0);
    let reads = Mutex::new(Vec::new());
    // Reads alongside (safe requests: retried once, so mostly 200).
    let admin = login(&server.url, ADMIN);
    let heard = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !stop.load(Ordering::SeqCst) {
                let mut r = agent()
                    .get(format!("{}/api/v1/users", server.url))
                    .header("Authorization", format!("Bearer {admin}"))
                    .call()
                    .unwrap();
                reads.lock().unwrap().push(r.status().as_u16());
                let _ = r.body_mut().read_to_string();
            }
        });
        let heard = storm(&server.url, &shoppers, &[500], |_| {
            let mut conn = PgConnection::establish(&base).unwrap();
            // The server's connections only (by application name): the database may be shared.
            let query = format!(
                "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity \
                 WHERE application_name = '{}' AND pid <> pg_backend_pid()",
                db.app_name
            );
            for _ in 0..8 {
                std::thread::sleep(Duration::from_millis(60));
                let ended: Vec<Terminated> = diesel::sql_query(&query).load(&mut conn).unwrap();
                terminated.fetch_add(ended.iter().filter(|t| t.done).count(), Ordering::SeqCst);
            }
        });
        stop.store(true, Ordering::SeqCst);
        heard
    });
    let reads = reads.into_inner().unwrap();
    assert!(
        terminated.load(Ordering::SeqCst) > 0,
        "no connection of the server was terminated"
    );
    assert!(
        reads.iter().all(|s| matches!(s, 200 | 503)),
        "reads answered {reads:?}"
    );
    check_stored(&db, &heard);
    // After the outage a client sends again what was not acknowledged (the same idempotency
    // keys): a pooled connection the database ended answers one 503 when it is next used, by
    // design (no check-out probe, see `db::connect`), and the next attempt succeeds.
    let mut retried = storm(&server.url, &shoppers, &[500], |_| {});
    for _ in 0..3 {
        if retried.values().all(Option::is_some) {
            break;
        }
        retried = storm(&server.url, &shoppers, &[500], |_| {});
    }
    assert!(retried.values().all(Option::is_some));
    let stored = check_stored(&db, &retried);
    assert_eq!(stored.len(), SHOPPERS * 50);
    let unacked = heard.values().filter(|v| v.is_none()).count();
    eprintln!(
        "connections terminated: {}, submissions not acknowledged under terminations: {unacked}, reads: {} ({} × 503)",
        terminated.load(Ordering::SeqCst),
        reads.len(),
        reads.iter().filter(|s| **s == 503).count()
    );
}

#[derive(diesel::QueryableByName)]
struct Terminated {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    done: bool,
}
