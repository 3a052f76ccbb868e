//! `sirr serve --demo`: a bilingual demo organisation for newcomers — 3 regions, 24 branches
//! with Arabic and English names and teams, the three example checklists published, the demo
//! accounts of SPEC §6 (all with the password `demo-password`), six months of approved visits
//! (about 3,000, by shoppers of varying severity, with calibration visits), some disputes and
//! action plans, and open assignments for every demo shopper. Everything is deterministic.
//! Seeding happens once, into an empty database; later starts with `--demo` leave it alone.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDateTime};
use diesel::prelude::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sirr_demo::{Demo, DemoOptions, generate};

use crate::auth::{Role, ScopeKind, password};
use crate::commands::demo::example_checklists;
use sirr_store::ids::{AssignmentId, BranchId, ChecklistId, DisputeId, TeamId, UserId, VisitId};
use sirr_store::names::names_to_db;
use sirr_store::status::{ActionStatus, AssignmentStatus, ChecklistStatus, DisputeStatus};
use sirr_store::{self as db, DbConnection};

/// The demo password (SPEC §6).
pub const DEMO_PASSWORD: &str = "demo-password";

/// What was seeded, for the start-up message.
#[derive(Debug, Clone, Default)]
pub struct Seeded {
    /// Every demo account's email, admin first.
    pub accounts: Vec<String>,
    /// The photos of the demo visits' attachments, to store under their storage keys
    /// (`<assignment id>/<attachment id>`) once the rows are committed (SPEC §10.41).
    pub photos: Vec<(String, Vec<u8>)>,
}

/// Seeds the demo organisation unless the database already has regions. Returns the accounts
/// created (empty when nothing was seeded).
pub fn seed_demo(conn: &mut DbConnection) -> Result<Seeded, String> {
    let existing = db::regions::count(conn).map_err(|e| e.to_string())?;
    if existing > 0 {
        return Ok(Seeded::default());
    }
    let checklists_docs = example_checklists()?;
    let options = DemoOptions {
        seed: 2026,
        regions: 3,
        branches: 24,
        shoppers: 12,
        visits_per_branch: (80, 170),
        months: 6,
        end_month: (2026, 10),
        ..DemoOptions::default()
    };
    let demo = generate(&checklists_docs, &options).map_err(|e| e.to_string())?;
    let org = demo.organisation.clone();
    // One hash for every demo account: they share the published demo password anyway.
    let hash = password::hash(DEMO_PASSWORD)?;
    let now = db::now();
    conn.transaction(|conn| -> Result<Seeded, diesel::result::Error> {
        // The name reports print (api/reports.rs).
        db::organisation::set_names(
            conn,
            &[("en", "Sirr Demo Bank"), ("ar", "بنك سر التجريبي")]
                .map(|(lang, name)| (lang.to_owned(), name.to_owned()))
                .into(),
        )?;
        let mut region_ids = std::collections::HashMap::new();
        for r in &org.regions {
            let names = [
                ("en".to_owned(), r.name_en.clone()),
                ("ar".to_owned(), r.name_ar.clone()),
            ]
            .into_iter()
            .collect();
            let row = sirr_store::regions::insert(conn, &r.code, &names, now)?;
            region_ids.insert(r.code.clone(), row.id);
        }
        let mut branch_ids = Vec::new();
        let mut ids_of = Ids::default();
        for c in &checklists_docs {
            for (_, item) in c.items() {
                if matches!(item.kind, sirr_checklist::ItemKind::Photo) {
                    ids_of
                        .photo_items
                        .insert((c.key.as_str().to_owned(), item.key.as_str().to_owned()));
                }
            }
        }
        for b in &org.branches {
            let id = sirr_store::ids::BranchId::generate();
            let names = [
                ("en".to_owned(), b.name_en.clone()),
                ("ar".to_owned(), b.name_ar.clone()),
            ]
            .into_iter()
            .collect();
            let city = [
                ("en".to_owned(), b.city_en.clone()),
                ("ar".to_owned(), b.city_ar.clone()),
            ]
            .into_iter()
            .collect();
            sirr_store::branches::insert(
                conn,
                &sirr_store::branches::BranchRow {
                    id: id.clone(),
                    code: b.code.clone(),
                    region_id: region_ids.get(&b.region).cloned().unwrap_or_default(),
                    names: names_to_db(&names),
                    city: names_to_db(&city),
                    lat: Some(b.lat),
                    lon: Some(b.lon),
                    created_at: now,
                    updated_at: now,
                },
            )?;
            ids_of
                .branches
                .insert(b.code.clone(), (id.to_string(), b.lat, b.lon));
            for team in &b.teams {
                let english = ("en".to_owned(), english_team_name(team));
                let arabic =
                    sirr_demo::team_name_ar(team).map(|ar| ("ar".to_owned(), ar.to_owned()));
                let names = std::iter::once(english).chain(arabic).collect();
                let row = sirr_store::teams::insert(conn, &id, team, &names, now)?;
                ids_of
                    .teams
                    .insert((b.code.clone(), team.clone()), row.id.into());
            }
            branch_ids.push((b.code.to_lowercase(), id));
        }
        for c in &checklists_docs {
            let checklist_id = sirr_store::ids::ChecklistId::generate();
            ids_of.checklists.insert(
                (c.key.as_str().to_owned(), c.version as i32),
                checklist_id.to_string(),
            );
            db::checklists::insert(
                conn,
                &db::checklists::ChecklistRow {
                    id: checklist_id,
                    key: c.key.as_str().to_owned(),
                    version: c.version as i32,
                    status: ChecklistStatus::Published,
                    document: c.to_json_value().to_string(),
                    content_hash: Some(c.content_hash()),
                    created_by: None,
                    created_at: now,
                    updated_at: now,
                    published_at: Some(now),
                },
            )?;
        }

        let mut accounts = Vec::new();
        let mut add = |conn: &mut DbConnection,
                       email: String,
                       name: &str,
                       role: Role,
                       scope: Option<(ScopeKind, &str)>|
         -> Result<String, diesel::result::Error> {
            let id = sirr_store::users::insert(
                conn,
                &sirr_store::users::NewUser {
                    email: &email,
                    name,
                    role,
                    password_hash: &hash,
                },
                now,
            )?;
            if let Some(scope) = scope {
                db::user_scopes::replace(conn, &id, &[scope])?;
            }
            accounts.push(email);
            Ok(id.into())
        };
        add(
            conn,
            "admin@demo.sirr".into(),
            "Demo Admin",
            Role::Admin,
            None,
        )?;
        ids_of.qa = add(conn, "qa@demo.sirr".into(), "فريق الجودة", Role::Qa, None)?;
        if let Some(riyadh) = region_ids.get("RUH") {
            add(
                conn,
                "manager.riyadh@demo.sirr".into(),
                "مدير منطقة الرياض",
                Role::Manager,
                Some((ScopeKind::Region, riyadh)),
            )?;
        }
        for (code, id) in &branch_ids {
            let manager = add(
                conn,
                format!("manager.{code}@demo.sirr"),
                &format!("Manager {}", code.to_uppercase()),
                Role::Manager,
                Some((ScopeKind::Branch, id)),
            )?;
            ids_of.managers.insert(code.to_uppercase(), manager);
        }
        for (i, shopper) in org.shoppers.iter().enumerate() {
            let id = add(
                conn,
                format!("shopper{}@demo.sirr", i + 1),
                &shopper.code,
                Role::Shopper,
                None,
            )?;
            ids_of.shoppers.insert(shopper.code.clone(), id);
        }
        let photos = seed_field(conn, &demo, &ids_of, now)?;
        Ok(Seeded { accounts, photos })
    })
    .map_err(|e| e.to_string())
}

/// Ids of what the organisation part created, for the field data.
#[derive(Default)]
struct Ids {
    /// Branch code → (id, lat, lon).
    branches: HashMap<String, (String, f64, f64)>,
    /// (branch code, team code) → id.
    teams: HashMap<(String, String), String>,
    /// (checklist key, version) → row id.
    checklists: HashMap<(String, i32), String>,
    /// Shopper code → user id.
    shoppers: HashMap<String, String>,
    /// Branch code → its manager's user id.
    managers: HashMap<String, String>,
    /// The QA user.
    qa: String,
    /// (checklist key, item key) of the photo items.
    photo_items: std::collections::HashSet<(String, String)>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reasons and actions for disputes and action plans. People write in one language, not two:
/// some of the demo's managers write in Arabic, some in English, and each text is shown as
/// written. The reasons fit any item (a manager disputes whichever item failed).
const DISPUTE_REASONS: [&str; 4] = [
    "تسجيل كاميرات الفرع يُظهر أن هذا تم وقت الزيارة",
    "The system was down that day; the steps were followed on paper",
    "حضر المتسوق وقت الصلاة والفرع يعمل بعدد أقل من الموظفين",
    "The branch's own log shows this was done; please check the recording",
];
const ACTIONS: [(&str, &str); 4] = [
    (
        "اجتماع يومي قصير عن الترحيب بالعميل خلال 30 ثانية",
        "مدير الفرع",
    ),
    ("Open a second counter at peak hours", "Operations lead"),
    ("تدريب تنشيطي على الإفصاح عن الرسوم", "التدريب"),
    ("Cleaning checklist twice a day", "Facilities"),
];

/// Approved visits with their assignments, revisions and reviews; disputes on some failed
/// items (open, upheld, overturned); action plans; open assignments for every shopper.
fn seed_field(
    conn: &mut DbConnection,
    demo: &Demo,
    ids_of: &Ids,
    now: NaiveDateTime,
) -> Result<Vec<(String, Vec<u8>)>, diesel::result::Error> {
    let mut photos = Vec::new();
    let missing = |what: &str, key: &str| {
        diesel::result::Error::QueryBuilderError(
            format!("demo data names an unknown {what} {key}").into(),
        )
    };
    let mut disputed = 0usize;
    let qa = UserId::from(&ids_of.qa);
    for (n, v) in demo.visits.iter().enumerate() {
        let (branch_id, lat, lon) = ids_of
            .branches
            .get(&v.branch)
            .ok_or_else(|| missing("branch", &v.branch))?;
        let team_id = v
            .team
            .as_ref()
            .and_then(|t| ids_of.teams.get(&(v.branch.clone(), t.clone())));
        let checklist_id = ids_of
            .checklists
            .get(&(v.checklist.as_str().to_owned(), v.checklist_version as i32))
            .ok_or_else(|| missing("checklist", v.checklist.as_str()))?;
        let shopper = ids_of
            .shoppers
            .get(&v.shopper)
            .ok_or_else(|| missing("shopper", &v.shopper))?;
        let at = DateTime::parse_from_rfc3339(&v.visited_at)
            .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?
            .naive_utc();
        let assignment = format!("a-{}", v.id);
        let (assignment_id, shopper_id) = (AssignmentId::from(&assignment), UserId::from(shopper));
        let (branch_key, team_key) = (BranchId::from(branch_id), team_id.map(TeamId::from));
        let checklist_key = ChecklistId::from(checklist_id);
        db::assignments::insert(
            conn,
            &db::assignments::NewAssignment {
                id: &assignment_id,
                campaign_id: None,
                shopper_id: &shopper_id,
                branch_id: &branch_key,
                team_id: team_key.as_ref(),
                checklist_id: &checklist_key,
                window_start: at - Duration::days(3),
                window_end: at + Duration::days(4),
                scenario: v.scenario.as_deref(),
                status: AssignmentStatus::Approved,
                calibration: v.calibration.as_deref(),
                created_by: &qa,
                created_at: at - Duration::days(10),
                updated_at: at + Duration::days(2),
            },
        )?;
        // A few metres of GPS noise around the branch.
        let jitter = ((n % 7) as f64 - 3.0) * 0.00015;
        let answers = Value::Object(v.answers.clone()).to_string();
        let comments = json!(v.comments).to_string();
        let submitted = at + Duration::hours(2);
        let approved = at + Duration::days(2);
        // Real photos for the photo answers and the evidence (SPEC §10.41), taken during the
        // visit at the branch; a failed item's evidence shows it (a red tint).
        let mut refs: Vec<(String, String, bool)> = Vec::new();
        for (item, answer) in &v.answers {
            if ids_of
                .photo_items
                .contains(&(v.checklist.as_str().to_owned(), item.clone()))
            {
                for r in answer
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    refs.push((item.clone(), r.to_owned(), false));
                }
            }
        }
        for (item, list) in v.evidence.iter().flatten() {
            let failed = v.answers.get(item).and_then(Value::as_str) == Some("no");
            for r in list
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                refs.push((item.clone(), r.to_owned(), failed));
            }
        }
        for (k, (item, id, failed)) in refs.into_iter().enumerate() {
            let bytes = crate::demo_photos::photo(&id, failed);
            let key = format!("{assignment}/{id}");
            let taken = DateTime::parse_from_rfc3339(&v.visited_at)
                .map(|t| (t + Duration::minutes(3 + k as i64)).to_rfc3339())
                .ok();
            db::attachments::insert(
                conn,
                &db::attachments::AttachmentRow {
                    id: id.as_str().into(),
                    assignment_id: assignment_id.clone(),
                    item_key: item,
                    content_type: "image/jpeg".to_owned(),
                    size_bytes: bytes.len() as i64,
                    sha256: hex(&Sha256::digest(&bytes)),
                    storage_key: key.clone(),
                    captured_at: taken,
                    captured_lat: Some(lat + jitter),
                    captured_lon: Some(lon - jitter),
                    uploaded_by: shopper_id.clone(),
                    created_at: submitted,
                },
            )?;
            photos.push((key, bytes));
        }
        let visit_id = VisitId::from(&v.id);
        db::visits::insert_filed(
            conn,
            &db::visits::VisitRow {
                id: visit_id.clone(),
                assignment_id: assignment_id.clone(),
                shopper_id: shopper_id.clone(),
                branch_id: branch_key.clone(),
                team_id: team_key.clone(),
                checklist_id: checklist_key.clone(),
                status: AssignmentStatus::Approved,
                revision: 1,
                answers: answers.clone(),
                comments: comments.clone(),
                checked_in_at: Some(v.visited_at.clone()),
                checked_in_utc: Some(at),
                lat: Some(lat + jitter),
                lon: Some(lon - jitter),
                duration_s: v.duration_s,
                flags: "[]".to_owned(),
                submitted_at: Some(submitted),
                approved_at: Some(approved),
                created_at: at,
                updated_at: approved,
                evidence: None,
            },
            &db::visits::RevisionRow {
                visit_id: visit_id.clone(),
                revision: 1,
                answers,
                comments,
                checked_in_at: v.visited_at.clone(),
                lat: Some(lat + jitter),
                lon: Some(lon - jitter),
                duration_s: v.duration_s,
                submitted_at: submitted,
                evidence: None,
                flags: "[]".to_owned(),
            },
        )?;
        db::reviews::insert(
            conn,
            &db::reviews::ReviewRow {
                id: format!("r-{}", v.id).into(),
                visit_id: visit_id.clone(),
                revision: 1,
                reviewer_id: qa.clone(),
                decision: AssignmentStatus::Approved,
                note: String::new(),
                item_comments: "{}".to_owned(),
                created_at: approved,
            },
        )?;
        // Every 97th visit with a failed yes/no item in the last two months gets a dispute.
        let failed = v
            .answers
            .iter()
            .find(|(_, a)| a.as_str() == Some("no"))
            .map(|(k, _)| k.clone());
        if n % 97 == 0
            && v.visited_at.as_str() >= "2026-09"
            && let (Some(item), Some(manager)) = (failed, ids_of.managers.get(&v.branch))
        {
            let state = DisputeStatus::ALL[disputed % 3];
            let resolved = (state != DisputeStatus::Open).then_some(approved + Duration::days(3));
            let dispute = DisputeId::from(format!("d-{}", v.id));
            db::disputes::insert(
                conn,
                &db::disputes::DisputeRow {
                    id: dispute.clone(),
                    visit_id: visit_id.clone(),
                    item_key: item.clone(),
                    reason: DISPUTE_REASONS[disputed % DISPUTE_REASONS.len()].to_owned(),
                    evidence: None,
                    status: DisputeStatus::Open,
                    raised_by: manager.into(),
                    resolution: None,
                    resolved_by: None,
                    resolved_at: None,
                    created_at: approved + Duration::days(1),
                    updated_at: approved + Duration::days(1),
                },
            )?;
            if let Some(when) = resolved {
                // A separate update, as QA's resolution is: the scores counter follows it.
                db::disputes::resolve(
                    conn,
                    &dispute,
                    &db::disputes::Decision {
                        outcome: state,
                        reason: if state == DisputeStatus::Upheld {
                            "التسجيل يؤكد ما ورد في تقرير الزيارة"
                        } else {
                            "Evidence accepted: the item is set aside for this visit"
                        },
                        by: &qa,
                        at: when,
                    },
                )?;
            }
            disputed += 1;
        }
    }
    // Action plans for the last period in every third branch.
    let mut codes: Vec<&String> = ids_of.branches.keys().collect();
    codes.sort();
    for (i, code) in codes.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        let (branch_id, ..) = &ids_of.branches[*code];
        for k in 0..2 {
            let (action, owner) = ACTIONS[(i + k) % ACTIONS.len()];
            let state = [
                ActionStatus::Done,
                ActionStatus::InProgress,
                ActionStatus::Open,
            ][(i + k) % 3];
            let due_on =
                chrono::NaiveDate::from_ymd_opt(2026, 11, 30 - k as u32).unwrap_or_default();
            let manager = ids_of.managers.get(*code).map(UserId::from);
            db::action_items::insert(
                conn,
                &db::action_items::NewAction {
                    id: &format!("act-{code}-{k}").into(),
                    branch_id: &branch_id.as_str().into(),
                    period: "2026-10",
                    item_key: None,
                    section_key: None,
                    action,
                    owner,
                    due_on,
                    status: state,
                    done_at: (state == ActionStatus::Done).then_some(now),
                    created_by: manager.as_ref(),
                    created_at: now,
                    updated_at: now,
                },
            )?;
        }
    }
    // Two open assignments per shopper, from today on, at branches they have not just visited.
    let mut shoppers: Vec<(&String, &String)> = ids_of.shoppers.iter().collect();
    shoppers.sort();
    let branch_checklist: HashMap<&str, &str> = demo
        .organisation
        .branches
        .iter()
        .map(|b| (b.code.as_str(), b.checklist.as_str()))
        .collect();
    let latest: HashMap<&str, i32> =
        ids_of
            .checklists
            .keys()
            .fold(HashMap::new(), |mut m, (k, v)| {
                let e = m.entry(k.as_str()).or_insert(*v);
                *e = (*e).max(*v);
                m
            });
    let start = now.date().and_hms_opt(0, 0, 0).unwrap_or(now);
    for (i, (_, shopper)) in shoppers.iter().enumerate() {
        for k in 0..2 {
            let code = codes[(i * 5 + k * 11) % codes.len()];
            let (branch_id, ..) = &ids_of.branches[code];
            let key = branch_checklist
                .get(code.as_str())
                .copied()
                .unwrap_or("retail-store-visit");
            let Some(version) = latest.get(key) else {
                continue;
            };
            let checklist_id = &ids_of.checklists[&(key.to_owned(), *version)];
            db::assignments::insert(
                conn,
                &db::assignments::NewAssignment {
                    id: &format!("a-open-{}-{k}", i + 1).into(),
                    campaign_id: None,
                    shopper_id: &shopper.as_str().into(),
                    branch_id: &branch_id.as_str().into(),
                    team_id: None,
                    checklist_id: &checklist_id.as_str().into(),
                    window_start: start - Duration::days(1),
                    window_end: start + Duration::days(14),
                    scenario: None,
                    status: if k == 0 {
                        AssignmentStatus::Accepted
                    } else {
                        AssignmentStatus::Offered
                    },
                    calibration: None,
                    created_by: &qa,
                    created_at: now,
                    updated_at: now,
                },
            )?;
        }
    }
    Ok(photos)
}

/// `customer-service` → `Customer service`.
fn english_team_name(code: &str) -> String {
    let spaced = code.replace('-', " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
