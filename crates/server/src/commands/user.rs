//! `sirr user add` and `sirr user reset-password`: manage accounts from the shell (for the first
//! admin, or when every admin is locked out).

use std::io::BufRead;
use std::process::ExitCode;

use diesel::prelude::*;

use crate::auth::{Role, password};
use crate::config::{Overrides, Settings};
use sirr_store::{self as db, DbConnection};

pub(crate) fn connect(overrides: &Overrides) -> Result<DbConnection, String> {
    let settings = Settings::load(overrides).map_err(|e| e.to_string())?;
    if db::Backend::of(&settings.database_url()) == db::Backend::Sqlite {
        crate::config::ensure_dir(&settings.server.data_dir).map_err(|e| e.to_string())?;
    }
    let manager = db::Manager::new(settings.database_url(), settings.busy_timeout());
    let mut conn = manager.open().map_err(|e| e.to_string())?;
    db::migrate(&mut conn).map_err(|e| e.to_string())?;
    Ok(conn)
}

/// The password from standard input (first line) when asked, else a generated one.
fn password_from(stdin: bool) -> Result<(String, bool), String> {
    if stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password: {e}"))?;
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        password::check_strength(&line).map_err(|e| format!("the password {e}"))?;
        Ok((line, false))
    } else {
        Ok((password::generate()?, true))
    }
}

/// `sirr user add --email E --name N --role R [--password-stdin]`.
pub fn add(overrides: &Overrides, email: &str, name: &str, role: &str, stdin: bool) -> ExitCode {
    let result = (|| -> Result<Option<String>, String> {
        let role = Role::parse(role)
            .ok_or_else(|| format!("unknown role '{role}': admin, qa, manager or shopper"))?;
        let email = email.trim().to_lowercase();
        if !email.contains('@') {
            return Err(format!("'{email}' is not an email address"));
        }
        let (password, generated) = password_from(stdin)?;
        let hash = password::hash(&password)?;
        let mut conn = connect(overrides)?;
        let now = db::now();
        let new = db::users::NewUser {
            email: &email,
            name,
            role,
            password_hash: &hash,
        };
        db::users::insert(&mut conn, &new, now).map_err(|e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => format!("a user with email {email} exists"),
            other => other.to_string(),
        })?;
        println!("added {} {email}", role.as_str());
        Ok(generated.then_some(password))
    })();
    finish(result)
}

/// `sirr user reset-password --email E [--password-stdin]`: sets a new password and ends every
/// session of the user.
pub fn reset_password(overrides: &Overrides, email: &str, stdin: bool) -> ExitCode {
    let result = (|| -> Result<Option<String>, String> {
        let email = email.trim().to_lowercase();
        let (password, generated) = password_from(stdin)?;
        let hash = password::hash(&password)?;
        let mut conn = connect(overrides)?;
        let now = db::now();
        let changed = conn
            .transaction(|conn| {
                sirr_store::lock_for_write(conn)?;
                let Some(id) = db::users::id_by_email(conn, &email)? else {
                    return Ok(0);
                };
                db::users::reset_password(conn, &id, &hash, now)?;
                db::refresh_tokens::revoke_all_of_user(conn, &id, now)?;
                // An open reset or invitation link would undo this.
                crate::auth::links::close_open(conn, &id, now)?;
                Ok::<_, diesel::result::Error>(1)
            })
            .map_err(|e| e.to_string())?;
        if changed == 0 {
            return Err(format!("no user with email {email}"));
        }
        println!("password reset for {email}; every session was ended");
        Ok(generated.then_some(password))
    })();
    finish(result)
}

fn finish(result: Result<Option<String>, String>) -> ExitCode {
    match result {
        Ok(Some(password)) => {
            println!("one-time password: {password}");
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sirr: {e}");
            ExitCode::from(2)
        }
    }
}
