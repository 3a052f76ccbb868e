//! A branch's approved visits for the manager's dashboard: by period, without the shopper.

use crate::helpers::spawn_demo;

#[test]
fn managers_get_the_approved_visits_of_a_period_without_the_shopper() {
    let app = spawn_demo();
    let (status, body) = app.login("manager.riyadh@demo.sirr", "demo-password");
    assert_eq!(status, 200, "{body}");
    let token = body["access_token"].as_str().unwrap().to_owned();
    let (_, branches) = app.get("/api/v1/branches", Some(&token));
    let id = branches[0]["id"].as_str().unwrap();

    let (status, all) = app.get(&format!("/api/v1/branches/{id}/visits"), Some(&token));
    assert_eq!(status, 200, "{all}");
    let (status, october) = app.get(
        &format!("/api/v1/branches/{id}/visits?period=2026-10"),
        Some(&token),
    );
    assert_eq!(status, 200, "{october}");
    let october = october.as_array().unwrap();
    assert!(!october.is_empty());
    assert!(october.len() < all.as_array().unwrap().len());
    for visit in october {
        assert!(
            visit["checked_in_at"]
                .as_str()
                .unwrap()
                .starts_with("2026-10")
        );
        assert_eq!(visit["status"], "approved");
        assert_eq!(visit["branch_id"], id);
        assert!(visit.get("flags").is_none(), "{visit}");
        assert!(visit.get("reviews").is_none(), "{visit}");
    }

    let (status, body) = app.get(
        &format!("/api/v1/branches/{id}/visits?period=october"),
        Some(&token),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["details"][0]["path"], "period");
}
