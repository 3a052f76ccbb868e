//! `sirr serve`: the HTTP server.

use std::io::Write;
use std::process::ExitCode;

use crate::config::{Overrides, Settings};
use crate::startup::{AdminSeed, Application, Bootstrap};
use crate::telemetry;

/// Runs the server until SIGINT/SIGTERM. Exit 0 after a graceful stop, 2 when it cannot start.
pub fn run(overrides: &Overrides, demo: bool) -> ExitCode {
    let settings = match Settings::load(overrides) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sirr: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log);
    let system = actix_web::rt::System::new();
    let result = system.block_on(async move {
        let app = Application::build_with(settings, AdminSeed::from_env(), demo)?;
        announce(&app);
        app.run_until_stopped()
            .await
            .map_err(|e| crate::startup::StartError::Other(e.to_string()))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sirr: {e}");
            ExitCode::from(2)
        }
    }
}

/// Prints the admin account (when just created: its password, or that it was invited) and the `listening on` line (SPEC §9.21: a plain
/// line on standard output, flushed at once, whatever the log format).
fn announce(app: &Application) {
    let mut out = std::io::stdout().lock();
    match &app.bootstrap {
        Bootstrap::Generated { email, password } => {
            let _ = writeln!(
                out,
                "created the first admin: {email}\none-time password: {password}\n(it is not \
                 shown again; change it with `sirr user reset-password --email {email}`)"
            );
        }
        Bootstrap::FromEnvironment(email) => {
            let _ = writeln!(out, "created the first admin {email} from SIRR_ADMIN_EMAIL");
        }
        Bootstrap::Invited {
            email,
            until,
            failure: None,
        } => {
            let _ = writeln!(
                out,
                "created the first admin {email} from SIRR_ADMIN_EMAIL\ninvited by e-mail: the \
                 letter's link sets the password (it works once, until {} UTC)",
                until.format("%Y-%m-%d %H:%M")
            );
        }
        Bootstrap::Invited {
            email,
            until,
            failure: Some((error, url)),
        } => {
            let _ = writeln!(
                out,
                "created the first admin {email} from SIRR_ADMIN_EMAIL\nthe invitation letter \
                 could not be sent ({error}); open this link to set the password (it works \
                 once, until {} UTC, and is not shown again):\n{url}",
                until.format("%Y-%m-%d %H:%M")
            );
        }
        Bootstrap::Existing => {}
    }
    if !app.demo_accounts.is_empty() {
        let _ = writeln!(
            out,
            "demo organisation created; every account's password is {}:",
            crate::seed::DEMO_PASSWORD
        );
        for email in &app.demo_accounts {
            let _ = writeln!(out, "  {email}");
        }
    }
    let _ = writeln!(out, "listening on {}", app.url());
    let _ = out.flush();
}
