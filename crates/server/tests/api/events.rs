//! Domain events through the outbox (SPEC §10.36, §10.37, §10.46): webhooks registered by
//! admins, signed deliveries to a real HTTP receiver on a local port, retries while it is down,
//! the delivery log and redelivery, e-mail to a real SMTP server (aiosmtpd) in each recipient's
//! language, and two servers sharing one database delivering every event once.

use std::collections::BTreeMap;
use std::time::Duration;

use diesel::prelude::*;
use serde_json::{Value, json};
use sirr_server::auth::{Role, ScopeKind};
use sirr_server::config::Settings;
use sirr_store::schema::events;

use crate::helpers::spawn_sharing;
use crate::workflow::{Field, field_with, good_visit};

#[path = "../support/receiver.rs"]
pub(crate) mod support;
use support::{Receiver, SECRET, SmtpSink, signature_is_valid};

/// Quick delivery for tests: poll often, retry soon.
fn quick(settings: &mut Settings) {
    settings.events.poll_interval_ms = Duration::from_millis(50);
    settings.events.retry_first_ms = Duration::from_millis(200);
    settings.events.retry_max_s = Duration::from_secs(1);
    settings.events.timeout_ms = Duration::from_secs(2);
    settings.events.lease_s = Duration::from_secs(5);
    settings.events.due_scan_interval_s = Duration::from_secs(1);
}

fn register(f: &Field, url: &str, types: &[&str]) -> String {
    let (status, body) = f.app.post(
        "/api/v1/webhooks",
        Some(&f.admin),
        &json!({"url": url, "events": types, "secret": SECRET}),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["secret"], SECRET, "shown in full once, at creation");
    body["id"].as_str().unwrap().to_owned()
}

const ALL: [&str; 9] = [
    "assignment.offered",
    "visit.submitted",
    "visit.approved",
    "visit.returned",
    "visit.rejected",
    "dispute.filed",
    "dispute.resolved",
    "scores.updated",
    "action_plan.due",
];

/// Event ids and types in the outbox, read straight from the database.
fn outbox(f: &Field) -> BTreeMap<String, String> {
    events::table
        .select((events::id, events::event_type))
        .load::<(String, String)>(&mut f.app.db())
        .unwrap()
        .into_iter()
        .collect()
}

#[test]
fn webhooks_are_checked_and_their_secret_is_shown_once() {
    let f = field_with(quick);
    let url = "/api/v1/webhooks";
    let (status, body) = f.app.post(
        url,
        Some(&f.admin),
        &json!({"url": "ftp://example.org/x", "events": ["visit.submitted", "visit.deleted"],
                "secret": "short"}),
    );
    assert_eq!(status, 422, "{body}");
    let paths: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/url", "/events/1", "/secret"], "{body}");
    for bad in [
        json!({"url": "https://example.org/x", "events": [], "secret": SECRET}),
        json!({"url": format!("https://example.org/{}", "a".repeat(2000)), "events": ["visit.submitted"], "secret": SECRET}),
        json!({"url": "https://example.org/x", "events": ["visit.submitted"], "secret": "whsec_!!"}),
        json!({"url": "https://example.org/x", "events": ["visit.submitted"], "secret": SECRET, "extra": 1}),
    ] {
        let (status, body) = f.app.post(url, Some(&f.admin), &bad);
        assert!(status == 422 || status == 400, "{bad} → {status} {body}");
    }
    assert!(
        f.app
            .get(url, Some(&f.admin))
            .1
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing half-stored"
    );

    // Duplicates fold; the list shows the secret masked, never in full.
    let (status, created) = f.app.post(
        url,
        Some(&f.admin),
        &json!({"url": "https://hooks.example.org/sirr", "secret": SECRET,
                "events": ["visit.approved", "assignment.offered", "visit.approved"]}),
    );
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        created["events"],
        json!(["assignment.offered", "visit.approved"])
    );
    let (_, list) = f.app.get(url, Some(&f.admin));
    assert_eq!(list[0]["id"], created["id"]);
    assert_eq!(list[0]["secret"], "whsec_…IQ==");
    assert!(!list.to_string().contains(&SECRET[6..20]), "{list}");

    let id = created["id"].as_str().unwrap();
    assert_eq!(f.app.delete(&format!("{url}/{id}"), Some(&f.admin)).0, 204);
    assert_eq!(f.app.delete(&format!("{url}/{id}"), Some(&f.admin)).0, 404);
    assert_eq!(
        f.app
            .get(&format!("{url}/{id}/deliveries"), Some(&f.admin))
            .0,
        404
    );
}

#[test]
fn a_full_workflow_reaches_the_receiver_signed_and_the_mailbox_in_each_language() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let port = sink.port;
    let receiver = Receiver::start();
    let f = field_with(|s| {
        quick(s);
        s.smtp.host = "127.0.0.1".into();
        s.smtp.port = port;
        s.smtp.from = "sirr <no-reply@test.sirr>".into();
    });
    let hook = register(&f, &receiver.url, &ALL);
    // A second receiver of approvals only gets approvals only.
    let approvals = Receiver::start();
    register(&f, &approvals.url, &["visit.approved"]);

    // The shopper reads Arabic; a second QA opted out of e-mail; the manager reads English.
    assert_eq!(
        f.app
            .patch("/api/v1/me", Some(&f.shopper), &json!({"language": "ar"}))
            .0,
        200
    );
    f.app.add_user("qa2@test.sirr", Role::Qa, &[]);
    let qa2 = f.app.token("qa2@test.sirr");
    let (status, me) = f.app.patch(
        "/api/v1/me",
        Some(&qa2),
        &json!({"email_notifications": false}),
    );
    assert_eq!(
        (status, &me["email_notifications"]),
        (200, &json!(false)),
        "{me}"
    );
    let (status, body) = f.app.patch(
        "/api/v1/me",
        Some(&qa2),
        &json!({"email_notifications": "no"}),
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["details"][0]["path"], "/email_notifications");
    let manager_id = f.app.add_user(
        "manager@test.sirr",
        Role::Manager,
        &[(ScopeKind::Region, &f.region)],
    );
    let manager = f.app.token("manager@test.sirr");

    // Offer, submit, return, resubmit, approve; a second visit rejected.
    let a = f.assignment();
    let (status, visit) = f.submit(&a, "k-1", &good_visit());
    assert_eq!(status, 201, "{visit}");
    let visit = visit["id"].as_str().unwrap().to_owned();
    let (status, body) = f.app.post(
        &format!("/api/v1/visits/{visit}/return"),
        Some(&f.qa),
        &json!({"note": "Add the photo of the queue"}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(f.submit(&a, "k-2", &good_visit()).0, 201);
    let (status, body) = f.app.post(
        &format!("/api/v1/visits/{visit}/approve"),
        Some(&f.qa),
        &json!({}),
    );
    assert_eq!(status, 200, "{body}");
    let b = f.assignment();
    let (_, other) = f.submit(&b, "k-3", &good_visit());
    let other = other["id"].as_str().unwrap().to_owned();
    let (status, body) = f.app.post(
        &format!("/api/v1/visits/{other}/reject"),
        Some(&f.qa),
        &json!({"reason": "Photos of another branch"}),
    );
    assert_eq!(status, 200, "{body}");

    // A dispute filed by the manager and overturned by QA.
    let (status, dispute) = f.app.post(
        &format!("/api/v1/visits/{visit}/disputes"),
        Some(&manager),
        &json!({"item_key": "wait_minutes", "reason": "The queue system was down"}),
    );
    assert_eq!(status, 201, "{dispute}");
    let dispute = dispute["id"].as_str().unwrap().to_owned();
    let (status, body) = f.app.post(
        &format!("/api/v1/disputes/{dispute}/resolve"),
        Some(&f.qa),
        &json!({"outcome": "overturned", "reason": "The log confirms the outage"}),
    );
    assert_eq!(status, 200, "{body}");

    // An action plan due yesterday.
    let (status, body) = f.app.post(
        &format!("/api/v1/branches/{}/actions", f.branch),
        Some(&manager),
        &json!({"period": "2026-10", "action": "Open a second counter at noon",
                "owner": "Branch manager", "due_on": "2020-01-31"}),
    );
    assert_eq!(status, 201, "{body}");
    let action = body["id"].as_str().unwrap().to_owned();

    let expected: BTreeMap<&str, usize> = [
        ("assignment.offered", 2),
        ("visit.submitted", 3),
        ("visit.returned", 1),
        ("visit.approved", 1),
        ("visit.rejected", 1),
        ("dispute.filed", 1),
        ("dispute.resolved", 1),
        ("scores.updated", 2),
        ("action_plan.due", 1),
    ]
    .into();
    let total: usize = expected.values().sum();
    receiver.wait_for(Duration::from_secs(30), "every event", |a| a.len() >= total);
    std::thread::sleep(Duration::from_millis(500));
    let got = receiver.accepted();

    // Each event once (no retries were needed), signed, with the body of the SPEC.
    let stored = outbox(&f);
    assert_eq!(got.len(), total, "{:?}", got.keys());
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    let mut bodies: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (id, requests) in &got {
        assert_eq!(requests.len(), 1, "{id} delivered {} times", requests.len());
        let r = &requests[0];
        assert!(
            signature_is_valid(SECRET, r),
            "bad signature on {id}: {r:?}"
        );
        let at: i64 = r.timestamp.parse().unwrap();
        assert!((chrono::Utc::now().timestamp() - at).abs() < 120, "{r:?}");
        let body = r.json();
        assert_eq!(body["id"], id.as_str());
        assert_eq!(
            stored.get(id),
            body["type"].as_str().map(str::to_owned).as_ref()
        );
        assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
        let keys: Vec<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["id", "type", "timestamp", "data"]);
        assert!(
            !r.body.contains("@test.sirr"),
            "no e-mail address in events: {}",
            r.body
        );
        *by_type
            .entry(body["type"].as_str().unwrap().to_owned())
            .or_default() += 1;
        bodies
            .entry(body["type"].as_str().unwrap().to_owned())
            .or_default()
            .push(body["data"].clone());
    }
    let by_type: BTreeMap<&str, usize> = by_type.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(by_type, expected);
    assert_eq!(stored.len(), total, "the outbox holds exactly these events");

    // What the events say matches what was done.
    assert_eq!(bodies["visit.approved"][0]["visit_id"], visit.as_str());
    assert_eq!(bodies["visit.rejected"][0]["visit_id"], other.as_str());
    assert_eq!(
        bodies["visit.returned"][0]["note"],
        "Add the photo of the queue"
    );
    assert_eq!(bodies["dispute.resolved"][0]["outcome"], "overturned");
    assert_eq!(
        bodies["dispute.resolved"][0]["raised_by"],
        manager_id.as_str()
    );
    assert_eq!(bodies["action_plan.due"][0]["action_id"], action.as_str());
    assert_eq!(bodies["action_plan.due"][0]["due_on"], "2020-01-31");
    let mut offered: Vec<&str> = bodies["assignment.offered"]
        .iter()
        .map(|d| d["assignment_id"].as_str().unwrap())
        .collect();
    offered.sort();
    let mut made = vec![a.as_str(), b.as_str()];
    made.sort();
    assert_eq!(offered, made);
    for scores in &bodies["scores.updated"] {
        assert_eq!(scores["branch_id"], f.branch.as_str());
        assert_eq!(scores["period"], "2026-10");
    }
    let approvals_got = approvals.wait_for(Duration::from_secs(10), "approvals", |a| !a.is_empty());
    assert_eq!(approvals_got.len(), 1);
    assert_eq!(
        approvals_got.values().next().unwrap()[0].json()["type"],
        "visit.approved"
    );

    // The delivery log shows each delivery delivered in one attempt.
    let (status, log) = f.app.get(
        &format!("/api/v1/webhooks/{hook}/deliveries"),
        Some(&f.admin),
    );
    assert_eq!(status, 200, "{log}");
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), total);
    for d in log {
        assert_eq!(d["status"], "delivered", "{d}");
        assert_eq!(d["attempts"], 1, "{d}");
        assert_eq!(d["log"][0]["status_code"], 204, "{d}");
    }

    // Letters: two offers and a return to the shopper in Arabic, the dispute to the QA who
    // takes e-mail, the decision to the manager who filed it — in English.
    let letters = sink.wait_for(5, Duration::from_secs(30));
    assert_eq!(letters.len(), 5, "{letters:#?}");
    let to = |who: &str| -> Vec<&Value> {
        letters
            .iter()
            .filter(|l| l["rcpt_tos"] == json!([who]))
            .collect()
    };
    let shopper = to("shopper1@test.sirr");
    assert_eq!(shopper.len(), 3, "{letters:#?}");
    let offers: Vec<_> = shopper
        .iter()
        .filter(|l| l["subject"].as_str().unwrap().starts_with("مهمة جديدة"))
        .collect();
    assert_eq!(offers.len(), 2, "{shopper:#?}");
    for l in &offers {
        assert!(l["subject"].as_str().unwrap().contains("RUH-017"), "{l}");
        let body = l["body"].as_str().unwrap();
        assert!(
            body.contains("فرع RUH-017") && body.contains("2026-09-30"),
            "{body}"
        );
    }
    let returned = shopper
        .iter()
        .find(|l| l["subject"].as_str().unwrap().starts_with("أُعيدت زيارتك"))
        .unwrap_or_else(|| panic!("{shopper:#?}"));
    assert!(
        returned["body"]
            .as_str()
            .unwrap()
            .contains("Add the photo of the queue")
    );
    let qa = to("qa@test.sirr");
    assert_eq!(qa.len(), 1, "{letters:#?}");
    assert!(
        qa[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with("New dispute: RUH-017"),
        "{}",
        qa[0]
    );
    assert!(qa[0]["body"].as_str().unwrap().contains("\"wait_minutes\""));
    assert!(to("qa2@test.sirr").is_empty(), "qa2 opted out");
    let manager_mail = to("manager@test.sirr");
    assert_eq!(manager_mail.len(), 1, "{letters:#?}");
    assert!(
        manager_mail[0]["body"]
            .as_str()
            .unwrap()
            .contains("overturned")
    );
    for l in &letters {
        assert_eq!(l["mail_from"], "no-reply@test.sirr");
        assert_eq!(l["content_type"], "text/plain");
        assert!(
            !l["body"].as_str().unwrap().contains("shopper1@"),
            "no identities: {l}"
        );
    }
}

#[test]
fn a_receiver_that_is_down_gets_everything_when_it_comes_back_and_redelivery_resends() {
    let receiver = Receiver::start();
    receiver.set_up(false);
    let f = field_with(quick);
    let hook = register(&f, &receiver.url, &["assignment.offered"]);
    let made: Vec<String> = (0..5).map(|_| f.assignment()).collect();

    // Down: every event is tried, answered 503, and tried again.
    let start = std::time::Instant::now();
    loop {
        let tries = receiver.all();
        let mut per_id: BTreeMap<String, usize> = BTreeMap::new();
        for r in &tries {
            *per_id.entry(r.id.clone()).or_default() += 1;
        }
        if per_id.len() == 5 && per_id.values().all(|n| *n >= 3) {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "{per_id:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let (_, log) = f.app.get(
        &format!("/api/v1/webhooks/{hook}/deliveries?status=pending"),
        Some(&f.admin),
    );
    assert_eq!(log.as_array().unwrap().len(), 5, "{log}");
    assert_eq!(log[0]["last_status"], 503);
    assert!(log[0]["next_attempt_at"].is_string());

    receiver.set_up(true);
    let got = receiver.wait_for(Duration::from_secs(30), "after the outage", |a| {
        a.len() == 5
    });
    let mut offered: Vec<String> = got
        .values()
        .map(|r| {
            r[0].json()["data"]["assignment_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    offered.sort();
    let mut made = made;
    made.sort();
    assert_eq!(offered, made);
    // Every try of one event carried the same id and body, each signed for its own time.
    for id in got.keys() {
        let tries: Vec<_> = receiver.all().into_iter().filter(|r| &r.id == id).collect();
        assert!(tries.len() >= 4, "{id}: {}", tries.len());
        assert!(tries.iter().all(|r| r.body == tries[0].body));
        assert!(tries.iter().all(|r| signature_is_valid(SECRET, r)));
    }

    // The log: failed attempts (503), then one delivered (204); the first retry well within 30 s.
    // The dispatcher records a delivery after the receiver answered, so the last one may be a
    // moment behind the receiver's count.
    let start = std::time::Instant::now();
    let log = loop {
        let (_, log) = f.app.get(
            &format!("/api/v1/webhooks/{hook}/deliveries?status=delivered"),
            Some(&f.admin),
        );
        let log = log.as_array().unwrap().clone();
        if log.len() == 5 || start.elapsed() > Duration::from_secs(10) {
            break log;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(log.len(), 5);
    let d = &log[0];
    let attempts = d["log"].as_array().unwrap();
    assert!(attempts.len() >= 4, "{d}");
    assert_eq!(attempts[0]["status_code"], 503);
    assert_eq!(attempts.last().unwrap()["status_code"], 204);
    let at = |i: usize| {
        chrono::DateTime::parse_from_rfc3339(attempts[i]["at"].as_str().unwrap()).unwrap()
    };
    assert!((at(1) - at(0)).num_seconds() < 30);

    // Manual redelivery: the same event again, same id, same body, a new signature.
    let before = receiver.all().len();
    let delivery = d["id"].as_str().unwrap();
    let url = format!("/api/v1/webhooks/{hook}/deliveries/{delivery}/redeliver");
    assert_eq!(f.app.post(&url, Some(&f.qa), &json!({})).0, 403);
    assert_eq!(f.app.post(&url, Some(&f.admin), &json!({})).0, 202);
    let again = receiver.wait_for(Duration::from_secs(10), "redelivery", |a| {
        a.values().map(Vec::len).sum::<usize>() > 5
    });
    assert_eq!(receiver.all().len(), before + 1);
    let twice = &again[d["event_id"].as_str().unwrap()];
    assert_eq!(twice.len(), 2);
    assert_eq!(twice[0].body, twice[1].body);
    assert!(signature_is_valid(SECRET, &twice[1]));
    let missing = format!("/api/v1/webhooks/{hook}/deliveries/0000/redeliver");
    assert_eq!(f.app.post(&missing, Some(&f.admin), &json!({})).0, 404);
}

#[test]
fn two_servers_on_one_database_deliver_every_event_once() {
    let receiver = Receiver::start();
    receiver.set_delay(5);
    let small = |s: &mut Settings| {
        quick(s);
        s.events.batch_size = 5;
        s.events.concurrency = 2;
    };
    let f = field_with(small);
    register(&f, &receiver.url, &["assignment.offered"]);
    let second = spawn_sharing(&f.app, small);
    // Assignments through both servers; both dispatchers claim from the one outbox.
    let mut made = Vec::new();
    for i in 0..40 {
        let app = if i % 2 == 0 { &f.app } else { &second };
        let day = 1 + i % 28;
        let (status, body) = app.post(
            "/api/v1/assignments",
            Some(&f.qa),
            &json!({"shopper_id": f.shopper_id, "branch_id": f.branch,
                    "checklist": {"key": "bank-branch-visit", "version": 3},
                    "window_start": format!("2026-11-{day:02}T00:00:00+03:00"),
                    "window_end": format!("2026-11-{day:02}T12:00:00+03:00")}),
        );
        assert_eq!(status, 201, "{body}");
        made.push(body["id"].as_str().unwrap().to_owned());
    }
    let got = receiver.wait_for(Duration::from_secs(60), "40 events", |a| a.len() == 40);
    std::thread::sleep(Duration::from_secs(1));
    let all = receiver.all();
    assert_eq!(
        all.len(),
        40,
        "no event delivered twice: {} requests",
        all.len()
    );
    let mut offered: Vec<String> = got
        .values()
        .map(|r| {
            r[0].json()["data"]["assignment_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    offered.sort();
    made.sort();
    assert_eq!(offered, made);
}

#[test]
fn qa_hear_of_a_review_backlog_and_managers_that_last_months_reports_are_ready_once() {
    use chrono::Datelike;
    use sirr_store::schema::visits;
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let port = sink.port;
    let f = field_with(|s| {
        quick(s);
        s.smtp.host = "127.0.0.1".into();
        s.smtp.port = port;
        s.smtp.from = "sirr <no-reply@test.sirr>".into();
        s.events.report_ready_day = 1;
    });
    f.app.add_user(
        "manager@test.sirr",
        Role::Manager,
        &[(ScopeKind::Region, &f.region)],
    );
    let manager = f.app.token("manager@test.sirr");
    assert_eq!(
        f.app
            .patch("/api/v1/me", Some(&manager), &json!({"language": "ar"}))
            .0,
        200
    );
    // One visit approved, dated last month; two submitted, one of them two days ago.
    let today = chrono::Utc::now().date_naive();
    let last_month = (today.with_day(1).unwrap() - chrono::Duration::days(1)).format("%Y-%m");
    let mut ids = Vec::new();
    for key in ["d-1", "d-2", "d-3"] {
        let a = f.assignment();
        let mut body = good_visit();
        body["checked_in_at"] = json!(format!("{last_month}-15T10:00:00+03:00"));
        let (status, visit) = f.submit(&a, key, &body);
        assert_eq!(status, 201, "{visit}");
        ids.push(visit["id"].as_str().unwrap().to_owned());
    }
    let (status, body) = f.app.post(
        &format!("/api/v1/visits/{}/approve", ids[0]),
        Some(&f.qa),
        &json!({}),
    );
    assert_eq!(status, 200, "{body}");
    let two_days_ago = chrono::Utc::now().naive_utc() - chrono::Duration::days(2);
    diesel::update(visits::table.find(&ids[1]))
        .set(visits::submitted_at.eq(Some(two_days_ago)))
        .execute(&mut f.app.db())
        .unwrap();
    // Letters of the assignments arrive too: wait for the two digests themselves.
    let digests = |l: &Value| {
        let subject = l["subject"].as_str().unwrap_or_default();
        subject.contains("wait for review") || subject.contains("جاهزة")
    };
    let start = std::time::Instant::now();
    while sink.letters().iter().filter(|l| digests(l)).count() < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{:#?}",
            sink.letters()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let letters = sink.wait_for(1, Duration::from_secs(1));
    let to = |address: &str, subject_part: &str| {
        letters
            .iter()
            .find(|l| {
                l["rcpt_tos"] == json!([address])
                    && l["subject"].as_str().unwrap().contains(subject_part)
            })
            .unwrap_or_else(|| panic!("a letter to {address} about {subject_part}: {letters:#?}"))
            .clone()
    };
    let backlog = to("qa@test.sirr", "wait for review");
    assert_eq!(backlog["subject"], "2 visits wait for review");
    let text = backlog["body"].as_str().unwrap();
    assert!(
        text.contains("1 of them has waited more than 24 hours"),
        "{text}"
    );
    assert!(
        text.contains(&two_days_ago.date().to_string()),
        "the oldest's date: {text}"
    );
    // The manager reads Arabic: the month by its Arabic name.
    let ready = to("manager@test.sirr", "جاهزة");
    let subject = ready["subject"].as_str().unwrap();
    assert!(subject.starts_with("تقارير "), "{subject}");
    assert!(
        !subject.contains(&last_month.to_string()),
        "a month name, not a label: {subject}"
    );
    // Scanning again (every second here) writes neither again: one of each per day and month.
    std::thread::sleep(Duration::from_secs(3));
    let kinds: Vec<String> = events::table
        .filter(events::event_type.eq_any(["review.backlog", "report.ready"]))
        .select(events::event_type)
        .order(events::event_type)
        .load(&mut f.app.db())
        .unwrap();
    assert_eq!(kinds, ["report.ready", "review.backlog"]);
    assert_eq!(sink.letters().len(), letters.len());
    // Neither is a webhook event.
    let (status, body) = f.app.post(
        "/api/v1/webhooks",
        Some(&f.admin),
        &json!({"url": "http://127.0.0.1:9/hook", "events": ["review.backlog"], "secret": SECRET}),
    );
    assert_eq!(status, 422, "{body}");
}
