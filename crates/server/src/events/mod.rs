//! Domain events and their delivery: the transactional outbox (SPEC §10.36, §10.37, §10.46).
//!
//! * **Writing.** The code that makes a change calls [`emit`] with the same connection, inside
//!   the same transaction, so an event exists exactly when its change was committed — on both
//!   write paths (the handlers' own `conn.transaction` and SQLite's group commit through
//!   [`crate::startup::AppState::db_write`], whose savepoints roll an event back with its change).
//! * **Fanning out.** The dispatcher ([`dispatcher`]) turns each new event into one delivery per
//!   subscribed webhook and one per e-mail recipient ([`store::fan_out`]), in one transaction that
//!   also marks the event done, so no event is fanned out twice, even by several processes.
//! * **Delivering.** Due deliveries are claimed for a lease (`FOR UPDATE SKIP LOCKED` on
//!   PostgreSQL; SQLite's write lock), sent ([`webhook`], [`mail`]) and recorded. A failure is
//!   retried with exponential backoff and jitter for 24 hours; a process that dies mid-delivery
//!   leaves its lease to run out, and the delivery is sent again with the same `webhook-id`.
//!
//! `action_plan.due` has no request behind it: the dispatcher scans for plans whose due date has
//! come (the UTC date has reached `due_on`) and that are not done, and writes one event per plan
//! and due date ([`store::scan_due_plans`]); a unique `dedup_key` makes this idempotent, and a
//! plan whose due date is moved is due again on its new date. The same scan writes the two
//! e-mail digests ([`store::scan_digests`]): once a UTC day, when visits have waited for review
//! longer than `events.review_backlog_after_h`, a `review.backlog` letter to QA; once a month,
//! from day `events.report_ready_day` on, a `report.ready` letter to managers for the month
//! before, when it has approved visits. Both are mail-only types that no webhook can subscribe to.

pub mod dispatcher;
pub mod mail;
pub mod sign;
pub mod store;
pub mod webhook;

use diesel::prelude::*;
use serde_json::Value;

use sirr_store::{self as db, DbConnection, ids};

/// The kinds of event (SPEC §10.36).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    /// An assignment was created for a shopper.
    AssignmentOffered,
    /// A shopper submitted (or resubmitted) a visit.
    VisitSubmitted,
    /// QA approved a visit: it counts in scores.
    VisitApproved,
    /// QA returned a visit to its shopper for changes.
    VisitReturned,
    /// QA rejected a visit as unusable.
    VisitRejected,
    /// A manager disputed an item of a visit.
    DisputeFiled,
    /// QA upheld or overturned a dispute.
    DisputeResolved,
    /// A branch's scores for a period changed (a visit approved, a dispute overturned).
    ScoresUpdated,
    /// An action plan reached its due date and is not done.
    ActionPlanDue,
    /// E-mail only: visits have waited for review longer than `events.review_backlog_after_h`
    /// (one a day, to QA).
    ReviewBacklog,
    /// E-mail only: last month's reports are ready (once a month, to managers).
    ReportReady,
}

impl EventType {
    /// Every type, in the SPEC's order.
    pub const ALL: [EventType; 9] = [
        Self::AssignmentOffered,
        Self::VisitSubmitted,
        Self::VisitApproved,
        Self::VisitReturned,
        Self::VisitRejected,
        Self::DisputeFiled,
        Self::DisputeResolved,
        Self::ScoresUpdated,
        Self::ActionPlanDue,
    ];

    /// Types that only send e-mail: not in SPEC §10.36, so no webhook can subscribe to them.
    pub const MAIL_ONLY: [EventType; 2] = [Self::ReviewBacklog, Self::ReportReady];

    /// The wire name (`visit.submitted`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AssignmentOffered => "assignment.offered",
            Self::VisitSubmitted => "visit.submitted",
            Self::VisitApproved => "visit.approved",
            Self::VisitReturned => "visit.returned",
            Self::VisitRejected => "visit.rejected",
            Self::DisputeFiled => "dispute.filed",
            Self::DisputeResolved => "dispute.resolved",
            Self::ScoresUpdated => "scores.updated",
            Self::ActionPlanDue => "action_plan.due",
            Self::ReviewBacklog => "review.backlog",
            Self::ReportReady => "report.ready",
        }
    }

    /// The type with this wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .chain(Self::MAIL_ONLY)
            .find(|t| t.as_str() == name)
    }
}

/// Writes one event in the caller's transaction; returns its id (the `webhook-id` of every
/// delivery of it). `data` carries ids, never e-mail addresses or names: webhooks are read by
/// whatever system an admin points them at.
pub fn emit(conn: &mut DbConnection, kind: EventType, data: Value) -> QueryResult<String> {
    let id = ids::EventId::from(format!("evt_{}", ids::new_id()));
    store::insert_event(conn, &id, kind.as_str(), &data.to_string(), db::now())?;
    Ok(id.into())
}

/// The period label (`YYYY-MM`) of a visit's local check-in time (SPEC §9.14: a visit belongs to
/// the period of its own local date, which is the date written in the RFC 3339 text).
pub fn month_of(checked_in_at: &str) -> Option<String> {
    let month = checked_in_at.get(..7)?;
    chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .ok()
        .map(|_| month.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_through_its_name() {
        for t in EventType::ALL.into_iter().chain(EventType::MAIL_ONLY) {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
        assert_eq!(EventType::parse("visit.deleted"), None);
    }

    #[test]
    fn the_month_is_the_local_date_written_in_the_time() {
        assert_eq!(
            month_of("2026-10-31T23:30:00+03:00").as_deref(),
            Some("2026-10")
        );
        assert_eq!(month_of("garbage"), None);
    }
}
