//! E-mail through SMTP (SPEC §10.37): the reusable sending service ([`Mailer`], [`letter_for`])
//! and the notification letters of events ([`compose`]).
//!
//! Any code that must write to a user in their language (notifications here; password resets
//! elsewhere) does two things: [`letter_for`] reads the user's address, saved language and
//! opt-out, and [`Mailer::send_localized`] renders a subject and a body from Fluent messages
//! (`locales/{en,ar}/server.ftl`) in that language and sends them. Sending is blocking; call it
//! from a blocking thread.

use std::time::Duration;

use diesel::QueryResult;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use serde_json::Value;

use super::EventType;
use crate::auth::Role;
use crate::config::{SmtpSettings, StartTls};
use crate::i18n::{Lang, Msg};
use sirr_store::ids::UserId;
use sirr_store::status::DisputeStatus;
use sirr_store::{self as db, DbConnection};

/// Why a letter could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The settings do not make a transport.
    #[error("smtp settings: {0}")]
    Settings(String),
    /// The address or letter is not valid.
    #[error("letter: {0}")]
    Letter(String),
    /// The SMTP server refused or could not be reached.
    #[error("smtp: {0}")]
    Send(String),
}

/// An SMTP connection pool and the sender address, built from `[smtp]`.
#[derive(Clone)]
pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
}

impl Mailer {
    /// The mailer of these settings; `None` when no host is configured (no e-mail at all).
    pub fn from_settings(
        smtp: &SmtpSettings,
        timeout: Duration,
    ) -> Result<Option<Self>, MailError> {
        if smtp.host.is_empty() {
            return Ok(None);
        }
        let tls_parameters = || {
            TlsParameters::new(smtp.host.clone()).map_err(|e| MailError::Settings(e.to_string()))
        };
        let tls = match smtp.starttls {
            StartTls::Never => Tls::None,
            StartTls::Required => Tls::Required(tls_parameters()?),
            StartTls::Wrapper => Tls::Wrapper(tls_parameters()?),
            StartTls::Opportunistic => Tls::Opportunistic(tls_parameters()?),
        };
        let mut builder = SmtpTransport::builder_dangerous(&smtp.host)
            .port(smtp.port)
            .tls(tls)
            .timeout(Some(timeout));
        if !smtp.username.is_empty() {
            builder = builder.credentials(Credentials::new(
                smtp.username.clone(),
                smtp.password.expose().to_owned(),
            ));
        }
        let from = smtp
            .from
            .parse::<Mailbox>()
            .map_err(|e| MailError::Settings(format!("smtp.from: {e}")))?;
        Ok(Some(Self {
            transport: builder.build(),
            from,
        }))
    }

    /// Sends one plain-text letter.
    pub fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
        let to = to
            .parse::<Mailbox>()
            .map_err(|e| MailError::Letter(format!("address {to}: {e}")))?;
        let letter = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| MailError::Letter(e.to_string()))?;
        self.transport
            .send(&letter)
            .map(|_| ())
            .map_err(|e| MailError::Send(e.to_string()))
    }

    /// Renders `subject` and `body` in `lang` and sends them to `to`.
    pub fn send_localized(
        &self,
        to: &str,
        lang: Lang,
        subject: &Msg,
        body: &Msg,
    ) -> Result<(), MailError> {
        self.send(to, &subject.render(lang), &body.render(lang))
    }
}

/// The letter that carries a password link ([`crate::auth::links`]): subject and body in
/// `lang`, or — when the reader's language is not known (a first admin) — English and Arabic
/// one after the other. The link stands on a line of its own without the bidi marks Arabic puts
/// around arguments, so mail programs make the whole of it clickable.
pub fn password_letter(
    purpose: crate::auth::links::Purpose,
    lang: Option<Lang>,
    email: &str,
    url: &str,
    until: chrono::NaiveDateTime,
) -> (String, String) {
    use crate::auth::links::Purpose;
    let until = until.format("%Y-%m-%d %H:%M").to_string();
    let (subject, body) = match purpose {
        Purpose::Reset => (
            crate::msg!("mail-reset-subject"),
            crate::msg!(
                "mail-reset-body",
                email = email,
                until = until.as_str(),
                url = url
            ),
        ),
        Purpose::Invitation => (
            crate::msg!("mail-invitation-subject"),
            crate::msg!(
                "mail-invitation-body",
                email = email,
                until = until.as_str(),
                url = url
            ),
        ),
    };
    let render = |lang: Lang| {
        let text = body.render(lang);
        (
            subject.render(lang),
            text.replace(&format!("\u{2068}{url}\u{2069}"), url),
        )
    };
    match lang {
        Some(lang) => render(lang),
        None => {
            let (en_subject, en_body) = render(Lang::En);
            let (ar_subject, ar_body) = render(Lang::Ar);
            (
                format!("{en_subject} / {ar_subject}"),
                format!("{en_body}\n\n-----\n\n{ar_body}"),
            )
        }
    }
}

/// Where and how to write to a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    /// The address.
    pub email: String,
    /// Their saved language (English when none is saved).
    pub lang: Lang,
    /// Whether they take notification e-mail (`PATCH /api/v1/me {"email_notifications": …}`).
    /// Letters they asked for themselves (a password reset) ignore this.
    pub notifications: bool,
    /// Whether the account is active.
    pub active: bool,
}

/// A user's address, language and choices; `None` when there is no such user.
pub fn letter_for(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<Addressee>> {
    let row = db::users::mail_settings(conn, &user_id.into())?;
    Ok(row.map(|r| Addressee {
        email: r.email,
        lang: r
            .language
            .as_deref()
            .and_then(|l| Lang::parse(l).ok())
            .unwrap_or(Lang::En),
        notifications: r.email_notifications,
        active: r.active,
    }))
}

/// Who gets an e-mail about an event of this type: user ids. Shoppers hear of their own
/// assignments, QA of new disputes and of a review backlog, managers of the resolution of theirs
/// and that last month's reports are ready.
pub fn recipients(
    conn: &mut DbConnection,
    kind: EventType,
    data: &Value,
) -> QueryResult<Vec<String>> {
    let field = |name: &str| data.get(name).and_then(Value::as_str).map(str::to_owned);
    Ok(match kind {
        EventType::AssignmentOffered | EventType::VisitReturned => {
            field("shopper_id").into_iter().collect()
        }
        EventType::DisputeResolved => field("raised_by").into_iter().collect(),
        EventType::DisputeFiled | EventType::ReviewBacklog => {
            strings(db::users::active_ids_with_role(conn, Role::Qa)?)
        }
        EventType::ReportReady => strings(db::users::active_ids_with_role(conn, Role::Manager)?),
        _ => Vec::new(),
    })
}

/// The subject and body of the notification about an event, or `None` for types that send none.
pub fn compose(
    conn: &mut DbConnection,
    kind: EventType,
    data: &Value,
    lang: Lang,
) -> QueryResult<Option<(Msg, Msg)>> {
    let field = |name: &str| {
        data.get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let branch = branch_label(conn, &field("branch_id"), lang)?;
    let day = |name: &str| field(name).get(..10).unwrap_or_default().to_owned();
    Ok(match kind {
        EventType::AssignmentOffered => Some((
            crate::msg!("mail-assignment-offered-subject", branch = branch.clone()),
            crate::msg!(
                "mail-assignment-offered-body",
                branch = branch,
                start = day("window_start"),
                end = day("window_end")
            ),
        )),
        EventType::VisitReturned => Some((
            crate::msg!("mail-visit-returned-subject", branch = branch.clone()),
            crate::msg!(
                "mail-visit-returned-body",
                branch = branch,
                note = field("note")
            ),
        )),
        EventType::DisputeFiled => Some((
            crate::msg!("mail-dispute-filed-subject", branch = branch.clone()),
            crate::msg!(
                "mail-dispute-filed-body",
                branch = branch,
                item = field("item_key")
            ),
        )),
        EventType::DisputeResolved => {
            let outcome = if field("outcome") == DisputeStatus::Overturned.as_str() {
                crate::msg!("mail-outcome-overturned")
            } else {
                crate::msg!("mail-outcome-upheld")
            };
            Some((
                crate::msg!("mail-dispute-resolved-subject", branch = branch.clone()),
                crate::msg!(
                    "mail-dispute-resolved-body",
                    branch = branch,
                    item = field("item_key"),
                    outcome = outcome
                ),
            ))
        }
        EventType::ReviewBacklog => {
            let count = |name: &str| data.get(name).and_then(Value::as_u64).unwrap_or(0);
            Some((
                crate::msg!("mail-review-backlog-subject", waiting = count("waiting")),
                crate::msg!(
                    "mail-review-backlog-body",
                    waiting = count("waiting"),
                    overdue = count("overdue"),
                    hours = count("after_h"),
                    oldest = day("oldest_submitted_at")
                ),
            ))
        }
        EventType::ReportReady => {
            let period = field("period");
            let month = period
                .split_once('-')
                .and_then(|(y, m)| Some((y.to_owned(), m.parse::<u32>().ok()?)))
                .filter(|(_, m)| (1..=12).contains(m));
            let Some((year, month)) = month else {
                return Ok(None);
            };
            // A key, not a number: a number argument comes formatted (and isolated).
            let name = || {
                crate::msg!(
                    "report-month",
                    month = format!("m{month}"),
                    year = year.clone()
                )
            };
            Some((
                crate::msg!("mail-report-ready-subject", month = name()),
                crate::msg!("mail-report-ready-body", month = name()),
            ))
        }
        _ => None,
    })
}

/// `RUH-017 Olaya` in the reader's language (the code alone when the branch is gone).
fn branch_label(conn: &mut DbConnection, id: &str, lang: Lang) -> QueryResult<String> {
    let row = db::branches::find(conn, &id.into())?;
    Ok(match row.map(|b| (b.code, b.names)) {
        Some((code, names)) => {
            let names: sirr_store::names::Names = serde_json::from_str(&names).unwrap_or_default();
            match names.get(lang.tag()).or_else(|| names.values().next()) {
                Some(name) => format!("{code} {name}"),
                None => code,
            }
        }
        None => id.to_owned(),
    })
}

/// User ids as the text an event's data holds.
fn strings(ids: Vec<UserId>) -> Vec<String> {
    ids.into_iter().map(Into::into).collect()
}
