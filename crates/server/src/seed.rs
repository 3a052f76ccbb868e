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
use sirr_store::names::names_to_db;
use sirr_store::schema::{
    action_items, assignments, attachments, checklists, disputes, regions, reviews, settings,
    user_scopes, visit_revisions, visits,
};
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
    let existing: i64 = regions::table
        .count()
        .get_result(conn)
        .map_err(|e| e.to_string())?;
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
        diesel::insert_into(settings::table)
            .values((
                settings::key.eq(sirr_store::organisation::NAMES_KEY),
                settings::value
                    .eq(json!({"en": "Sirr Demo Bank", "ar": "بنك سر التجريبي"}).to_string()),
            ))
            .execute(conn)?;
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
            diesel::insert_into(checklists::table)
                .values((
                    checklists::id.eq(checklist_id),
                    checklists::key.eq(c.key.as_str()),
                    checklists::version.eq(c.version as i32),
                    checklists::status.eq(ChecklistStatus::Published),
                    checklists::document.eq(c.to_json_value().to_string()),
                    checklists::content_hash.eq(Some(c.content_hash())),
                    checklists::created_at.eq(now),
                    checklists::updated_at.eq(now),
                    checklists::published_at.eq(Some(now)),
                ))
                .execute(conn)?;
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
            if let Some((kind, target)) = scope {
                diesel::insert_into(user_scopes::table)
                    .values((
                        user_scopes::user_id.eq(&id),
                        user_scopes::kind.eq(kind.as_str()),
                        user_scopes::target_id.eq(target),
                    ))
                    .execute(conn)?;
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
        diesel::insert_into(assignments::table)
            .values((
                assignments::id.eq(&assignment),
                assignments::shopper_id.eq(shopper),
                assignments::branch_id.eq(branch_id),
                assignments::team_id.eq(team_id),
                assignments::checklist_id.eq(checklist_id),
                assignments::window_start.eq(at - Duration::days(3)),
                assignments::window_end.eq(at + Duration::days(4)),
                assignments::scenario.eq(&v.scenario),
                assignments::status.eq(AssignmentStatus::Approved),
                assignments::calibration.eq(&v.calibration),
                assignments::created_by.eq(&ids_of.qa),
                assignments::created_at.eq(at - Duration::days(10)),
                assignments::updated_at.eq(at + Duration::days(2)),
            ))
            .execute(conn)?;
        // A few metres of GPS noise around the branch.
        let jitter = ((n % 7) as f64 - 3.0) * 0.00015;
        let answers = Value::Object(v.answers.clone()).to_string();
        let comments = json!(v.comments).to_string();
        let submitted = at + Duration::hours(2);
        let approved = at + Duration::days(2);
        diesel::insert_into(visits::table)
            .values((
                visits::id.eq(&v.id),
                visits::assignment_id.eq(&assignment),
                visits::shopper_id.eq(shopper),
                visits::branch_id.eq(branch_id),
                visits::team_id.eq(team_id),
                visits::checklist_id.eq(checklist_id),
                visits::status.eq(AssignmentStatus::Approved),
                visits::revision.eq(1),
                visits::answers.eq(&answers),
                visits::comments.eq(&comments),
                visits::checked_in_at.eq(&v.visited_at),
                visits::checked_in_utc.eq(at),
                visits::lat.eq(lat + jitter),
                visits::lon.eq(lon - jitter),
                visits::duration_s.eq(v.duration_s),
                visits::flags.eq("[]"),
                visits::submitted_at.eq(submitted),
                visits::approved_at.eq(approved),
                visits::created_at.eq(at),
                visits::updated_at.eq(approved),
            ))
            .execute(conn)?;
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
            diesel::insert_into(attachments::table)
                .values((
                    attachments::id.eq(&id),
                    attachments::assignment_id.eq(&assignment),
                    attachments::item_key.eq(&item),
                    attachments::content_type.eq("image/jpeg"),
                    attachments::size_bytes.eq(bytes.len() as i64),
                    attachments::sha256.eq(hex(&Sha256::digest(&bytes))),
                    attachments::storage_key.eq(&key),
                    attachments::captured_at.eq(taken),
                    attachments::captured_lat.eq(Some(lat + jitter)),
                    attachments::captured_lon.eq(Some(lon - jitter)),
                    attachments::uploaded_by.eq(shopper),
                    attachments::created_at.eq(submitted),
                ))
                .execute(conn)?;
            photos.push((key, bytes));
        }
        diesel::insert_into(visit_revisions::table)
            .values((
                visit_revisions::visit_id.eq(&v.id),
                visit_revisions::revision.eq(1),
                visit_revisions::answers.eq(&answers),
                visit_revisions::comments.eq(&comments),
                visit_revisions::checked_in_at.eq(&v.visited_at),
                visit_revisions::lat.eq(lat + jitter),
                visit_revisions::lon.eq(lon - jitter),
                visit_revisions::duration_s.eq(v.duration_s),
                visit_revisions::submitted_at.eq(submitted),
            ))
            .execute(conn)?;
        diesel::insert_into(reviews::table)
            .values((
                reviews::id.eq(format!("r-{}", v.id)),
                reviews::visit_id.eq(&v.id),
                reviews::revision.eq(1),
                reviews::reviewer_id.eq(&ids_of.qa),
                reviews::decision.eq(AssignmentStatus::Approved),
                reviews::note.eq(""),
                reviews::item_comments.eq("{}"),
                reviews::created_at.eq(approved),
            ))
            .execute(conn)?;
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
            diesel::insert_into(disputes::table)
                .values((
                    disputes::id.eq(format!("d-{}", v.id)),
                    disputes::visit_id.eq(&v.id),
                    disputes::item_key.eq(&item),
                    disputes::reason.eq(DISPUTE_REASONS[disputed % DISPUTE_REASONS.len()]),
                    disputes::evidence.eq(None::<String>),
                    disputes::status.eq(DisputeStatus::Open),
                    disputes::raised_by.eq(manager),
                    disputes::created_at.eq(approved + Duration::days(1)),
                    disputes::updated_at.eq(approved + Duration::days(1)),
                ))
                .execute(conn)?;
            if let Some(when) = resolved {
                // A separate update, as QA's resolution is: the scores counter follows it.
                diesel::update(disputes::table.find(format!("d-{}", v.id)))
                    .set((
                        disputes::status.eq(state),
                        disputes::resolution.eq(Some(if state == DisputeStatus::Upheld {
                            "التسجيل يؤكد ما ورد في تقرير الزيارة"
                        } else {
                            "Evidence accepted: the item is set aside for this visit"
                        })),
                        disputes::resolved_by.eq(Some(&ids_of.qa)),
                        disputes::resolved_at.eq(Some(when)),
                        disputes::updated_at.eq(when),
                    ))
                    .execute(conn)?;
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
            diesel::insert_into(action_items::table)
                .values((
                    action_items::id.eq(format!("act-{code}-{k}")),
                    action_items::branch_id.eq(branch_id),
                    action_items::period.eq("2026-10"),
                    action_items::item_key.eq(None::<String>),
                    action_items::section_key.eq(None::<String>),
                    action_items::action.eq(action),
                    action_items::owner.eq(owner),
                    action_items::due_on.eq(chrono::NaiveDate::from_ymd_opt(
                        2026,
                        11,
                        30 - k as u32,
                    )
                    .unwrap_or_default()),
                    action_items::status.eq(state),
                    action_items::done_at.eq((state == ActionStatus::Done).then_some(now)),
                    action_items::created_by.eq(ids_of.managers.get(*code)),
                    action_items::created_at.eq(now),
                    action_items::updated_at.eq(now),
                ))
                .execute(conn)?;
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
            diesel::insert_into(assignments::table)
                .values((
                    assignments::id.eq(format!("a-open-{}-{k}", i + 1)),
                    assignments::shopper_id.eq(*shopper),
                    assignments::branch_id.eq(branch_id),
                    assignments::checklist_id.eq(checklist_id),
                    assignments::window_start.eq(start - Duration::days(1)),
                    assignments::window_end.eq(start + Duration::days(14)),
                    assignments::status.eq(if k == 0 {
                        AssignmentStatus::Accepted
                    } else {
                        AssignmentStatus::Offered
                    }),
                    assignments::created_by.eq(&ids_of.qa),
                    assignments::created_at.eq(now),
                    assignments::updated_at.eq(now),
                ))
                .execute(conn)?;
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
