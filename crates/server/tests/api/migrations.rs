//! Every migration runs up, down and up again on the backend under test, and the schema in
//! `db/schema.rs` matches the tables.

use diesel::prelude::*;
use sirr_store::{self as db, schema};

use crate::helpers::spawn_app;

#[test]
fn migrations_go_up_down_and_up_again() {
    let app = spawn_app();
    let manager = db::Manager::new(&app.database_url, std::time::Duration::from_secs(5));
    let mut conn = manager.open().unwrap();
    // Every table answers a typed query through the schema.
    let _: i64 = schema::regions::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    let _: Vec<(String, String, String, bool)> = schema::users::table
        .select((
            schema::users::id,
            schema::users::email,
            schema::users::role,
            schema::users::active,
        ))
        .load(&mut conn)
        .unwrap();
    let _: i64 = schema::checklists::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    let _: i64 = schema::refresh_tokens::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    let _: i64 = schema::access_tokens::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    let _: i64 = schema::login_attempts::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    let _: i64 = schema::teams::table.count().get_result(&mut conn).unwrap();
    let _: i64 = schema::user_scopes::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    let _: i64 = schema::settings::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    // The server stays up (idle) so that its PostgreSQL schema lives until the end.
    db::revert_all(&mut conn).unwrap();
    assert!(
        schema::users::table
            .count()
            .get_result::<i64>(&mut conn)
            .is_err()
    );
    db::migrate(&mut conn).unwrap();
    let users: i64 = schema::users::table.count().get_result(&mut conn).unwrap();
    assert_eq!(users, 0);
}
