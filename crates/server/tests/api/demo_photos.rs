//! SPEC §10.41 and issue 14: the demo's approved visits carry real photos for their photo
//! answers and their evidence, stored through the attachment storage; a manager sees the
//! evidence of an approved visit of their branch (`evidence` on the visit) and may fetch it,
//! a manager of another branch may not.

use diesel::prelude::*;
use serde_json::Value;
use sirr_store::schema::{attachments, branches, visits};

use crate::helpers::spawn_demo;
use crate::reports::token;

#[test]
fn a_managers_approved_visit_shows_its_evidence_photos() {
    let app = spawn_demo();
    // An approved visit of RUH-001 whose failed yes/no item came with a photo (on_fail).
    let ruh: String = {
        let mut conn = app.db();
        branches::table
            .filter(branches::code.eq("RUH-001"))
            .select(branches::id)
            .first(&mut conn)
            .unwrap()
    };
    let candidates: Vec<(String, String, String, String)> = {
        let mut conn = app.db();
        visits::table
            .inner_join(attachments::table.on(attachments::assignment_id.eq(visits::assignment_id)))
            .filter(visits::branch_id.eq(&ruh))
            .filter(visits::status.eq("approved"))
            .select((
                visits::id,
                visits::answers,
                attachments::item_key,
                attachments::id,
            ))
            .order(visits::id)
            .load(&mut conn)
            .unwrap()
    };
    let total_photos = candidates.len();
    let (visit, item, photo) = candidates
        .iter()
        .find_map(|(visit, answers, item, photo)| {
            let answers: Value = serde_json::from_str(answers).unwrap();
            (answers[item] == "no").then(|| (visit.clone(), item.clone(), photo.clone()))
        })
        .expect("a failed item with an evidence photo at RUH-001");
    assert!(
        total_photos > 50,
        "RUH-001's visits have photos: {total_photos}"
    );

    let manager = token(&app, "manager.ruh-001@demo.sirr");
    let (status, body) = app.get(&format!("/api/v1/visits/{visit}"), Some(&manager));
    assert_eq!(status, 200, "{body}");
    let listed: Vec<&str> = body["evidence"][&item]
        .as_array()
        .unwrap_or_else(|| panic!("no evidence for {item}: {body}"))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(listed.contains(&photo.as_str()), "{listed:?} lacks {photo}");
    assert!(body.get("flags").is_none() && body.get("shopper_id").is_none());

    let got = app.get_bytes(&format!("/api/v1/attachments/{photo}"), Some(&manager));
    assert_eq!(got.status, 200);
    assert_eq!(got.content_type, "image/jpeg");
    assert_eq!(&got.body[..2], &[0xFF, 0xD8], "a JPEG");
    assert_eq!(&got.body[got.body.len() - 2..], &[0xFF, 0xD9]);
    assert!(got.body.len() < 8192, "{} bytes", got.body.len());

    // Photo answers are photos too, and they differ from visit to visit.
    let other = candidates
        .iter()
        .find(|(v, _, i, _)| v != &visit && i != &item)
        .unwrap();
    let second = app.get_bytes(&format!("/api/v1/attachments/{}", other.3), Some(&manager));
    assert_eq!(second.status, 200);
    assert_ne!(second.body, got.body, "distinct per visit");

    // A manager of another branch: neither the visit nor the photo.
    let stranger = token(&app, "manager.ruh-002@demo.sirr");
    let (status, _) = app.get(&format!("/api/v1/visits/{visit}"), Some(&stranger));
    assert_eq!(status, 404);
    let refused = app.get_bytes(&format!("/api/v1/attachments/{photo}"), Some(&stranger));
    assert!(
        refused.status == 404 || refused.status == 403,
        "{}",
        refused.status
    );
}

/// Issue 14: the demo's directory is bilingual all the way down, so an Arabic page never shows an
/// English team name.
#[test]
fn every_demo_team_has_an_arabic_and_an_english_name() {
    let app = spawn_demo();
    let admin = token(&app, "admin@demo.sirr");
    let (status, teams) = app.get("/api/v1/teams", Some(&admin));
    assert_eq!(status, 200, "{teams}");
    let teams = teams.as_array().expect("a list of teams");
    assert!(
        teams.len() > 24,
        "the demo's branches have teams: {}",
        teams.len()
    );
    for team in teams {
        let names = &team["names"];
        let english = names["en"].as_str().unwrap_or_default();
        let arabic = names["ar"].as_str().unwrap_or_default();
        assert!(
            english.starts_with(|c: char| c.is_ascii_uppercase()),
            "English name of {}: {names}",
            team["key"]
        );
        assert!(
            arabic
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "Arabic name of {}: {names}",
            team["key"]
        );
    }
}
