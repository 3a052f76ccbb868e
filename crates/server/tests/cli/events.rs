//! Event delivery across a `kill -9` (SPEC §10.36: at least once, `webhook-id` stable): events
//! written while no dispatcher runs wait in the outbox; `sirr serve` is killed with SIGKILL in
//! the middle of delivering them and restarted on the same data; the receiver ends up with every
//! event, and an event it got twice came with the same id and body both times. On SQLite, and
//! on PostgreSQL when SIRR_TEST_DATABASE_URL is set.

use std::collections::BTreeSet;
use std::time::Duration;

use diesel::prelude::*;
use serde_json::json;
use sirr_store::{self as db, schema::deliveries, schema::events};

use crate::crash::{ADMIN, Database, login, ok, organise, post, serve_with};

#[path = "../support/receiver.rs"]
mod support;
use support::{Receiver, SECRET, signature_is_valid};

/// Delivery settings: small batches, two at a time, short leases so the restart redelivers soon.
const QUICK: [(&str, &str); 6] = [
    ("SIRR_EVENTS__POLL_INTERVAL_MS", "50"),
    ("SIRR_EVENTS__BATCH_SIZE", "10"),
    ("SIRR_EVENTS__CONCURRENCY", "2"),
    ("SIRR_EVENTS__TIMEOUT_MS", "1000"),
    ("SIRR_EVENTS__LEASE_S", "2"),
    ("SIRR_EVENTS__RETRY_FIRST_MS", "200"),
];

#[test]
fn no_event_is_lost_when_the_server_is_killed_mid_batch() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::new(dir.path());
    let receiver = Receiver::start();
    receiver.set_delay(30);

    // 1. Events are written with the changes while no process dispatches.
    let quiet = serve_with(dir.path(), &db, &[("SIRR_EVENTS__DISPATCH", "false")]);
    let shoppers = organise(&quiet.url, 25);
    let admin = login(&quiet.url, ADMIN);
    ok(
        post(
            &format!("{}/api/v1/webhooks", quiet.url),
            Some(&admin),
            &[],
            &json!({"url": receiver.url, "events": ["assignment.offered"], "secret": SECRET}),
        ),
        201,
    );
    drop(quiet);
    let made: BTreeSet<String> = shoppers
        .iter()
        .flat_map(|s| s.assignments.iter().cloned())
        .collect();
    assert_eq!(made.len(), 100);
    assert!(receiver.all().is_empty());

    // 2. A dispatching server, killed with SIGKILL while it delivers.
    let first = serve_with(dir.path(), &db, &QUICK);
    receiver.wait_for(Duration::from_secs(60), "the first deliveries", |a| {
        a.len() >= 20
    });
    drop(first); // SIGKILL
    let at_kill = receiver.accepted().len();
    assert!(
        at_kill < 100,
        "the kill came after the batch: {at_kill} delivered already"
    );
    // The dispatcher held claims when it died: a batch was in flight.
    let in_flight: i64 = deliveries::table
        .filter(deliveries::claim.is_not_null())
        .count()
        .get_result(
            &mut db::Manager::new(&db.url, Duration::from_secs(5))
                .open()
                .unwrap(),
        )
        .unwrap();
    assert!(in_flight > 0, "no batch was in flight at the kill");

    // 3. Restarted: everything arrives; a delivery cut by the kill comes again after its lease.
    let _second = serve_with(dir.path(), &db, &QUICK);
    let got = receiver.wait_for(
        Duration::from_secs(90),
        "every event after the restart",
        |a| a.len() == 100,
    );
    let outbox: BTreeSet<String> = events::table
        .filter(events::event_type.eq("assignment.offered"))
        .select(events::id)
        .load::<String>(
            &mut db::Manager::new(&db.url, Duration::from_secs(5))
                .open()
                .unwrap(),
        )
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(got.keys().cloned().collect::<BTreeSet<_>>(), outbox);
    let offered: BTreeSet<String> = got
        .values()
        .map(|r| {
            r[0].json()["data"]["assignment_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(offered, made);
    for (id, requests) in &got {
        assert!(requests.iter().all(|r| r.body == requests[0].body), "{id}");
        assert!(
            requests.iter().all(|r| signature_is_valid(SECRET, r)),
            "{id}"
        );
    }
    let requests = receiver.all().len();
    eprintln!(
        "kill -9 after {at_kill} events with {in_flight} claimed; {requests} requests for 100 events in all"
    );
}
