//! Seeds a database with a synthetic organisation and many approved visits, fast, for the
//! score endpoints' load test (`bench/scores_load.sh`).
//!
//! ```sh
//! cargo build --release -p sirr-server --examples
//! target/release/examples/seed_scores DATABASE_URL VISITS ADMIN_EMAIL ADMIN_PASSWORD
//! ```
//!
//! `DATABASE_URL` is a SQLite file path or `postgres://…` naming an empty database (migrations
//! are applied). The organisation and visits come from the scoring crate's demo generator with
//! the example checklists (`examples/checklists/*.json`); about 200 visits per branch, no
//! calibration. Rows are written in large multi-row inserts inside one transaction per batch.
//! Prints `branch_id=…`, `period=…` (the latest month) and `visits=…` on standard output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::json;
use sirr_demo::{DemoOptions, stream};
use sirr_server::auth::password;
use sirr_store::schema::{assignments, branches, checklists, regions, teams, users, visits};
use sirr_store::{self as db, DbConnection, ids};

/// A multi-row INSERT on the concrete backend (diesel's `MultiConnection` has no batch insert).
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            DbConnection::Sqlite(c) => diesel::insert_into($table).values($rows).execute(c),
            DbConnection::Postgresql(c) => diesel::insert_into($table).values($rows).execute(c),
        }
    };
}

/// Rows per multi-row INSERT (visits have 18 columns; bundled SQLite allows 32,766 bind
/// parameters, PostgreSQL 65,535).
const BATCH: usize = 1_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: seed_scores DATABASE_URL VISITS ADMIN_EMAIL ADMIN_PASSWORD");
        std::process::exit(2);
    }
    let (url, wanted, email, admin_password) = (
        &args[1],
        args[2].parse::<usize>().expect("VISITS is a number"),
        &args[3],
        &args[4],
    );
    let started = Instant::now();
    drop(db::connect(url, 1, Duration::from_secs(30)).expect("database (migrations)"));
    let mut conn = db::Manager::new(url.as_str(), Duration::from_secs(30))
        .open()
        .expect("database");

    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/checklists");
    let mut documents = Vec::new();
    for name in [
        "bank-branch-visit",
        "government-service-centre-visit",
        "retail-store-visit",
    ] {
        let text = std::fs::read_to_string(format!("{root}/{name}.json")).expect("checklist");
        let (checklist, _) = sirr_checklist::from_json_str(&text).expect("valid checklist");
        documents.push((checklist, text));
    }
    let checklist_list: Vec<_> = documents.iter().map(|(c, _)| c.clone()).collect();
    let options = DemoOptions {
        seed: 7,
        regions: 6,
        branches: (wanted / 180 + 1).max(4),
        shoppers: (wanted / 500).clamp(10, 1_000),
        visits_per_branch: (150, 300),
        months: 12,
        calibration_share: 0.0,
        ..DemoOptions::default()
    };
    let mut demo = stream(&checklist_list, &options).expect("demo options");
    let organisation = demo.organisation().clone();
    let now = db::now();

    let hash = password::hash(admin_password).expect("hash");
    let mut user_rows = vec![(
        ids::new_id(),
        email.clone(),
        "Administrator".to_owned(),
        "admin",
    )];
    let mut shopper_id = HashMap::new();
    for s in &organisation.shoppers {
        let id = ids::new_id();
        shopper_id.insert(s.code.clone(), id.clone());
        user_rows.push((
            id,
            format!("{}@bench.sirr", s.code.to_lowercase()),
            format!("Shopper {}", s.code),
            "shopper",
        ));
    }
    let mut region_id = HashMap::new();
    let mut branch_id = HashMap::new();
    let mut team_id = HashMap::new();
    let mut checklist_id = HashMap::new();
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        for chunk in user_rows.chunks(BATCH) {
            let rows: Vec<_> = chunk
                .iter()
                .map(|(id, email, name, role)| {
                    (
                        users::id.eq(id),
                        users::email.eq(email),
                        users::name.eq(name),
                        users::role.eq(*role),
                        users::password_hash.eq(&hash),
                        users::active.eq(true),
                        users::created_at.eq(now),
                        users::updated_at.eq(now),
                    )
                })
                .collect();
            insert_rows!(conn, users::table, rows)?;
        }
        for r in &organisation.regions {
            let id = ids::new_id();
            diesel::insert_into(regions::table)
                .values((
                    regions::id.eq(&id),
                    regions::code.eq(&r.code),
                    regions::names.eq(json!({"en": r.name_en, "ar": r.name_ar}).to_string()),
                    regions::created_at.eq(now),
                    regions::updated_at.eq(now),
                ))
                .execute(conn)?;
            region_id.insert(r.code.clone(), id);
        }
        for b in &organisation.branches {
            let id = ids::new_id();
            diesel::insert_into(branches::table)
                .values((
                    branches::id.eq(&id),
                    branches::code.eq(&b.code),
                    branches::region_id.eq(&region_id[&b.region]),
                    branches::names.eq(json!({"en": b.name_en, "ar": b.name_ar}).to_string()),
                    branches::city.eq(json!({"en": b.city_en, "ar": b.city_ar}).to_string()),
                    branches::lat.eq(Some(b.lat)),
                    branches::lon.eq(Some(b.lon)),
                    branches::created_at.eq(now),
                    branches::updated_at.eq(now),
                ))
                .execute(conn)?;
            for t in &b.teams {
                let tid = ids::new_id();
                diesel::insert_into(teams::table)
                    .values((
                        teams::id.eq(&tid),
                        teams::branch_id.eq(&id),
                        teams::code.eq(t),
                        teams::names.eq(json!({"en": t, "ar": t}).to_string()),
                        teams::created_at.eq(now),
                        teams::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                team_id.insert((b.code.clone(), t.clone()), tid);
            }
            branch_id.insert(b.code.clone(), id);
        }
        for (checklist, text) in &documents {
            let id = ids::new_id();
            diesel::insert_into(checklists::table)
                .values((
                    checklists::id.eq(&id),
                    checklists::key.eq(checklist.key.as_str()),
                    checklists::version.eq(checklist.version as i32),
                    checklists::status.eq("published"),
                    checklists::document.eq(text),
                    checklists::content_hash.eq(Some(checklist.content_hash())),
                    checklists::created_at.eq(now),
                    checklists::updated_at.eq(now),
                    checklists::published_at.eq(Some(now)),
                ))
                .execute(conn)?;
            checklist_id.insert((checklist.key.as_str().to_owned(), checklist.version), id);
        }
        Ok(())
    })
    .expect("organisation");

    let mut written = 0;
    let mut last_month = String::new();
    let mut first_branch = String::new();
    loop {
        let batch: Vec<_> = demo.by_ref().take(BATCH.min(wanted - written)).collect();
        if batch.is_empty() {
            break;
        }
        let mut a_rows = Vec::with_capacity(batch.len());
        let mut v_rows = Vec::with_capacity(batch.len());
        for v in &batch {
            let utc = chrono::DateTime::parse_from_rfc3339(&v.visited_at)
                .expect("visited_at")
                .naive_utc();
            let assignment = ids::new_id();
            let branch = branch_id[&v.branch].clone();
            if first_branch.is_empty() {
                first_branch.clone_from(&branch);
            }
            let team = v
                .team
                .as_ref()
                .and_then(|t| team_id.get(&(v.branch.clone(), t.clone())))
                .cloned();
            let checklist =
                checklist_id[&(v.checklist.as_str().to_owned(), v.checklist_version)].clone();
            let shopper = shopper_id[&v.shopper].clone();
            last_month = last_month.max(v.visited_at[..7].to_owned());
            a_rows.push((
                assignments::id.eq(assignment.clone()),
                assignments::shopper_id.eq(shopper.clone()),
                assignments::branch_id.eq(branch.clone()),
                assignments::team_id.eq(team.clone()),
                assignments::checklist_id.eq(checklist.clone()),
                assignments::window_start.eq(utc - chrono::Duration::hours(6)),
                assignments::window_end.eq(utc + chrono::Duration::hours(6)),
                assignments::scenario.eq(v.scenario.clone()),
                assignments::status.eq("approved"),
                assignments::created_at.eq(now),
                assignments::updated_at.eq(now),
            ));
            v_rows.push((
                visits::id.eq(ids::new_id()),
                visits::assignment_id.eq(assignment),
                visits::shopper_id.eq(shopper),
                visits::branch_id.eq(branch),
                visits::team_id.eq(team),
                visits::checklist_id.eq(checklist),
                visits::status.eq("approved"),
                visits::revision.eq(1),
                visits::answers.eq(serde_json::Value::Object(v.answers.clone()).to_string()),
                visits::comments.eq(serde_json::to_string(&v.comments).expect("comments")),
                visits::checked_in_at.eq(Some(v.visited_at.clone())),
                visits::checked_in_utc.eq(Some(utc)),
                visits::duration_s.eq(v.duration_s),
                visits::flags.eq("[]"),
                visits::submitted_at.eq(Some(now)),
                visits::approved_at.eq(Some(now)),
                visits::created_at.eq(now),
                visits::updated_at.eq(now),
            ));
        }
        insert_batch(&mut conn, a_rows, v_rows);
        written += batch.len();
        if written >= wanted {
            break;
        }
    }
    // As after any bulk load: the triggers updated the change counters once per visit, and the
    // planner knows nothing of the new rows yet.
    if let DbConnection::Postgresql(c) = &mut conn {
        use diesel::connection::SimpleConnection;
        c.batch_execute("VACUUM ANALYZE").expect("vacuum");
    }
    eprintln!(
        "seeded {written} approved visits, {} branches, {} shoppers in {:.1} s",
        organisation.branches.len(),
        organisation.shoppers.len(),
        started.elapsed().as_secs_f64()
    );
    println!("branch_id={first_branch}");
    println!("period={last_month}");
    println!("visits={written}");
}

fn insert_batch<A, V>(conn: &mut DbConnection, a_rows: Vec<A>, v_rows: Vec<V>)
where
    A: diesel::Insertable<assignments::table>,
    V: diesel::Insertable<visits::table>,
    Vec<A>: diesel::Insertable<assignments::table>,
    Vec<V>: diesel::Insertable<visits::table>,
    diesel::query_builder::InsertStatement<
        assignments::table,
        <Vec<A> as diesel::Insertable<assignments::table>>::Values,
    >: diesel::query_dsl::methods::ExecuteDsl<diesel::SqliteConnection>
        + diesel::query_dsl::methods::ExecuteDsl<diesel::PgConnection>,
    diesel::query_builder::InsertStatement<
        visits::table,
        <Vec<V> as diesel::Insertable<visits::table>>::Values,
    >: diesel::query_dsl::methods::ExecuteDsl<diesel::SqliteConnection>
        + diesel::query_dsl::methods::ExecuteDsl<diesel::PgConnection>,
{
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        insert_rows!(conn, assignments::table, a_rows)?;
        insert_rows!(conn, visits::table, v_rows)?;
        Ok(())
    })
    .expect("visits");
}
