//! The `users` table: an account as the administration reads it, and writing a new account —
//! one insert for the first admin, the admin's users screen, `sirr user add` and the demo (bulk
//! onboarding inserts its rows in batches, in the server's `import/users.rs`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::ids::UserId;
use super::schema::users;
use super::status::Role;

/// An account as the administration reads it (never its password hash).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// Id.
    pub id: UserId,
    /// Sign-in address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Whether it may sign in.
    pub active: bool,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// Every account (only those of `role` when given), by address.
pub fn all(conn: &mut DbConnection, role: Option<Role>) -> QueryResult<Vec<UserRow>> {
    let mut query = users::table
        .select(UserRow::as_select())
        .order(users::email)
        .into_boxed();
    if let Some(role) = role {
        query = query.filter(users::role.eq(role));
    }
    query.load(conn)
}

/// Account `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: &UserId) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// What a new account is made of.
pub struct NewUser<'a> {
    /// Sign-in address, already trimmed and lower-cased.
    pub email: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Role.
    pub role: Role,
    /// The argon2 hash of its password (or the marker of an account without one).
    pub password_hash: &'a str,
}

/// Stores `new` as an active account created at `now`; returns its id. A taken address fails
/// with the database's unique violation, for the caller to word.
pub fn insert(
    conn: &mut DbConnection,
    new: &NewUser<'_>,
    now: NaiveDateTime,
) -> QueryResult<UserId> {
    let id = UserId::generate();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::email.eq(new.email),
            users::name.eq(new.name),
            users::role.eq(new.role),
            users::password_hash.eq(new.password_hash),
            users::active.eq(true),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The role of user `id`, and whether the account is active; `None` when there is no such user.
pub fn role_of(conn: &mut DbConnection, id: &UserId) -> QueryResult<Option<(Role, bool)>> {
    users::table
        .find(id)
        .select((users::role, users::active))
        .first(conn)
        .optional()
}

/// What a password check needs of an account.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Credentials {
    /// The sign-in address.
    pub email: String,
    /// The stored argon2id hash.
    pub password_hash: String,
}

/// The credentials of user `id`; `None` when there is no such user.
pub fn credentials(conn: &mut DbConnection, id: &UserId) -> QueryResult<Option<Credentials>> {
    users::table
        .find(id)
        .select((users::email, users::password_hash))
        .first(conn)
        .optional()
}

/// Replaces the password hash of user `id`, changed at `now`; whether there was such a user.
pub fn set_password_hash(
    conn: &mut DbConnection,
    id: &UserId,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(changed > 0)
}

/// How many accounts there are (none: the first admin is still to be made).
pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// The id of the account with address `email`, if any.
pub fn id_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<UserId>> {
    users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(conn)
        .optional()
}

/// Sets the password hash of user `id` and activates the account, at `now` (an administrator's
/// reset from the shell); whether there was such a user.
pub fn reset_password(
    conn: &mut DbConnection,
    id: &UserId,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::active.eq(true),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Who someone is, as QA see them on a record they touched.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Contact {
    /// Id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Address.
    pub email: String,
}

/// The users among `ids` (unknown ids are left out).
pub fn contacts(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<Contact>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name, users::email))
        .load(conn)
}

/// Whether another account (not `except`) has `email`.
pub fn email_taken(
    conn: &mut DbConnection,
    email: &str,
    except: Option<&UserId>,
) -> QueryResult<bool> {
    let mut query = users::table.filter(users::email.eq(email)).into_boxed();
    if let Some(except) = except {
        query = query.filter(users::id.ne(except.clone()));
    }
    Ok(query.count().get_result::<i64>(conn)? > 0)
}

/// How many active admins there are besides `except`.
pub fn other_active_admins(conn: &mut DbConnection, except: &UserId) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(Role::Admin))
        .filter(users::active.eq(true))
        .filter(users::id.ne(except))
        .count()
        .get_result(conn)
}

/// What an admin may change of an account.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserPatch<'a> {
    /// Sign-in address.
    pub email: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Role.
    pub role: Role,
    /// Whether the account may sign in.
    pub active: bool,
    /// When.
    pub updated_at: NaiveDateTime,
}

/// Writes `patch` to user `id`; the number of rows changed. A taken address fails with the
/// database's unique violation, for the caller to word.
pub fn update(conn: &mut DbConnection, id: &UserId, patch: &UserPatch<'_>) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(patch)
        .execute(conn)
}

/// The display names of the users among `ids`.
pub fn names(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<crate::planning::NamedUser>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name))
        .load(conn)
}

/// An account as signing in and its own settings see it (the password hash included: never
/// send it anywhere).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct Account {
    /// Id.
    pub id: UserId,
    /// Sign-in address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Whether it may sign in.
    pub active: bool,
    /// The argon2id hash of the password.
    pub password_hash: String,
    /// The language chosen for letters and screens, if any.
    pub language: Option<String>,
    /// Whether it gets e-mail notifications.
    pub email_notifications: bool,
}

/// The account with address `email`, if any.
pub fn account_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<Account>> {
    users::table
        .filter(users::email.eq(email))
        .select(Account::as_select())
        .first(conn)
        .optional()
}

/// Account `id`, if it exists.
pub fn account(conn: &mut DbConnection, id: &UserId) -> QueryResult<Option<Account>> {
    users::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
        .optional()
}

/// Sets what is given of user `id`'s own preferences: the language (`Some(None)` forgets it)
/// and e-mail notifications.
pub fn set_preferences(
    conn: &mut DbConnection,
    id: &UserId,
    language: Option<Option<&str>>,
    notifications: Option<bool>,
) -> QueryResult<()> {
    if let Some(language) = language {
        diesel::update(users::table.find(id))
            .set(users::language.eq(language))
            .execute(conn)?;
    }
    if let Some(on) = notifications {
        diesel::update(users::table.find(id))
            .set(users::email_notifications.eq(on))
            .execute(conn)?;
    }
    Ok(())
}

/// The active shoppers' ids, by id.
pub fn active_shopper_ids(conn: &mut DbConnection) -> QueryResult<Vec<UserId>> {
    active_ids_with_role(conn, Role::Shopper)
}

/// The ids of the active users with `role`, in id order.
pub fn active_ids_with_role(conn: &mut DbConnection, role: Role) -> QueryResult<Vec<UserId>> {
    users::table
        .filter(users::role.eq(role))
        .filter(users::active.eq(true))
        .select(users::id)
        .order(users::id)
        .load(conn)
}

/// What a letter to a user needs of their account.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct MailSettings {
    /// Their address.
    pub email: String,
    /// The language they chose, if any.
    pub language: Option<String>,
    /// Whether they take notification e-mail.
    pub email_notifications: bool,
    /// Whether the account is active.
    pub active: bool,
}

/// The mail settings of user `id`, if there is such a user.
pub fn mail_settings(conn: &mut DbConnection, id: &UserId) -> QueryResult<Option<MailSettings>> {
    users::table
        .find(id)
        .select(MailSettings::as_select())
        .first(conn)
        .optional()
}

/// The language user `id` chose, if there is such a user and they chose one.
pub fn language_of(conn: &mut DbConnection, id: &UserId) -> QueryResult<Option<String>> {
    users::table
        .find(id)
        .select(users::language)
        .first::<Option<String>>(conn)
        .optional()
        .map(Option::flatten)
}

/// An account as the spreadsheet import compares it with a row (never its password hash).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct Profile {
    /// Id.
    pub id: UserId,
    /// Sign-in address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Whether it may sign in.
    pub active: bool,
    /// The language chosen, if any.
    pub language: Option<String>,
}

/// Every account's profile.
pub fn profiles(conn: &mut DbConnection) -> QueryResult<Vec<Profile>> {
    users::table.select(Profile::as_select()).load(conn)
}

/// The address of user `id`, if there is such a user.
pub fn email_of(conn: &mut DbConnection, id: &UserId) -> QueryResult<Option<String>> {
    users::table
        .find(id)
        .select(users::email)
        .first(conn)
        .optional()
}

/// A new account of a spreadsheet import: active, with its language, and no usable password
/// until its invitation is taken.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct ImportedUser {
    /// Its key.
    pub id: UserId,
    /// Sign-in address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// The marker of an account without a password.
    pub password_hash: String,
    /// Always true when new.
    pub active: bool,
    /// The language chosen, if any.
    pub language: Option<String>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Changed (= created).
    pub updated_at: NaiveDateTime,
}

/// Stores many new accounts in multi-row statements. A taken address fails the whole batch with
/// the database's unique violation.
pub fn insert_many(conn: &mut DbConnection, rows: &[ImportedUser]) -> QueryResult<()> {
    crate::insert_all!(conn, users::table, rows);
    Ok(())
}

/// Sets the name, role and language of user `id` at `now` (a spreadsheet import's update).
pub fn set_profile(
    conn: &mut DbConnection,
    id: &UserId,
    name: &str,
    role: Role,
    language: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::name.eq(name),
            users::role.eq(role),
            users::language.eq(language),
            users::updated_at.eq(now),
        ))
        .execute(conn)
}
