//! Organisation-wide settings kept in the `settings` table: the organisation's name per language
//! (under [`NAMES_KEY`]; the PDF reports read it too) and the rotation rule's revisit window.

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

/// The settings key of the rotation rule: a shopper may not visit a branch again within this
/// many days.
pub const REVISIT_DAYS_KEY: &str = "rotation.revisit_days";

/// The revisit window in days (0, no rule, when never set).
pub fn revisit_days(conn: &mut DbConnection) -> QueryResult<i64> {
    let value: Option<String> = settings::table
        .find(REVISIT_DAYS_KEY)
        .select(settings::value)
        .first(conn)
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Sets the revisit window (in the caller's transaction).
pub fn set_revisit_days(conn: &mut DbConnection, days: i64) -> QueryResult<()> {
    diesel::delete(settings::table.find(REVISIT_DAYS_KEY)).execute(conn)?;
    diesel::insert_into(settings::table)
        .values((
            settings::key.eq(REVISIT_DAYS_KEY),
            settings::value.eq(days.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The value of setting `key`, storing `fresh` first if it has none (several processes asking
/// at once all read the one value stored first).
pub fn setting_or_insert(conn: &mut DbConnection, key: &str, fresh: &str) -> QueryResult<String> {
    // Portable insert-if-absent: both engines accept ON CONFLICT … DO NOTHING.
    diesel::sql_query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    )
    .bind::<diesel::sql_types::Text, _>(key)
    .bind::<diesel::sql_types::Text, _>(fresh)
    .execute(conn)?;
    settings::table
        .find(key)
        .select(settings::value)
        .first(conn)
}
