//! The organisation's name per language, kept in `settings` under [`NAMES_KEY`] (the PDF reports
//! read it too).

use diesel::prelude::*;

use super::DbConnection;
use super::names::{Names, names_from_db, names_to_db};
use super::schema::settings;

/// The settings key of the organisation's name per language (`{"en": …, "ar": …}`).
pub const NAMES_KEY: &str = "organisation.names";

/// The stored names; empty when nobody named the organisation yet.
pub fn names(conn: &mut DbConnection) -> QueryResult<Names> {
    Ok(settings::table
        .find(NAMES_KEY)
        .select(settings::value)
        .first::<String>(conn)
        .optional()?
        .map(|v| names_from_db(&v))
        .unwrap_or_default())
}

/// Replaces the stored names (in the caller's transaction).
pub fn set_names(conn: &mut DbConnection, names: &Names) -> QueryResult<()> {
    let value = names_to_db(names);
    let changed = diesel::update(settings::table.find(NAMES_KEY))
        .set(settings::value.eq(&value))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(settings::table)
            .values((settings::key.eq(NAMES_KEY), settings::value.eq(&value)))
            .execute(conn)?;
    }
    Ok(())
}
