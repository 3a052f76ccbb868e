//! `sirr serve --demo`: a bilingual demo organisation for newcomers — regions, branches with
//! Arabic and English names, teams, the example checklists published, and the demo accounts of
//! SPEC §6 (all with the password `demo-password`). Seeding happens once, into an empty
//! database; later starts with `--demo` leave the data alone.

use diesel::prelude::*;
use sirr_scoring::demo::{DemoOptions, stream};

use crate::api::types::names_to_db;
use crate::auth::{Role, ScopeKind, password};
use crate::commands::demo::example_checklists;
use crate::db::schema::{branches, checklists, regions, teams, user_scopes, users};
use crate::db::{self, DbConnection, ids};

/// The demo password (SPEC §6).
pub const DEMO_PASSWORD: &str = "demo-password";

/// What was seeded, for the start-up message.
#[derive(Debug, Clone, Default)]
pub struct Seeded {
    /// Every demo account's email, admin first.
    pub accounts: Vec<String>,
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
        regions: 4,
        branches: 16,
        shoppers: 8,
        ..DemoOptions::default()
    };
    let generated = stream(&checklists_docs, &options).map_err(|e| e.to_string())?;
    let org = generated.organisation().clone();
    // One hash for every demo account: they share the published demo password anyway.
    let hash = password::hash(DEMO_PASSWORD)?;
    let now = db::now();
    conn.transaction(|conn| -> Result<Seeded, diesel::result::Error> {
        let mut region_ids = std::collections::HashMap::new();
        for r in &org.regions {
            let id = ids::new_id();
            diesel::insert_into(regions::table)
                .values((
                    regions::id.eq(&id),
                    regions::code.eq(&r.code),
                    regions::names.eq(names_to_db(
                        &[
                            ("en".to_owned(), r.name_en.clone()),
                            ("ar".to_owned(), r.name_ar.clone()),
                        ]
                        .into_iter()
                        .collect(),
                    )),
                    regions::created_at.eq(now),
                    regions::updated_at.eq(now),
                ))
                .execute(conn)?;
            region_ids.insert(r.code.clone(), id);
        }
        let mut branch_ids = Vec::new();
        for b in &org.branches {
            let id = ids::new_id();
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
            diesel::insert_into(branches::table)
                .values((
                    branches::id.eq(&id),
                    branches::code.eq(&b.code),
                    branches::region_id.eq(region_ids.get(&b.region).cloned().unwrap_or_default()),
                    branches::names.eq(names_to_db(&names)),
                    branches::city.eq(names_to_db(&city)),
                    branches::lat.eq(Some(b.lat)),
                    branches::lon.eq(Some(b.lon)),
                    branches::created_at.eq(now),
                    branches::updated_at.eq(now),
                ))
                .execute(conn)?;
            for team in &b.teams {
                let names = [("en".to_owned(), team.replace('-', " "))]
                    .into_iter()
                    .collect();
                diesel::insert_into(teams::table)
                    .values((
                        teams::id.eq(ids::new_id()),
                        teams::branch_id.eq(&id),
                        teams::code.eq(team),
                        teams::names.eq(names_to_db(&names)),
                        teams::created_at.eq(now),
                        teams::updated_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            branch_ids.push((b.code.to_lowercase(), id));
        }
        for c in &checklists_docs {
            diesel::insert_into(checklists::table)
                .values((
                    checklists::id.eq(ids::new_id()),
                    checklists::key.eq(c.key.as_str()),
                    checklists::version.eq(c.version as i32),
                    checklists::status.eq("published"),
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
         -> Result<(), diesel::result::Error> {
            let id = ids::new_id();
            diesel::insert_into(users::table)
                .values((
                    users::id.eq(&id),
                    users::email.eq(&email),
                    users::name.eq(name),
                    users::role.eq(role.as_str()),
                    users::password_hash.eq(&hash),
                    users::active.eq(true),
                    users::created_at.eq(now),
                    users::updated_at.eq(now),
                ))
                .execute(conn)?;
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
            Ok(())
        };
        add(
            conn,
            "admin@demo.sirr".into(),
            "Demo Admin",
            Role::Admin,
            None,
        )?;
        add(conn, "qa@demo.sirr".into(), "فريق الجودة", Role::Qa, None)?;
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
            add(
                conn,
                format!("manager.{code}@demo.sirr"),
                &format!("Manager {}", code.to_uppercase()),
                Role::Manager,
                Some((ScopeKind::Branch, id)),
            )?;
        }
        for (i, shopper) in org.shoppers.iter().enumerate() {
            add(
                conn,
                format!("shopper{}@demo.sirr", i + 1),
                &shopper.code,
                Role::Shopper,
                None,
            )?;
        }
        Ok(Seeded { accounts })
    })
    .map_err(|e| e.to_string())
}
