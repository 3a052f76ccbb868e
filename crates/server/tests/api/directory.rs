//! The in-memory organisation directory: a process reads its own writes at once, and sees
//! writes made elsewhere (another process, a shell) once `directory_max_age_ms` has passed.

use std::time::Duration;

use diesel::prelude::*;
use serde_json::{Value, json};
use sirr_store as db;

use crate::helpers::{spawn_app, spawn_sharing};

fn codes(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|b| b["code"].as_str().unwrap())
        .collect()
}

#[test]
fn processes_sharing_a_database_agree_within_the_max_age() {
    let a = spawn_app();
    let admin = a.admin();
    let always = spawn_sharing(&a, |s| {
        s.server.directory_max_age_ms = std::time::Duration::ZERO
    });
    let soon = spawn_sharing(&a, |s| {
        s.server.directory_max_age_ms = std::time::Duration::from_millis(300)
    });
    let never = spawn_sharing(&a, |s| {
        s.server.directory_max_age_ms = std::time::Duration::from_secs(3_600)
    });
    // One signing key in the database: a token from one process works on the others.
    for app in [&always, &soon, &never] {
        assert_eq!(app.get("/api/v1/branches", Some(&admin)), (200, json!([])));
    }

    let region = a.region(&admin, "RUH", "Riyadh", "الرياض");
    a.branch(&admin, "RUH-017", &region);
    // The writer reads its own write at once; so does a process that always asks.
    assert_eq!(
        codes(&a.get("/api/v1/branches", Some(&admin)).1),
        ["RUH-017"]
    );
    assert_eq!(
        codes(&always.get("/api/v1/branches", Some(&admin)).1),
        ["RUH-017"]
    );
    assert_eq!(
        codes(&always.get("/api/v1/regions", Some(&admin)).1),
        ["RUH"]
    );
    // Past its max age a process asks again and sees it.
    std::thread::sleep(Duration::from_millis(350));
    assert_eq!(
        codes(&soon.get("/api/v1/branches", Some(&admin)).1),
        ["RUH-017"]
    );
    // Within it, the list comes from memory: the documented bound, not a database read.
    assert_eq!(
        never.get("/api/v1/branches", Some(&admin)),
        (200, json!([]))
    );

    // A write outside any server (here: plain SQL, as a shell would) moves the counter too.
    let mut conn = db::Manager::new(&a.database_url, Duration::from_secs(5))
        .open()
        .unwrap();
    diesel::sql_query("UPDATE branches SET code = 'RUH-018'")
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        codes(&always.get("/api/v1/branches", Some(&admin)).1),
        ["RUH-018"]
    );
    // The team list follows as well.
    let (status, team) = always.post(
        "/api/v1/teams",
        Some(&admin),
        &json!({"branch_id": a.get("/api/v1/branches", Some(&admin)).1[0]["id"],
                "code": "tellers", "names": {"en": "Tellers", "ar": "الصرافون"}}),
    );
    assert_eq!(status, 201, "{team}");
    std::thread::sleep(Duration::from_millis(350));
    let teams = soon.get("/api/v1/teams", Some(&admin)).1;
    assert_eq!(teams[0]["key"], "RUH-018/tellers");
}

/// Found by the admin's onboarding journey: right after a write, three lists asked at once came
/// back from two different snapshots (the branches new, the teams old), because the first
/// reader's reload marked the snapshot fresh before it had loaded the new one. Every read that
/// starts after a write answered must see that write, however many run at once.
#[test]
fn reads_at_once_after_a_write_all_see_it() {
    let app = spawn_app();
    let admin = app.admin();
    let region = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let branch = app.branch(&admin, "RUH-001", &region);
    for round in 0..30 {
        let code = format!("team-{round}");
        let (status, body) = app.post(
            "/api/v1/teams",
            Some(&admin),
            &json!({"branch_id": branch, "code": code, "names": {"en": code}}),
        );
        assert_eq!(status, 201, "{body}");
        let readers: Vec<_> = (0..4)
            .map(|_| {
                let (url, admin) = (app.url.clone(), admin.clone());
                std::thread::spawn(move || {
                    let mut reply = ureq::get(format!("{url}/api/v1/teams"))
                        .header("Authorization", format!("Bearer {admin}"))
                        .call()
                        .unwrap();
                    reply.body_mut().read_to_string().unwrap()
                })
            })
            .collect();
        for reader in readers {
            let teams: Value = serde_json::from_str(&reader.join().unwrap()).unwrap();
            assert!(
                codes(&teams).contains(&code.as_str()),
                "round {round}: a read after the write misses {code}: {:?}",
                codes(&teams)
            );
        }
    }
}
