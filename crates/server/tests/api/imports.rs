//! Bulk onboarding (SPEC §10.38, §10.47): branches and users from XLSX and CSV, dry run, apply in
//! one transaction or not at all, a second upload of the same file changing nothing, problems
//! located by sheet, row and column, admins only.

use diesel::prelude::*;
use serde_json::Value;
use sirr_server::auth::Role;
use sirr_store::schema::{audit_log, users};

use crate::helpers::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/imports/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn upload(app: &TestApp, path: &str, token: &str, name: &str, body: &[u8]) -> Reply {
    let disposition = format!("attachment; filename=\"{name}\"");
    app.post_raw(
        path,
        Some(token),
        &[("Content-Disposition", disposition.as_str())],
        body,
    )
}

fn audit_rows(app: &TestApp) -> i64 {
    audit_log::table.count().get_result(&mut app.db()).unwrap()
}

fn counts(body: &Value) -> (u64, u64, u64) {
    (
        body["create"].as_u64().unwrap(),
        body["update"].as_u64().unwrap(),
        body["unchanged"].as_u64().unwrap(),
    )
}

/// Each problem as (sheet, row, column, code).
fn located(details: &Value) -> Vec<(String, u64, String, String)> {
    details
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["sheet"].as_str().unwrap().to_owned(),
                d["row"].as_u64().unwrap_or(0),
                d["column"].as_str().unwrap_or("").to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn an_organisation_onboards_from_two_workbooks_and_a_second_upload_changes_nothing() {
    let app = spawn_app();
    let admin = app.admin();
    let branches = fixture("branches.xlsx");

    let (status, dry) = upload(
        &app,
        "/api/v1/imports/branches?dry_run=true",
        &admin,
        "branches.xlsx",
        &branches,
    );
    assert_eq!(status, 200, "{dry}");
    assert_eq!(counts(&dry), (300, 0, 0));
    assert_eq!(
        dry["new_regions"],
        serde_json::json!(["DMM", "JED", "MED", "RUH"])
    );
    assert_eq!(dry["problems"], serde_json::json!([]));
    let (_, listed) = app.get("/api/v1/branches", Some(&admin));
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "a dry run stores nothing"
    );

    let (status, done) = upload(
        &app,
        "/api/v1/imports/branches",
        &admin,
        "branches.xlsx",
        &branches,
    );
    assert_eq!(status, 200, "{done}");
    assert_eq!(counts(&done), (300, 0, 0));
    let (_, listed) = app.get("/api/v1/branches", Some(&admin));
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 300);
    // Row 7 of the Arabic sheet: JED-002, Arabic digits and script intact, coordinates as written.
    let jed = listed.iter().find(|b| b["code"] == "JED-002").unwrap();
    assert_eq!(jed["names"]["ar"], "فرع جدة ٢");
    assert_eq!(jed["names"]["en"], "Jed branch 2");
    assert_eq!(jed["region_code"], "JED");
    assert_eq!(jed["location"]["lat"].as_f64(), Some(21.542));
    let (_, teams) = app.get(
        &format!("/api/v1/teams?branch_id={}", jed["id"].as_str().unwrap()),
        Some(&admin),
    );
    let mut keys: Vec<&str> = teams
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["service", "tellers"]);

    let audited = audit_rows(&app);
    let (status, again) = upload(
        &app,
        "/api/v1/imports/branches",
        &admin,
        "branches.xlsx",
        &branches,
    );
    assert_eq!(status, 200, "{again}");
    assert_eq!(counts(&again), (0, 0, 300));
    assert_eq!(again["new_regions"], serde_json::json!([]));
    assert_eq!(
        audit_rows(&app),
        audited,
        "an unchanged upload writes nothing"
    );

    let users = fixture("users.xlsx");
    let (status, dry) = upload(
        &app,
        "/api/v1/imports/users?dry_run=true",
        &admin,
        "users.xlsx",
        &users,
    );
    assert_eq!(status, 200, "{dry}");
    assert_eq!(counts(&dry), (60, 0, 0), "61 rows, 60 e-mails");
    let (status, done) = upload(&app, "/api/v1/imports/users", &admin, "users.xlsx", &users);
    assert_eq!(status, 200, "{done}");
    let (_, all) = app.get("/api/v1/users", Some(&admin));
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 61, "the first admin and 60 imported");
    let user = |email: &str| all.iter().find(|u| u["email"] == email).unwrap().clone();
    assert_eq!(user("shopper3@bank.example")["name"], "متسوق 3");
    assert_eq!(user("shopper3@bank.example")["role"], "shopper");
    let two = user("manager12@bank.example");
    assert_eq!(two["scopes"].as_array().unwrap().len(), 2, "{two}");
    let team = user("manager9@bank.example");
    assert_eq!(team["scopes"][0]["kind"], "team", "{team}");
    let languages: Vec<(String, Option<String>)> = users::table
        .filter(users::email.eq_any(["shopper3@bank.example", "shopper4@bank.example"]))
        .select((users::email, users::language))
        .order(users::email)
        .load(&mut app.db())
        .unwrap();
    assert_eq!(
        languages,
        [
            ("shopper3@bank.example".into(), Some("ar".into())),
            ("shopper4@bank.example".into(), Some("en".into()))
        ],
        "the saved language (SPEC §10.31) comes from the sheet"
    );
    // Imported accounts have no password until an admin sets one.
    let (status, _) = app.login("qa1@bank.example", PASSWORD);
    assert_eq!(status, 401);

    let audited = audit_rows(&app);
    let (status, again) = upload(&app, "/api/v1/imports/users", &admin, "users.xlsx", &users);
    assert_eq!(status, 200, "{again}");
    assert_eq!(counts(&again), (0, 0, 60));
    assert_eq!(audit_rows(&app), audited);
}

#[test]
fn a_refused_file_names_sheet_row_and_column_and_nothing_is_applied_until_it_is_fixed() {
    let app = spawn_app();
    let admin = app.admin();
    let broken = "code,name_en,name_ar,region_code,lat,lon,teams,colour\n\
                  A-1,Olaya,العليا,RUH,24.7,46.6,tellers,\n\
                  A-1,Again,,RUH,,,,\n\
                  A 2,Space,,RUH,,,,\n\
                  A-3,,,RUH,,,,\n\
                  A-4,Four,,RUH,95,46,,\n\
                  A-5,Five,,RUH,24,,,\n\
                  A-6,Six,,,,,bad key,\n";
    let (status, body) = upload(
        &app,
        "/api/v1/imports/branches",
        &admin,
        "march.csv",
        broken.as_bytes(),
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "validation_failed");
    let problems = located(&body["error"]["details"]);
    let expected = [
        ("march.csv", 1, "colour", "import-unknown-column"),
        ("march.csv", 3, "code", "import-duplicate"),
        ("march.csv", 4, "code", "import-invalid-code"),
        ("march.csv", 6, "lat", "import-out-of-range"),
        ("march.csv", 7, "lon", "import-half-a-location"),
        ("march.csv", 8, "region_code", "import-required"),
        ("march.csv", 8, "teams", "import-invalid-team-key"),
        ("march.csv", 5, "name_en", "import-name-missing"),
    ];
    for (sheet, row, column, code) in expected {
        assert!(
            problems.contains(&(sheet.into(), row, column.into(), code.into())),
            "{sheet}:{row}:{column} {code} missing from {problems:?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:?}");
    for detail in body["error"]["details"].as_array().unwrap() {
        assert!(!detail["problem"].as_str().unwrap().is_empty());
    }
    let (_, listed) = app.get("/api/v1/branches", Some(&admin));
    assert_eq!(listed.as_array().unwrap().len(), 0, "nothing half-stored");

    // The same problems on a dry run come back as a 200 listing them.
    let (status, dry) = upload(
        &app,
        "/api/v1/imports/branches?dry_run=true",
        &admin,
        "march.csv",
        broken.as_bytes(),
    );
    assert_eq!(status, 200);
    assert_eq!(dry["problems"].as_array().unwrap().len(), expected.len());

    let fixed = "\u{FEFF}code;name_en;name_ar;region_code;lat;lon;teams\n\
                 A-1;Olaya;العليا;RUH;24,7;46,6;tellers\n\
                 A-2;Two;;RUH;;;\n";
    let (status, body) = upload(
        &app,
        "/api/v1/imports/branches",
        &admin,
        "march.csv",
        fixed.as_bytes(),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(counts(&body), (2, 0, 0));
    // A later sheet of codes and names only changes names, keeping coordinates.
    let rename = "code,name_en,region_code\nA-1,Olaya Main,RUH\nA-2,Two,RUH\n";
    let (status, body) = upload(
        &app,
        "/api/v1/imports/branches",
        &admin,
        "r.csv",
        rename.as_bytes(),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(counts(&body), (0, 1, 1));
    let (_, listed) = app.get("/api/v1/branches", Some(&admin));
    let olaya = &listed.as_array().unwrap()[0];
    assert_eq!(olaya["names"]["en"], "Olaya Main");
    assert_eq!(olaya["names"]["ar"], "العليا");
    assert_eq!(olaya["location"]["lat"].as_f64(), Some(24.7));

    let (status, body) = upload(
        &app,
        "/api/v1/imports/branches",
        &admin,
        "x.csv",
        b"\x00\xff\xfe garbage",
    );
    assert_eq!(status, 422, "{body}");
}

#[test]
fn user_rows_must_agree_and_scopes_name_what_exists() {
    let app = spawn_app();
    let admin = app.admin();
    let branches = "code,name_en,region_code,teams\nRUH-001,Olaya,RUH,tellers\n";
    assert_eq!(
        upload(
            &app,
            "/api/v1/imports/branches",
            &admin,
            "b.csv",
            branches.as_bytes()
        )
        .0,
        200
    );
    let users = "email,name,role,scope_kind,scope_code,language\n\
                 m@x.example,Mona,manager,branch,RUH-001,ar\n\
                 M@x.example,Mona,qa,team,RUH-001/tellers,\n\
                 s@x.example,Sami,shopper,region,RUH,en\n\
                 t@x.example,Tala,manager,team,RUH-001/nope,fr\n\
                 u@x.example,,manager,branch,,\n\
                 not-an-email,Who,shopper,,,\n\
                 v@x.example,Vee,boss,,,\n";
    let (status, body) = upload(
        &app,
        "/api/v1/imports/users",
        &admin,
        "u.csv",
        users.as_bytes(),
    );
    assert_eq!(status, 422, "{body}");
    let problems = located(&body["error"]["details"]);
    for (row, column, code) in [
        (3, "role", "import-conflicting"),
        (4, "scope_kind", "import-scope-for-non-manager"),
        (5, "scope_code", "import-no-such-scope-target"),
        (5, "language", "import-unknown-language"),
        (6, "scope_code", "import-scope-pair-incomplete"),
        (7, "email", "import-invalid-email"),
        (8, "role", "import-unknown-role"),
    ] {
        assert!(
            problems.contains(&("u.csv".into(), row, column.into(), code.into())),
            "{row}:{column} {code} missing from {problems:?}"
        );
    }
    let (_, all) = app.get("/api/v1/users", Some(&admin));
    assert_eq!(all.as_array().unwrap().len(), 1, "nothing applied");

    // The importing admin cannot demote themself.
    let own = format!("email,role\n{ADMIN_EMAIL},shopper\n");
    let (status, body) = upload(
        &app,
        "/api/v1/imports/users",
        &admin,
        "own.csv",
        own.as_bytes(),
    );
    assert_eq!(status, 422, "{body}");
    assert!(
        located(&body["error"]["details"])
            .iter()
            .any(|p| p.3 == "import-own-role")
    );
}

#[test]
fn only_admins_import() {
    let app = spawn_app();
    app.add_user("qa@x.example", Role::Qa, &[]);
    app.add_user("shopper@x.example", Role::Shopper, &[]);
    let body = b"code,name_en,region_code\nA-1,One,RUH\n";
    for email in ["qa@x.example", "shopper@x.example"] {
        let token = app.token(email);
        for path in [
            "/api/v1/imports/branches",
            "/api/v1/imports/users?dry_run=true",
        ] {
            let (status, reply) = upload(&app, path, &token, "b.csv", body);
            assert_eq!(status, 403, "{email} {path}: {reply}");
        }
    }
    let (status, _) = app.post_raw("/api/v1/imports/branches", None, &[], body);
    assert_eq!(status, 401);
    let (_, listed) = app.get("/api/v1/branches", Some(&app.admin()));
    assert_eq!(listed.as_array().unwrap().len(), 0);
}

#[test]
fn qa_converts_an_xlsform_in_the_browser_and_saves_it_as_a_draft() {
    let app = spawn_app();
    app.add_user("qa@x.example", Role::Qa, &[]);
    let qa = app.token("qa@x.example");
    let workbook = std::fs::read(format!(
        "{}/../../examples/checklists/retail-store-visit.xlsx",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let (status, body) = upload(
        &app,
        "/api/v1/checklists/import-xlsform",
        &qa,
        "retail-store-visit.xlsx",
        &workbook,
    );
    assert_eq!(status, 200, "{body}");
    let checklist = body["checklist"].clone();
    assert!(
        checklist["sections"].as_array().unwrap().len() > 1,
        "{checklist}"
    );
    assert!(body["warnings"].is_array());
    // The converted document is what the checklists API takes as a draft.
    let (status, saved) = app.post("/api/v1/checklists", Some(&qa), &checklist);
    assert_eq!(status, 201, "{saved}");

    let broken = fixture("broken-xlsform.xlsx");
    let (status, body) = upload(
        &app,
        "/api/v1/checklists/import-xlsform",
        &qa,
        "broken.xlsx",
        &broken,
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "validation_failed");
    let details = body["error"]["details"].as_array().unwrap();
    let rows: Vec<(String, u64)> = details
        .iter()
        .map(|d| {
            (
                d["sheet"].as_str().unwrap().to_owned(),
                d["row"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        rows.contains(&("survey".into(), 4)),
        "the unknown type on row 4: {details:?}"
    );
    assert!(
        rows.contains(&("survey".into(), 5)),
        "the relevant naming no field on row 5: {details:?}"
    );
    assert!(
        details
            .iter()
            .all(|d| d["column"].is_string() || d["row"].is_null()),
        "{details:?}"
    );

    let (status, body) = upload(
        &app,
        "/api/v1/checklists/import-xlsform",
        &qa,
        "x.csv",
        b"type,name\ntext,a\n",
    );
    assert_eq!(status, 422, "{body}");

    app.add_user("shopper@x.example", Role::Shopper, &[]);
    let shopper = app.token("shopper@x.example");
    let (status, _) = upload(
        &app,
        "/api/v1/checklists/import-xlsform",
        &shopper,
        "r.xlsx",
        &workbook,
    );
    assert_eq!(status, 403);
}

/// A two-language XLSForm whose second question has no Arabic label (a warning of the
/// checklist's validation) and, when `note` is set, a required note (one of its errors).
fn xlsform_with_validation_problems(note: bool) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let survey = book.add_worksheet();
    survey.set_name("survey").unwrap();
    let rows: [[&str; 5]; 5] = [
        [
            "type",
            "name",
            "label::English (en)",
            "label::Arabic (ar)",
            "required",
        ],
        ["begin_group", "entrance", "Entrance", "المدخل", ""],
        [
            "select_one yes_no",
            "greeted",
            "Greeted?",
            "هل تم الترحيب بك؟",
            "",
        ],
        ["select_one yes_no", "clean", "Clean?", "", ""],
        if note {
            ["note", "info", "Info", "معلومة", "yes"]
        } else {
            ["end_group", "", "", "", ""]
        },
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                survey.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    if note {
        survey.write_string(5, 0, "end_group").unwrap();
    }
    let choices = book.add_worksheet();
    choices.set_name("choices").unwrap();
    for (r, row) in [
        [
            "list_name",
            "name",
            "label::English (en)",
            "label::Arabic (ar)",
        ],
        ["yes_no", "yes", "Yes", "نعم"],
        ["yes_no", "no", "No", "لا"],
    ]
    .iter()
    .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            choices.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// Issue 14: what the checklist's validation says about an imported XLSForm is in the reader's
/// language, at the same sheet, row and column.
#[test]
fn xlsform_validation_problems_are_in_the_readers_language() {
    let app = spawn_app();
    app.add_user("qa@x.example", Role::Qa, &[]);
    let qa = app.token("qa@x.example");
    let send = |lang: &str, workbook: &[u8]| {
        app.post_raw(
            "/api/v1/checklists/import-xlsform",
            Some(&qa),
            &[
                ("Content-Disposition", "attachment; filename=\"form.xlsx\""),
                ("Accept-Language", lang),
            ],
            workbook,
        )
    };
    let arabic = |s: &str| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
    let cells = |list: &Value| -> Vec<(String, String)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["path"].as_str().unwrap().to_owned(),
                    p["problem"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };

    let warned = xlsform_with_validation_problems(false);
    let (status, en) = send("en", &warned);
    assert_eq!(status, 200, "{en}");
    let (status, ar) = send("ar", &warned);
    assert_eq!(status, 200, "{ar}");
    let (en_w, ar_w) = (cells(&en["warnings"]), cells(&ar["warnings"]));
    let missing = "no 'ar' text, although the checklist declares 'ar'";
    let at = en_w
        .iter()
        .position(|w| w.1 == missing)
        .unwrap_or_else(|| panic!("{en_w:?}"));
    assert_eq!(ar_w[at].0, en_w[at].0, "the same cell");
    assert!(arabic(&ar_w[at].1), "{:?}", ar_w[at]);

    let refused = xlsform_with_validation_problems(true);
    let (status, en) = send("en", &refused);
    assert_eq!(status, 422, "{en}");
    let (status, ar) = send("ar", &refused);
    assert_eq!(status, 422, "{ar}");
    let (en_p, ar_p) = (
        cells(&en["error"]["details"]),
        cells(&ar["error"]["details"]),
    );
    let at = en_p
        .iter()
        .position(|p| p.1 == "a note is never answered, so it cannot be required")
        .unwrap_or_else(|| panic!("{en_p:?}"));
    assert_eq!(ar_p[at].0, en_p[at].0, "the same cell");
    assert!(arabic(&ar_p[at].1), "{:?}", ar_p[at]);
    assert!(arabic(ar["error"]["message"].as_str().unwrap()), "{ar}");
}

/// A survey the workbook reading refuses: an unknown type (row 4), a question without a name
/// (row 5) and a `relevant` with arithmetic (row 6).
fn xlsform_with_reading_problems() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let survey = book.add_worksheet();
    survey.set_name("survey").unwrap();
    let rows: [[&str; 5]; 7] = [
        [
            "type",
            "name",
            "label::English (en)",
            "label::Arabic (ar)",
            "relevant",
        ],
        ["begin_group", "entrance", "Entrance", "المدخل", ""],
        [
            "select_one yes_no",
            "greeted",
            "Greeted?",
            "هل تم الترحيب بك؟",
            "",
        ],
        ["spaceship", "ship", "Ship?", "سفينة؟", ""],
        ["text", "", "Remarks", "ملاحظات", ""],
        ["text", "door", "Door?", "الباب؟", "${greeted} + 1"],
        ["end_group", "", "", "", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                survey.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    let choices = book.add_worksheet();
    choices.set_name("choices").unwrap();
    for (r, row) in [
        [
            "list_name",
            "name",
            "label::English (en)",
            "label::Arabic (ar)",
        ],
        ["yes_no", "yes", "Yes", "نعم"],
        ["yes_no", "no", "No", "لا"],
    ]
    .iter()
    .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            choices.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// Issue 14: the workbook's own reading problems (types, names, `relevant` expressions) are in
/// the reader's language too, at the same sheet, row and column; English is unchanged.
#[test]
fn xlsform_reading_problems_are_in_the_readers_language() {
    use crate::checklists::{english_run, is_arabic};
    let app = spawn_app();
    app.add_user("qa@x.example", Role::Qa, &[]);
    let qa = app.token("qa@x.example");
    let workbook = xlsform_with_reading_problems();
    let send = |lang: &str| {
        app.post_raw(
            "/api/v1/checklists/import-xlsform",
            Some(&qa),
            &[
                ("Content-Disposition", "attachment; filename=\"form.xlsx\""),
                ("Accept-Language", lang),
            ],
            &workbook,
        )
    };
    let (status, en) = send("en");
    assert_eq!(status, 422, "{en}");
    let (status, ar) = send("ar");
    assert_eq!(status, 422, "{ar}");
    let (en_p, ar_p) = (
        en["error"]["details"].as_array().unwrap(),
        ar["error"]["details"].as_array().unwrap(),
    );
    let english: Vec<&str> = en_p
        .iter()
        .map(|p| p["problem"].as_str().unwrap())
        .collect();
    for (sentence, path) in [
        ("unknown question type 'spaceship'", "survey:4:type"),
        ("this question has no name", "survey:5:name"),
        (
            "cannot translate `${greeted} + 1`: at character 12: '+' is not supported \
             (arithmetic and paths are not part of a checklist condition)",
            "survey:6:relevant",
        ),
    ] {
        let at = english
            .iter()
            .position(|p| *p == sentence)
            .unwrap_or_else(|| panic!("{sentence}: {english:?}"));
        assert_eq!(en_p[at]["path"], path, "{}", en_p[at]);
    }
    assert_eq!(ar_p.len(), en_p.len(), "{ar}");
    for (en, ar) in en_p.iter().zip(ar_p) {
        for place in ["path", "sheet", "row", "column", "cell"] {
            assert_eq!(ar[place], en[place], "the same {place}: {ar}");
        }
        let text = ar["problem"].as_str().unwrap();
        assert!(is_arabic(text), "{text}");
        assert!(
            english_run(text).is_none(),
            "{text}: {:?}",
            english_run(text)
        );
    }
    let message = ar["error"]["message"].as_str().unwrap();
    assert!(is_arabic(message), "{message}");
}
