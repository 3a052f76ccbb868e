//! Password reset by e-mail link and invitations (issue 19, Accounts): asking answers alike for
//! every address, the database keeps only the token's hash, a link works once (of two uses at
//! once, one wins), expires, is throttled per account across processes, ends every session and
//! is audited; the first admin and admin-made users can be invited. Letters go through the real
//! aiosmtpd sink (`tests/support/smtp_sink.py`).

use std::time::Duration;

use diesel::prelude::*;
use serde_json::{Value, json};
use sirr_server::auth::Role;
use sirr_server::auth::links::{self, Purpose};
use sirr_server::config::Settings;
use sirr_server::startup::AdminSeed;
use sirr_store::schema::{audit_log, password_links, users};

use crate::helpers::*;

use crate::events::support::SmtpSink;

const NEW_PASSWORD: &str = "a brand new password";
const CONFIRM: &str = "/api/v1/password-reset/confirm";
const ASK: &str = "/api/v1/password-reset";
const CHECK: &str = "/api/v1/password-reset/check";

fn mail_to(port: u16) -> impl FnOnce(&mut Settings) {
    move |s: &mut Settings| {
        s.smtp.host = "127.0.0.1".into();
        s.smtp.port = port;
        s.smtp.from = "sirr <no-reply@test.sirr>".into();
    }
}

/// A port nothing listens on: letters fail (logged), which the throttle tests do not mind.
fn nowhere() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}

/// The token of the one link in a letter's body.
fn token_in(letter: &Value, base: &str) -> String {
    let body = letter["body"].as_str().unwrap();
    let prefix = format!("{base}/#/reset/");
    let start = body
        .find(&prefix)
        .unwrap_or_else(|| panic!("a link {prefix}… in {body}"))
        + prefix.len();
    let token: String = body[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64, "{body}");
    // The link stands alone, without bidi marks a mail program would take into the address.
    assert!(
        !body.contains(&format!("{token}\u{2069}")),
        "no PDI after the link: {body:?}"
    );
    token
}

fn problem(body: &Value, path: &str) -> String {
    body["error"]["details"]
        .as_array()
        .unwrap_or_else(|| panic!("details in {body}"))
        .iter()
        .find(|d| d["path"] == path)
        .and_then(|d| d["problem"].as_str())
        .unwrap_or_else(|| panic!("a problem at {path} in {body}"))
        .to_owned()
}

fn link_rows(app: &TestApp, user_id: &str) -> Vec<(String, String, Option<chrono::NaiveDateTime>)> {
    password_links::table
        .filter(password_links::user_id.eq(user_id))
        .select((
            password_links::purpose,
            password_links::token_hash,
            password_links::used_at,
        ))
        .order(password_links::created_at.asc())
        .load(&mut app.db())
        .unwrap()
}

/// A link made straight in the database (no letter), working for `ttl_s` seconds.
fn direct_link(app: &TestApp, user_id: &str, ttl_s: i64) -> String {
    let token = links::new_token().unwrap();
    links::issue(
        &mut app.db(),
        user_id,
        &token,
        Purpose::Reset,
        chrono::Duration::seconds(ttl_s),
        sirr_store::now(),
    )
    .unwrap();
    token
}

#[test]
fn a_reset_letter_carries_a_hashed_single_use_link_and_every_address_gets_the_same_answer() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_with(mail_to(sink.port));
    let admin = app.admin();
    let email = "reader@reset.example";
    let id = app.add_user(email, Role::Shopper, &[]);
    // The shopper reads Arabic (saved on the server); the letter follows that.
    let (_, phone) = app.login(email, PASSWORD);
    let phone_access = phone["access_token"].as_str().unwrap();
    assert_eq!(
        app.patch("/api/v1/me", Some(phone_access), &json!({"language": "ar"}))
            .0,
        200
    );
    let gone = app.add_user("gone@reset.example", Role::Shopper, &[]);
    let (status, body) = app.patch(
        &format!("/api/v1/users/{gone}"),
        Some(&admin),
        &json!({"active": false}),
    );
    assert_eq!(status, 200, "{body}");

    // Known (in another case, with spaces), unknown and deactivated: one answer for all.
    let mut answers = Vec::new();
    for address in [
        "  Reader@Reset.example ",
        "nobody@reset.example",
        "gone@reset.example",
    ] {
        answers.push(app.post(ASK, None, &json!({"email": address, "lang": "en"})));
    }
    assert!(
        answers.iter().all(|a| *a == (202, Value::Null)),
        "{answers:?}"
    );
    // A malformed address or language is named, in the reader's language.
    let (status, body) = app.send_lang("POST", ASK, None, "ar", Some(&json!({"email": "no at"})));
    assert_eq!(status, 422, "{body}");
    assert_eq!(problem(&body, "/email"), "ليس عنوان بريد إلكتروني");
    let (status, body) = app.post(ASK, None, &json!({"email": email, "lang": "fr"}));
    assert_eq!(status, 422, "{body}");
    assert_eq!(problem(&body, "/lang"), "must be \"ar\" or \"en\"");
    let (status, _) = app.post(ASK, None, &json!({"email": "x".repeat(250) + "@a.example"}));
    assert_eq!(status, 422);

    // One letter, to the one active account, in its saved language.
    let letters = sink.wait_for(1, Duration::from_secs(20));
    assert_eq!(letters.len(), 1, "{letters:#?}");
    let letter = &letters[0];
    assert_eq!(letter["rcpt_tos"], json!([email]));
    assert_eq!(letter["subject"], "إعادة تعيين كلمة المرور في سِرّ");
    assert!(letter["body"].as_str().unwrap().contains("افتح هذا الرابط"));
    let token = token_in(letter, &app.url);

    // The database holds the token's SHA-256, never the token.
    let rows = link_rows(&app, &id);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0, "reset");
    assert_eq!(rows[0].1, sirr_server::auth::tokens::token_hash(&token));
    assert_ne!(rows[0].1, token);
    let anywhere: i64 = password_links::table
        .filter(password_links::token_hash.eq(&token))
        .count()
        .get_result(&mut app.db())
        .unwrap();
    assert_eq!(anywhere, 0);
    let audit_text: Vec<String> = audit_log::table
        .select(audit_log::details)
        .load(&mut app.db())
        .unwrap();
    assert!(audit_text.iter().all(|d| !d.contains(&token)));

    // The policy of a change of password, named at its field.
    let (status, body) = app.post(
        CONFIRM,
        None,
        &json!({"token": token, "new_password": "short"}),
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        problem(&body, "/new_password"),
        "must be at least 10 characters"
    );
    // Set: the answer names the account; every session ended; the new password signs in.
    let (status, body) = app.post(
        CONFIRM,
        None,
        &json!({"token": token, "new_password": NEW_PASSWORD}),
    );
    assert_eq!((status, &body["email"]), (200, &json!(email)), "{body}");
    let (status, _) = app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": phone["refresh_token"]}),
    );
    assert_eq!(status, 401, "the phone's session ended");
    assert_eq!(app.login(email, PASSWORD).0, 401);
    assert_eq!(app.login(email, NEW_PASSWORD).0, 200);

    // Once only, said in the reader's language.
    let again = json!({"token": token, "new_password": "yet another password"});
    let (status, body) = app.send_lang("POST", CONFIRM, None, "en", Some(&again));
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        problem(&body, "/token"),
        "this link was used already; ask for a new one with \"Forgot your password?\" on the sign-in screen"
    );
    let (_, body) = app.send_lang("POST", CONFIRM, None, "ar", Some(&again));
    assert!(problem(&body, "/token").starts_with("استُعمل هذا الرابط من قبل"));
    assert_eq!(app.login(email, NEW_PASSWORD).0, 200);

    // Audited: the request (no actor: nobody is signed in) and the reset as the user's own act.
    let rows: Vec<(Option<String>, String, String, String)> = audit_log::table
        .filter(audit_log::entity_id.eq(&id))
        .select((
            audit_log::actor_id,
            audit_log::action,
            audit_log::entity_id,
            audit_log::details,
        ))
        .order(audit_log::at.asc())
        .load(&mut app.db())
        .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(
        actions,
        ["request_password_reset", "reset_password"],
        "{rows:?}"
    );
    assert_eq!(rows[0].0, None);
    assert_eq!(rows[1].0.as_deref(), Some(id.as_str()));
    let details: Value = serde_json::from_str(&rows[1].3).unwrap();
    assert_eq!(details["sessions_revoked"], json!(1), "{details}");
    assert!(rows.iter().all(|r| !r.3.contains(NEW_PASSWORD)));
}

#[test]
fn of_two_uses_of_one_link_at_once_exactly_one_sets_the_password() {
    let app = spawn_app();
    let email = "twice@reset.example";
    let id = app.add_user(email, Role::Qa, &[]);
    for round in 0..3 {
        let token = direct_link(&app, &id, 600);
        let passwords = [
            format!("first password {round}"),
            format!("second password {round}"),
        ];
        let answers: Vec<Reply> = std::thread::scope(|scope| {
            let handles: Vec<_> = passwords
                .iter()
                .map(|p| {
                    let (app, token) = (&app, &token);
                    scope.spawn(move || {
                        app.post(CONFIRM, None, &json!({"token": token, "new_password": p}))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let won: Vec<usize> = (0..2).filter(|&i| answers[i].0 == 200).collect();
        assert_eq!(won.len(), 1, "{answers:?}");
        let lost = 1 - won[0];
        assert_eq!(answers[lost].0, 422, "{answers:?}");
        assert!(
            problem(&answers[lost].1, "/token").starts_with("this link was used already"),
            "{answers:?}"
        );
        // The winner's password is the one that works.
        assert_eq!(app.login(email, &passwords[won[0]]).0, 200);
        assert_eq!(app.login(email, &passwords[lost]).0, 401);
    }
    let resets: i64 = audit_log::table
        .filter(audit_log::action.eq("reset_password"))
        .count()
        .get_result(&mut app.db())
        .unwrap();
    assert_eq!(resets, 3);
}

#[test]
fn expired_unknown_and_superseded_links_are_refused_in_the_readers_language() {
    let app = spawn_app();
    let email = "late@reset.example";
    let id = app.add_user(email, Role::Manager, &[]);
    let expired = direct_link(&app, &id, -1);
    let body = json!({"token": expired, "new_password": NEW_PASSWORD});
    let (status, answer) = app.send_lang("POST", CONFIRM, None, "en", Some(&body));
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["error"]["message"], "the link cannot be used");
    assert!(problem(&answer, "/token").starts_with("this link has expired"));
    let (_, answer) = app.send_lang("POST", CONFIRM, None, "ar", Some(&body));
    assert_eq!(answer["error"]["message"], "لا يمكن استعمال الرابط");
    assert!(problem(&answer, "/token").starts_with("انتهت صلاحية هذا الرابط"));

    for token in [
        "0".repeat(64),
        "not even hex".to_owned(),
        "a".repeat(10_000),
    ] {
        let (status, answer) = app.post(
            CONFIRM,
            None,
            &json!({"token": token, "new_password": NEW_PASSWORD}),
        );
        assert_eq!(status, 422, "{answer}");
        assert!(problem(&answer, "/token").starts_with("this link is not valid"));
    }
    // Unknown fields are refused, not ignored.
    let (status, _) = app.post(
        CONFIRM,
        None,
        &json!({"token": expired, "new_password": NEW_PASSWORD, "email": email}),
    );
    assert!(status == 400 || status == 422, "{status}");

    // Two live links: using one closes the other.
    let first = direct_link(&app, &id, 600);
    let second = direct_link(&app, &id, 600);
    assert_eq!(
        app.post(
            CONFIRM,
            None,
            &json!({"token": second, "new_password": NEW_PASSWORD})
        )
        .0,
        200
    );
    let (status, answer) = app.post(
        CONFIRM,
        None,
        &json!({"token": first, "new_password": "another new password"}),
    );
    assert_eq!(status, 422, "{answer}");
    assert!(problem(&answer, "/token").starts_with("this link was used already"));
    assert_eq!(app.login(email, NEW_PASSWORD).0, 200);

    // A deactivated account's link does nothing, and stays unused.
    let admin = app.admin();
    let third = direct_link(&app, &id, 600);
    assert_eq!(
        app.patch(
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            &json!({"active": false})
        )
        .0,
        200
    );
    let (status, answer) = app.post(
        CONFIRM,
        None,
        &json!({"token": third, "new_password": "password of the inactive"}),
    );
    assert_eq!(status, 422, "{answer}");
    assert!(problem(&answer, "/token").starts_with("this account is deactivated"));
    let open = link_rows(&app, &id)
        .iter()
        .filter(|r| r.2.is_none())
        .count();
    assert_eq!(open, 1, "the refused use was rolled back");
}

#[test]
fn reset_letters_are_throttled_per_account_across_processes_and_answered_alike() {
    let port = nowhere();
    let first = spawn_with(mail_to(port));
    let second = spawn_sharing(&first, mail_to(port));
    let email = "flood@reset.example";
    let id = first.add_user(email, Role::Shopper, &[]);
    let other = first.add_user("calm@reset.example", Role::Shopper, &[]);
    let mut answers = Vec::new();
    for i in 0..6 {
        let app = if i % 2 == 0 { &first } else { &second };
        answers.push(app.post(ASK, None, &json!({"email": email})));
    }
    assert!(answers.iter().all(|a| a.0 == 202), "{answers:?}");
    // auth.reset_letters_per_hour = 3 between both processes; the rest sent nothing.
    assert_eq!(link_rows(&first, &id).len(), 3);
    let throttled: i64 = audit_log::table
        .filter(audit_log::action.eq("request_password_reset"))
        .filter(audit_log::details.like("%throttled%"))
        .count()
        .get_result(&mut first.db())
        .unwrap();
    assert_eq!(throttled, 3);
    // Another account is not held back.
    assert_eq!(
        second
            .post(ASK, None, &json!({"email": "calm@reset.example"}))
            .0,
        202
    );
    assert_eq!(link_rows(&first, &other).len(), 1);
}

#[test]
fn without_smtp_resets_and_invitations_are_refused_as_not_configured() {
    let app = spawn_app();
    app.add_user("nomail@reset.example", Role::Shopper, &[]);
    let ask = json!({"email": "nomail@reset.example"});
    let (status, body) = app.send_lang("POST", ASK, None, "en", Some(&ask));
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "not_configured");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("password reset by e-mail is not available"),
        "{body}"
    );
    let (status, body) = app.send_lang("POST", ASK, None, "ar", Some(&ask));
    assert_eq!(status, 503, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("إعادة تعيين كلمة المرور بالبريد غير متاحة"),
        "{body}"
    );
    let admin = app.admin();
    // The web app reads this to offer no invitation the server would refuse.
    let (_, me) = app.get("/api/v1/me", Some(&admin));
    assert_eq!(me["sends_email"], json!(false), "{me}");
    let (status, body) = app.post(
        "/api/v1/users",
        Some(&admin),
        &json!({"email": "invitee@reset.example", "name": "Invitee", "role": "shopper", "invite": true}),
    );
    assert_eq!(
        (status, &body["error"]["code"]),
        (503, &json!("not_configured")),
        "{body}"
    );
    let count: i64 = password_links::table
        .count()
        .get_result(&mut app.db())
        .unwrap();
    assert_eq!(count, 0);
}

#[test]
fn the_first_admin_and_admin_made_users_are_invited_by_email() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let first = "Root@Invite.example";
    let app = spawn_seeded(
        AdminSeed {
            email: Some(first.into()),
            password: None,
        },
        mail_to(sink.port),
    );
    // The admin exists, with no password anyone knows, and a letter in both languages.
    let letters = sink.wait_for(1, Duration::from_secs(20));
    let letter = &letters[0];
    assert_eq!(letter["rcpt_tos"], json!(["root@invite.example"]));
    assert_eq!(letter["subject"], "Your sirr account / حسابك في سِرّ");
    let text = letter["body"].as_str().unwrap();
    assert!(
        text.contains("Open this link to choose your password") && text.contains("أُنشئ لك حساب")
    );
    let token = token_in(letter, &app.url);
    let (id, hash): (String, String) = users::table
        .filter(users::email.eq("root@invite.example"))
        .select((users::id, users::password_hash))
        .first(&mut app.db())
        .unwrap();
    assert!(!hash.is_empty());
    assert_eq!(link_rows(&app, &id)[0].0, "invitation");
    let (status, body) = app.post(
        CONFIRM,
        None,
        &json!({"token": token, "new_password": NEW_PASSWORD}),
    );
    assert_eq!(status, 200, "{body}");
    let (status, tokens) = app.login("root@invite.example", NEW_PASSWORD);
    assert_eq!(status, 200, "{tokens}");
    let admin = tokens["access_token"].as_str().unwrap().to_owned();
    let (_, me) = app.get("/api/v1/me", Some(&admin));
    assert_eq!(me["role"], "admin");
    assert_eq!(me["sends_email"], json!(true), "{me}");

    // An admin invites a user: no password in the answer, a letter with a link instead.
    let invite =
        json!({"email": "new@invite.example", "name": "سارة", "role": "qa", "invite": true});
    let (status, made) = app.post("/api/v1/users", Some(&admin), &invite);
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["invited"], json!(true));
    assert!(made.get("password").is_none(), "{made}");
    // Its link's end, said to the admin: the configured time to live from now (7 days).
    let until =
        chrono::DateTime::parse_from_rfc3339(made["invitation_expires_at"].as_str().unwrap())
            .unwrap();
    let left = until.signed_duration_since(chrono::Utc::now());
    assert!(
        left > chrono::Duration::days(7) - chrono::Duration::minutes(5)
            && left <= chrono::Duration::days(7),
        "{made}"
    );
    let letters = sink.wait_for(2, Duration::from_secs(20));
    let letter = letters
        .iter()
        .find(|l| l["rcpt_tos"] == json!(["new@invite.example"]))
        .unwrap();
    let token = token_in(letter, &app.url);
    assert_eq!(
        app.post(
            CONFIRM,
            None,
            &json!({"token": token, "new_password": NEW_PASSWORD})
        )
        .0,
        200
    );
    assert_eq!(app.login("new@invite.example", NEW_PASSWORD).0, 200);
    // Both: a password or an invitation, named at the field.
    let (status, body) = app.post(
        "/api/v1/users",
        Some(&admin),
        &json!({"email": "both@invite.example", "name": "Both", "role": "qa", "invite": true, "password": "a password here"}),
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        problem(&body, "/invite"),
        "give a password or invite by e-mail, not both"
    );
    // The existing contract stands: no `invite`, a generated password shown once.
    let (status, made) = app.post(
        "/api/v1/users",
        Some(&admin),
        &json!({"email": "plain@invite.example", "name": "Plain", "role": "qa"}),
    );
    assert_eq!(status, 201, "{made}");
    assert!(
        made["password"].as_str().is_some() && made.get("invited").is_none(),
        "{made}"
    );
    let actions: Vec<String> = audit_log::table
        .filter(audit_log::action.eq_any(["invite", "accept_invitation"]))
        .select(audit_log::action)
        .order(audit_log::at.asc())
        .load(&mut app.db())
        .unwrap();
    assert_eq!(
        actions,
        ["invite", "accept_invitation", "accept_invitation"]
    );
}

#[test]
fn an_invitation_is_sent_again_until_the_password_is_set() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_with(mail_to(sink.port));
    let admin = app.admin();
    let invite =
        json!({"email": "late@invite.example", "name": "ليلى", "role": "shopper", "invite": true});
    let (status, made) = app.post("/api/v1/users", Some(&admin), &invite);
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_str().unwrap().to_owned();
    let url = format!("/api/v1/users/{id}");
    // Invited and waiting: the record and the list say so; others are not.
    assert_eq!(made["invitation_pending"], json!(true), "{made}");
    let (_, one) = app.get(&url, Some(&admin));
    assert_eq!(one["invitation_pending"], json!(true));
    let (_, all) = app.get("/api/v1/users", Some(&admin));
    let pending: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["invitation_pending"] == json!(true))
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(pending, ["late@invite.example"]);
    let first = token_in(&sink.wait_for(1, Duration::from_secs(20))[0], &app.url);

    // Sent again: a new letter, and the first letter's link no longer works.
    let again = format!("{url}/invitation");
    let (status, sent) = app.post(&again, Some(&admin), &json!({}));
    assert_eq!(status, 202, "{sent}");
    assert_eq!(sent["email"], "late@invite.example");
    assert!(
        sent["expires_at"].as_str().unwrap().ends_with('Z'),
        "{sent}"
    );
    let letters = sink.wait_for(2, Duration::from_secs(20));
    let second = token_in(&letters[1], &app.url);
    assert_ne!(first, second);
    let (status, body) = app.post(CHECK, None, &json!({"token": first}));
    assert_eq!(status, 422, "{body}");
    assert!(
        problem(&body, "/token").starts_with("this link is not valid"),
        "{body}"
    );
    let (status, body) = app.post(CHECK, None, &json!({"token": second}));
    assert_eq!(
        (status, &body["purpose"]),
        (200, &json!("invitation")),
        "{body}"
    );
    // Only the hash of the one working link is kept.
    let rows = link_rows(&app, &id);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].1, sirr_server::auth::tokens::token_hash(&second));
    let (status, body) = app.post(
        CONFIRM,
        None,
        &json!({"token": second, "new_password": NEW_PASSWORD}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.login("late@invite.example", NEW_PASSWORD).0, 200);

    // The password is set: nothing left to send, said in the reader's language.
    let (_, one) = app.get(&url, Some(&admin));
    assert_eq!(one["invitation_pending"], json!(false));
    let (status, body) = app.post(&again, Some(&admin), &json!({}));
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("set a password already"),
        "{body}"
    );
    let (status, body) = app.send_lang("POST", &again, Some(&admin), "ar", Some(&json!({})));
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("كلمة مرور"),
        "{body}"
    );
    // A deactivated invitee gets no letter; a user made with a password has no invitation.
    let (_, other) = app.post(
        "/api/v1/users",
        Some(&admin),
        &json!({"email": "off@invite.example", "name": "Off", "role": "qa", "invite": true}),
    );
    let other_url = format!("/api/v1/users/{}", other["id"].as_str().unwrap());
    app.patch(&other_url, Some(&admin), &json!({"active": false}));
    let (status, body) = app.post(&format!("{other_url}/invitation"), Some(&admin), &json!({}));
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("deactivated"),
        "{body}"
    );
    let (status, _) = app.post(
        "/api/v1/users/no-such-user/invitation",
        Some(&admin),
        &json!({}),
    );
    assert_eq!(status, 404);
    // Letters: the two to Layla and the one to the deactivated account at its creation.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(sink.wait_for(3, Duration::from_secs(20)).len(), 3);
    let again_audited: i64 = audit_log::table
        .filter(audit_log::action.eq("invite"))
        .filter(audit_log::entity_id.eq(&id))
        .count()
        .get_result(&mut app.db())
        .unwrap();
    assert_eq!(again_audited, 1);
}

#[test]
fn a_mended_address_ends_the_links_sent_to_the_old_one_and_the_invitation_goes_to_the_new() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_with(mail_to(sink.port));
    let admin = app.admin();
    let typo = json!({"email": "layla@bank-exmaple.com", "name": "ليلى", "role": "shopper", "invite": true});
    let (status, made) = app.post("/api/v1/users", Some(&admin), &typo);
    assert_eq!(status, 201, "{made}");
    let url = format!("/api/v1/users/{}", made["id"].as_str().unwrap());
    let stray = token_in(&sink.wait_for(1, Duration::from_secs(20))[0], &app.url);
    // The admin mends the address: whoever got the first letter can no longer use it.
    let (status, body) = app.patch(&url, Some(&admin), &json!({"email": "layla@bank.example"}));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["invitation_pending"], json!(true), "{body}");
    for (path, body) in [
        (CHECK, json!({"token": stray})),
        (
            CONFIRM,
            json!({"token": stray, "new_password": NEW_PASSWORD}),
        ),
    ] {
        let (status, body) = app.post(path, None, &body);
        assert_eq!(status, 422, "{path}: {body}");
        assert!(
            problem(&body, "/token").starts_with("this link has expired"),
            "{body}"
        );
    }
    assert_eq!(app.login("layla@bank.example", NEW_PASSWORD).0, 401);
    // Sent again, the letter goes to the new address, and its link works.
    let (status, sent) = app.post(&format!("{url}/invitation"), Some(&admin), &json!({}));
    assert_eq!(
        (status, &sent["email"]),
        (202, &json!("layla@bank.example")),
        "{sent}"
    );
    let letters = sink.wait_for(2, Duration::from_secs(20));
    assert_eq!(letters[1]["rcpt_tos"], json!(["layla@bank.example"]));
    let token = token_in(&letters[1], &app.url);
    let (status, body) = app.post(
        CONFIRM,
        None,
        &json!({"token": token, "new_password": NEW_PASSWORD}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.login("layla@bank.example", NEW_PASSWORD).0, 200);
}

#[test]
fn a_link_can_be_checked_before_a_password_is_typed_without_using_it() {
    let app = spawn_app();
    let id = app.add_user("look@reset.example", Role::Shopper, &[]);
    let token = direct_link(&app, &id, 3600);
    // Looking twice uses nothing; the link still sets the password afterwards.
    for _ in 0..2 {
        let (status, body) = app.post(CHECK, None, &json!({"token": token}));
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["purpose"], "reset");
        assert!(
            body["expires_at"].as_str().unwrap().ends_with('Z'),
            "{body}"
        );
    }
    assert!(link_rows(&app, &id)[0].2.is_none());
    let (status, body) = app.post(
        CONFIRM,
        None,
        &json!({"token": token, "new_password": NEW_PASSWORD}),
    );
    assert_eq!(status, 200, "{body}");
    // Used, expired, unknown, malformed: refused at /token, in the reader's language.
    let (status, body) = app.post(CHECK, None, &json!({"token": token}));
    assert_eq!(status, 422, "{body}");
    assert!(
        problem(&body, "/token").starts_with("this link was used already"),
        "{body}"
    );
    let expired = direct_link(&app, &id, -5);
    let (status, body) = app.send_lang("POST", CHECK, None, "ar", Some(&json!({"token": expired})));
    assert_eq!(status, 422, "{body}");
    assert!(
        problem(&body, "/token").starts_with("انتهت صلاحية هذا الرابط"),
        "{body}"
    );
    for token in ["0".repeat(64), String::new(), "f".repeat(500)] {
        let (status, body) = app.post(CHECK, None, &json!({"token": token}));
        assert_eq!(status, 422, "{body}");
        assert!(
            problem(&body, "/token").starts_with("this link is not valid"),
            "{body}"
        );
    }
    // A deactivated account's link is named as such before anyone types.
    let open = direct_link(&app, &id, 3600);
    let admin = app.admin();
    app.patch(
        &format!("/api/v1/users/{id}"),
        Some(&admin),
        &json!({"active": false}),
    );
    let (status, body) = app.post(CHECK, None, &json!({"token": open}));
    assert_eq!(status, 422, "{body}");
    assert!(problem(&body, "/token").contains("deactivated"), "{body}");
}

#[test]
fn a_password_set_any_other_way_closes_the_open_links() {
    let app = spawn_app();
    let admin = app.admin();
    let email = "other-way@reset.example";
    let id = app.add_user(email, Role::Shopper, &[]);
    // The user changes it themselves: the letter in the mailbox stops working.
    let mine = direct_link(&app, &id, 600);
    let token = app.token(email);
    let (status, body) = app.post(
        "/api/v1/me/password",
        Some(&token),
        &json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.post(
        CONFIRM,
        None,
        &json!({"token": mine, "new_password": "the attacker's choice"}),
    );
    assert_eq!(status, 422, "{body}");
    assert!(problem(&body, "/token").starts_with("this link was used already"));
    // An admin sets one: the same.
    let theirs = direct_link(&app, &id, 600);
    let (status, body) = app.post(
        &format!("/api/v1/users/{id}/password"),
        Some(&admin),
        &json!({"password": "set by the admin"}),
    );
    assert_eq!(status, 204, "{body}");
    let (status, _) = app.post(
        CONFIRM,
        None,
        &json!({"token": theirs, "new_password": "the attacker's choice"}),
    );
    assert_eq!(status, 422);
    assert_eq!(app.login(email, "set by the admin").0, 200);
}

fn upload_users(app: &TestApp, query: &str, token: &str, csv: &str) -> Reply {
    app.post_raw(
        &format!("/api/v1/imports/users{query}"),
        Some(token),
        &[("Content-Disposition", "attachment; filename=\"staff.csv\"")],
        csv.as_bytes(),
    )
}

#[test]
fn imported_accounts_are_invited_in_their_language_when_asked() {
    let csv = "email,name,role,scope_kind,scope_code,language\n\
               noura@import.example,نورة,shopper,,,ar\n\
               omar@import.example,Omar,qa,,,en\n\
               kept@import.example,Kept,shopper,,,\n";
    // Without e-mail, asking to invite is refused as a whole: nobody is created.
    let plain = spawn_app();
    let admin = plain.admin();
    let (status, body) = upload_users(&plain, "?invite=true", &admin, csv);
    assert_eq!(
        (status, &body["error"]["code"]),
        (503, &json!("not_configured")),
        "{body}"
    );
    let (_, users_now) = plain.get("/api/v1/users", Some(&admin));
    assert!(!users_now.to_string().contains("noura@import.example"));

    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_with(mail_to(sink.port));
    let admin = app.admin();
    // One account exists already: an import never re-invites it.
    app.add_user("kept@import.example", Role::Shopper, &[]);
    // A dry run counts and issues nothing.
    let (status, body) = upload_users(&app, "?dry_run=true&invite=true", &admin, csv);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["create"].as_u64(), body["invited"].as_u64()),
        (Some(2), Some(0))
    );
    let links: i64 = password_links::table
        .count()
        .get_result(&mut app.db())
        .unwrap();
    assert_eq!(links, 0);
    let (status, body) = upload_users(&app, "?invite=true", &admin, csv);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["create"].as_u64(), body["invited"].as_u64()),
        (Some(2), Some(2))
    );
    let letters = sink.wait_for(2, Duration::from_secs(20));
    assert_eq!(letters.len(), 2, "{letters:?}");
    let to = |address: &str| {
        letters
            .iter()
            .find(|l| l["rcpt_tos"] == json!([address]))
            .unwrap_or_else(|| panic!("a letter to {address} in {letters:?}"))
    };
    // Each letter in its account's language, with a link that sets the first password.
    let noura = to("noura@import.example");
    assert_eq!(noura["subject"], "حسابك في سِرّ");
    let omar = to("omar@import.example");
    assert_eq!(omar["subject"], "Your sirr account");
    for (letter, email) in [
        (noura, "noura@import.example"),
        (omar, "omar@import.example"),
    ] {
        let token = token_in(letter, &app.url);
        let id: String = users::table
            .filter(users::email.eq(email))
            .select(users::id)
            .first(&mut app.db())
            .unwrap();
        assert_eq!(link_rows(&app, &id)[0].0, "invitation");
        let (status, body) = app.post(
            CONFIRM,
            None,
            &json!({"token": token, "new_password": NEW_PASSWORD}),
        );
        assert_eq!(status, 200, "{body}");
        assert_eq!(app.login(email, NEW_PASSWORD).0, 200);
    }
    // The same file again changes nothing and writes to nobody.
    let (status, body) = upload_users(&app, "?invite=true", &admin, csv);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["create"].as_u64(), body["invited"].as_u64()),
        (Some(0), Some(0))
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(sink.letters().len(), 2);
}
