//! The authorization matrix: every endpoint × every caller, from one table (`ROWS`).
//!
//! The callers are `CALLERS`: anonymous, a shopper, a manager scoped to region A with a target
//! inside that scope, the same manager with a target outside it (region B), QA and an admin.
//! `every_documented_route_has_a_row` fails, naming them, when a route of the OpenAPI document
//! has no row (or a row names a route the document lacks); `every_caller_gets_what_its_row_says`
//! sends each row's request as each caller and lists every outcome that differs from the table.
//!
//! How to add a row (one line in `ROWS`):
//!
//! ```text
//! row(POST, "/api/v1/things/{id}/close", Thing, close_body, [U, H, A, H, F, A]),
//! ```
//!
//! - method and path exactly as in the OpenAPI document, `{…}` placeholders kept: a placeholder
//!   named in the target's `Resolved::params` (`{version}` of a checklist) gets that value, every
//!   other one (`{id}`, `{key}`, `{branch_id}`) the target's id (a checklist's id is its key). A
//!   path may end in `?query`; it is sent, not compared (it may hold placeholders too).
//! - the target: the record the request is about (a `Target`). For a collection GET (no
//!   placeholder) it is the record the list must show (`A`) or must not show (`H`); for a
//!   create it is the parent the body names. Rows that delete, publish or otherwise use up their
//!   target take a `New…` target, made afresh for each request, so rows never depend on order.
//!   A new kind of record: add a variant to `Target`, make its in-scope and out-of-scope records
//!   in `Org::new` (or in `Org::new_record` for a `New…` kind) and resolve it in `Org::target`.
//! - records a shopper owns (assignments, visits, attachments): the in-scope record is the
//!   matrix shopper's own in region A, the out-of-scope one another shopper's in region B. The
//!   shopper caller gets its own record; a `Their…` target is the same pair except that the
//!   shopper caller gets the other shopper's record (the one it must not see), so one row tests
//!   "own" and the next "someone else's".
//! - the body builder: a `fn(&Ctx) -> Value` (`no_body` for none); `Ctx::n` is unique per
//!   request, for codes and emails that must not collide. A builder that returns a JSON string
//!   sends that string as the raw body (`application/octet-stream`: uploads). Every POST
//!   carries an `Idempotency-Key` header unique to the request (submissions need one).
//! - the expected outcome per caller, in the order of `CALLERS` (anonymous, shopper, manager in
//!   scope, manager out of scope, QA, admin): `A` allowed (2xx, or 400/409/422 about the body:
//!   authorization passed), `U` 401, `F` 403, `H` hidden (404 — out-of-scope records look
//!   absent — or, for a list, the target is not listed). `PUBLIC` is `A` for everyone.
//!   401, 403 and 404 must carry the JSON error envelope with the matching code.

use std::cell::Cell;
use std::collections::BTreeSet;

use serde_json::{Value, json};
use sirr_server::auth::{Role, ScopeKind};

use crate::helpers::{PASSWORD, TestApp, spawn_with};

/// What a caller must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Authorization passed: 2xx, or 400/409/422 about the request itself; a list shows the
    /// target.
    Allowed,
    /// 401 with the error envelope.
    Unauthenticated,
    /// 403 with the error envelope.
    Forbidden,
    /// 404 with the error envelope (the record looks absent); a list does not show the target.
    Hidden,
}

use Outcome::{Allowed as A, Forbidden as F, Hidden as H, Unauthenticated as U};

/// Open to everyone, signed in or not.
const PUBLIC: [Outcome; 6] = [A; 6];

/// Who sends the request; the order of a row's outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Shopper,
    /// A manager scoped to region A, with a target in region A.
    ManagerInScope,
    /// The same manager, with a target in region B.
    ManagerOutOfScope,
    Qa,
    Admin,
}

const CALLERS: [Caller; 6] = [
    Caller::Anonymous,
    Caller::Shopper,
    Caller::ManagerInScope,
    Caller::ManagerOutOfScope,
    Caller::Qa,
    Caller::Admin,
];

/// The record a row is about. Shared records exist once per side (in scope: region A and what
/// is in it; out of scope: region B and what is in it); `New…` records are made per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// No record.
    Nothing,
    Region,
    Branch,
    Team,
    /// A user who is never a caller, so admins may change them freely.
    User,
    /// A published checklist version (scope does not apply: both sides are the same).
    Published,
    /// A draft checklist version (both sides the same).
    Draft,
    /// A new, empty region; the in-scope manager is then a new manager scoped to it.
    NewRegion,
    /// A new branch in region A (in scope) or B.
    NewBranch,
    /// A new team in branch A (in scope) or B.
    NewTeam,
    /// A new draft checklist under a key of its own.
    NewDraft,
    /// A campaign (planners only: both sides the same).
    Campaign,
    /// An offered assignment: the matrix shopper's at branch A, or another shopper's at B.
    Assignment,
    /// `Assignment`, but the shopper caller gets the other shopper's.
    TheirAssignment,
    /// An approved visit: the matrix shopper's at branch A, or another shopper's at B.
    Visit,
    /// `Visit`, but the shopper caller gets the other shopper's.
    TheirVisit,
    /// A submitted visit waiting for review: the matrix shopper's at A, or another's at B.
    Submitted,
    /// A receipt on the assignment of an approved `Visit` (own at A, another shopper's at B).
    Attachment,
    /// `Attachment`, but the shopper caller gets the other shopper's.
    TheirAttachment,
    /// A receipt on the assignment of a `Submitted` visit (not approved yet).
    PendingAttachment,
    /// An open dispute on an approved visit at branch A (filed by the manager) or B.
    Dispute,
    /// An action of branch A's plan, or B's.
    Action,
    /// A new offered assignment (own at A, another shopper's at B).
    NewAssignment,
    /// `NewAssignment`, but the shopper caller gets another shopper's.
    TheirNewAssignment,
    /// A new submitted visit (own at A, another shopper's at B).
    NewSubmitted,
    /// A new open dispute on a new approved visit at branch A or B.
    NewDispute,
    /// A new action of branch A's plan, or B's.
    NewAction,
    /// A new bar of `User` from a new branch in region A or B (`{id}` the shopper,
    /// `{branch_id}` the branch).
    NewBar,
    /// A new webhook with one delivered event (`{delivery_id}`); admins only, no scope.
    NewWebhook,
}

impl Target {
    /// The kind of record to make, and whether the shopper caller gets another shopper's.
    fn theirs(self) -> (Target, bool) {
        match self {
            TheirAssignment => (Assignment, true),
            TheirVisit => (Visit, true),
            TheirAttachment => (Attachment, true),
            TheirNewAssignment => (NewAssignment, true),
            other => (other, false),
        }
    }
}

use Target::{
    Action, Assignment, Attachment, Branch, Campaign, Dispute, Draft, NewAction, NewAssignment,
    NewBar, NewBranch, NewDispute, NewDraft, NewRegion, NewSubmitted, NewTeam, NewWebhook, Nothing,
    PendingAttachment, Published, Region, Submitted, Team, TheirAssignment, TheirAttachment,
    TheirNewAssignment, TheirVisit, User, Visit,
};

const GET: &str = "GET";
const POST: &str = "POST";
const PUT: &str = "PUT";
const PATCH: &str = "PATCH";
const DELETE: &str = "DELETE";

/// One endpoint's expectations.
struct Row {
    method: &'static str,
    path: &'static str,
    target: Target,
    body: fn(&Ctx) -> Value,
    expect: [Outcome; 6],
}

const fn row(
    method: &'static str,
    path: &'static str,
    target: Target,
    body: fn(&Ctx) -> Value,
    expect: [Outcome; 6],
) -> Row {
    Row {
        method,
        path,
        target,
        body,
        expect,
    }
}

#[rustfmt::skip]
const ROWS: &[Row] = &[
    //  method  path                                                  target     body            anon shop m-in m-out qa admin
    row(GET,    "/healthz",                                           Nothing,   no_body,        PUBLIC),
    row(GET,    "/readyz",                                            Nothing,   no_body,        PUBLIC),
    row(GET,    "/api/v1/openapi.json",                               Nothing,   no_body,        PUBLIC),
    row(POST,   "/api/v1/auth/login",                                 Nothing,   login,          PUBLIC),
    row(POST,   "/api/v1/auth/refresh",                               Nothing,   refresh_token,  PUBLIC),
    row(POST,   "/api/v1/auth/logout",                                Nothing,   refresh_token,  PUBLIC),
    row(POST,   "/api/v1/password-reset",                             Nothing,   reset_ask,      PUBLIC),
    row(POST,   "/api/v1/password-reset/check",                       Nothing,   reset_check,    PUBLIC),
    row(POST,   "/api/v1/password-reset/confirm",                     Nothing,   reset_confirm,  PUBLIC),
    row(GET,    "/api/v1/me",                                         Nothing,   no_body,        [U, A, A, A, A, A]),
    row(PATCH,  "/api/v1/me",                                         Nothing,   me_patch,       [U, A, A, A, A, A]),
    row(GET,    "/api/v1/organisation",                               Nothing,   no_body,        [U, A, A, A, A, A]),
    row(PUT,    "/api/v1/organisation",                               Nothing,   org_names,      [U, F, F, F, F, A]),
    // one's own password (a wrong current password here: 422, authorization passed)
    row(POST,   "/api/v1/me/password",                                Nothing,   password_change, [U, A, A, A, A, A]),
    row(GET,    "/api/v1/regions",                                    Region,    no_body,        [U, H, A, H, A, A]),
    row(POST,   "/api/v1/regions",                                    Nothing,   new_region,     [U, F, F, F, F, A]),
    row(GET,    "/api/v1/regions/{id}",                               Region,    no_body,        [U, H, A, H, A, A]),
    row(PATCH,  "/api/v1/regions/{id}",                               Region,    region_patch,   [U, F, F, F, F, A]),
    row(DELETE, "/api/v1/regions/{id}",                               NewRegion, no_body,        [U, F, F, F, F, A]),
    row(GET,    "/api/v1/branches",                                   Branch,    no_body,        [U, H, A, H, A, A]),
    row(GET,    "/api/v1/branches?region_id={id}",                    Region,    no_body,        [U, H, A, H, A, A]),
    row(POST,   "/api/v1/branches",                                   Region,    new_branch,     [U, F, F, F, F, A]),
    row(GET,    "/api/v1/branches/{id}",                              Branch,    no_body,        [U, H, A, H, A, A]),
    row(PATCH,  "/api/v1/branches/{id}",                              Branch,    branch_patch,   [U, F, F, F, F, A]),
    row(DELETE, "/api/v1/branches/{id}",                              NewBranch, no_body,        [U, F, F, F, F, A]),
    row(GET,    "/api/v1/teams",                                      Team,      no_body,        [U, H, A, H, A, A]),
    row(POST,   "/api/v1/teams",                                      Branch,    new_team,       [U, F, F, F, F, A]),
    row(GET,    "/api/v1/teams/{id}",                                 Team,      no_body,        [U, H, A, H, A, A]),
    row(PATCH,  "/api/v1/teams/{id}",                                 Team,      team_patch,     [U, F, F, F, F, A]),
    row(DELETE, "/api/v1/teams/{id}",                                 NewTeam,   no_body,        [U, F, F, F, F, A]),
    row(GET,    "/api/v1/users",                                      User,      no_body,        [U, F, F, F, F, A]),
    row(POST,   "/api/v1/users",                                      Nothing,   new_user,       [U, F, F, F, F, A]),
    row(GET,    "/api/v1/users/{id}",                                 User,      no_body,        [U, F, F, F, F, A]),
    row(PATCH,  "/api/v1/users/{id}",                                 User,      user_patch,     [U, F, F, F, F, A]),
    row(POST,   "/api/v1/users/{id}/password",                        User,      new_password,   [U, F, F, F, F, A]),
    row(POST,   "/api/v1/users/{id}/invitation",                      User,      no_body,        [U, F, F, F, F, A]),
    row(GET,    "/api/v1/checklists",                                 Published, no_body,        [U, A, A, A, A, A]),
    row(GET,    "/api/v1/checklists",                                 Draft,     no_body,        [U, H, H, H, A, A]),
    row(POST,   "/api/v1/checklists",                                 Nothing,   new_checklist,  [U, F, F, F, A, A]),
    row(GET,    "/api/v1/checklists/{key}/versions/{version}",        Published, no_body,        [U, A, A, A, A, A]),
    row(GET,    "/api/v1/checklists/{key}/versions/{version}",        Draft,     no_body,        [U, H, H, H, A, A]),
    row(PUT,    "/api/v1/checklists/{key}/versions/{version}",        Draft,     same_document,  [U, F, F, F, A, A]),
    row(PUT,    "/api/v1/checklists/{key}/versions/{version}",        Published, same_document,  [U, F, F, F, A, A]),
    row(DELETE, "/api/v1/checklists/{key}/versions/{version}",        NewDraft,  no_body,        [U, F, F, F, A, A]),
    row(POST,   "/api/v1/checklists/{key}/versions/{version}/publish", NewDraft, no_body,        [U, F, F, F, A, A]),
    row(GET,    "/api/v1/checklists/{key}/versions/{version}/xlsform", Published, no_body,       [U, F, F, F, A, A]),
    row(GET,    "/api/v1/checklists/{key}/versions/{version}/xlsform", Draft,    no_body,        [U, F, F, F, A, A]),
    // campaigns: planners only
    row(GET,    "/api/v1/campaigns",                                  Campaign,  no_body,        [U, F, F, F, A, A]),
    row(POST,   "/api/v1/campaigns",                                  Branch,    new_campaign,   [U, F, F, F, A, A]),
    row(GET,    "/api/v1/campaigns/{id}",                             Campaign,  no_body,        [U, F, F, F, A, A]),
    row(POST,   "/api/v1/campaigns/{id}/assignments",                 Campaign,  no_shoppers,    [U, F, F, F, A, A]),
    row(GET,    "/api/v1/campaigns/{id}/progress",                    Campaign,  no_body,        [U, F, F, F, A, A]),
    // assignments: shoppers their own, planners all, managers never
    row(GET,    "/api/v1/assignments",                                Assignment, no_body,       [U, A, F, F, A, A]),
    row(GET,    "/api/v1/assignments",                                TheirAssignment, no_body,  [U, H, F, F, A, A]),
    row(POST,   "/api/v1/assignments",                                Branch,    new_assignment, [U, F, F, F, A, A]),
    row(GET,    "/api/v1/assignments/{id}",                           Assignment, no_body,       [U, A, H, H, A, A]),
    row(GET,    "/api/v1/assignments/{id}",                           TheirAssignment, no_body,  [U, H, H, H, A, A]),
    row(DELETE, "/api/v1/assignments/{id}",                           NewAssignment, no_body,    [U, F, F, F, A, A]),
    row(POST,   "/api/v1/assignments/{id}/reassign",                  NewAssignment, reassign,   [U, F, F, F, A, A]),
    row(POST,   "/api/v1/assignments/{id}/accept",                    NewAssignment, no_body,    [U, A, F, F, F, F]),
    row(POST,   "/api/v1/assignments/{id}/accept",                    TheirNewAssignment, no_body, [U, H, F, F, F, F]),
    row(POST,   "/api/v1/assignments/{id}/decline",                   NewAssignment, decline,    [U, A, F, F, F, F]),
    row(POST,   "/api/v1/assignments/{id}/decline",                   TheirNewAssignment, decline, [U, H, F, F, F, F]),
    row(PUT,    "/api/v1/assignments/{id}/draft",                     NewAssignment, draft,      [U, A, F, F, F, F]),
    row(PUT,    "/api/v1/assignments/{id}/draft",                     TheirNewAssignment, draft, [U, H, F, F, F, F]),
    row(POST,   "/api/v1/assignments/{id}/submission",                NewAssignment, submission, [U, A, F, F, F, F]),
    row(POST,   "/api/v1/assignments/{id}/submission",                TheirNewAssignment, submission, [U, H, F, F, F, F]),
    row(GET,    "/api/v1/assignments/{id}/attachments",               Assignment, no_body,       [U, A, F, F, A, A]),
    row(GET,    "/api/v1/assignments/{id}/attachments",               TheirAssignment, no_body,  [U, H, F, F, A, A]),
    row(POST,   "/api/v1/assignments/{id}/attachments?item=greeted_30s", Assignment, receipt,    [U, A, F, F, F, F]),
    row(POST,   "/api/v1/assignments/{id}/attachments?item=greeted_30s", TheirAssignment, receipt, [U, H, F, F, F, F]),
    row(GET,    "/api/v1/attachments/{id}",                           Attachment, no_body,       [U, A, A, H, A, A]),
    row(GET,    "/api/v1/attachments/{id}",                           TheirAttachment, no_body,  [U, H, A, H, A, A]),
    row(GET,    "/api/v1/attachments/{id}",                           PendingAttachment, no_body, [U, A, H, H, A, A]),
    row(GET,    "/api/v1/rotation",                                   Nothing,   no_body,        [U, F, F, F, A, A]),
    row(PUT,    "/api/v1/rotation",                                   Nothing,   no_revisit_rule, [U, F, F, F, A, A]),
    row(GET,    "/api/v1/shoppers",                                   Nothing,   no_body,        [U, F, F, F, A, A]),
    row(GET,    "/api/v1/shoppers/{id}/bars",                         User,      no_body,        [U, F, F, F, A, A]),
    row(POST,   "/api/v1/shoppers/{id}/bars",                         User,      new_bar,        [U, F, F, F, A, A]),
    row(DELETE, "/api/v1/shoppers/{id}/bars/{branch_id}",             NewBar,    no_body,        [U, F, F, F, A, A]),
    // visits: shoppers their own, planners all, managers approved ones in scope (no revisions)
    row(GET,    "/api/v1/visits/{id}",                                Visit,     no_body,        [U, A, A, H, A, A]),
    row(GET,    "/api/v1/visits/{id}",                                TheirVisit, no_body,       [U, H, A, H, A, A]),
    row(GET,    "/api/v1/visits/{id}",                                Submitted, no_body,        [U, A, H, H, A, A]),
    row(GET,    "/api/v1/visits/{id}/revisions",                      Visit,     no_body,        [U, A, H, H, A, A]),
    row(GET,    "/api/v1/visits/{id}/revisions",                      TheirVisit, no_body,       [U, H, H, H, A, A]),
    // review: planners only
    row(GET,    "/api/v1/reviews",                                    Submitted, no_body,        [U, F, F, F, A, A]),
    row(POST,   "/api/v1/visits/{id}/approve",                        NewSubmitted, no_body,     [U, F, F, F, A, A]),
    row(POST,   "/api/v1/visits/{id}/return",                         NewSubmitted, return_note, [U, F, F, F, A, A]),
    row(POST,   "/api/v1/visits/{id}/reject",                         NewSubmitted, reject_reason, [U, F, F, F, A, A]),
    // disputes: managers file in scope, planners resolve, shoppers nothing
    row(POST,   "/api/v1/visits/{id}/disputes",                       Visit,     new_dispute,    [U, F, A, H, F, F]),
    row(POST,   "/api/v1/visits/{id}/disputes",                       Submitted, new_dispute,    [U, F, H, H, F, F]),
    row(GET,    "/api/v1/disputes",                                   Dispute,   no_body,        [U, F, A, H, A, A]),
    row(GET,    "/api/v1/disputes/{id}",                              Dispute,   no_body,        [U, F, A, H, A, A]),
    row(POST,   "/api/v1/disputes/{id}/resolve",                      NewDispute, resolution,    [U, F, F, F, A, A]),
    // action plans: managers in scope, planners
    row(GET,    "/api/v1/branches/{id}/actions",                      Branch,    no_body,        [U, F, A, H, A, A]),
    row(GET,    "/api/v1/branches/{id}/visits",                       Branch,    no_body,        [U, F, A, H, A, A]),
    row(POST,   "/api/v1/branches/{id}/actions",                      Branch,    new_action,     [U, F, A, H, A, A]),
    row(PATCH,  "/api/v1/actions/{id}",                               Action,    action_patch,   [U, F, A, H, A, A]),
    row(DELETE, "/api/v1/actions/{id}",                               NewAction, no_body,        [U, F, A, H, A, A]),
    // scores: managers in scope, never shopper severity or agreement
    row(GET,    "/api/v1/scores/organisation",                        Nothing,   no_body,        [U, F, A, A, A, A]),
    row(GET,    "/api/v1/scores/regions/{id}",                        Region,    no_body,        [U, F, A, H, A, A]),
    row(GET,    "/api/v1/scores/branches/{id}",                       Branch,    no_body,        [U, F, A, H, A, A]),
    row(GET,    "/api/v1/scores/branches/{id}?period=2026-10",        Branch,    no_body,        [U, F, A, H, A, A]),
    row(GET,    "/api/v1/scores/teams/{id}",                          Team,      no_body,        [U, F, A, H, A, A]),
    // coaching reports: scoped like the scores
    row(GET,    "/api/v1/reports/branches/{id}.pdf",                  Branch,    no_body,        [U, F, A, H, A, A]),
    row(GET,    "/api/v1/reports/branches/{id}.pdf?period=2026-10&lang=ar", Branch, no_body,    [U, F, A, H, A, A]),
    row(GET,    "/api/v1/reports/teams/{id}.pdf?lang=ar",             Team,      no_body,        [U, F, A, H, A, A]),
    row(GET,    "/api/v1/scores/shoppers",                            Nothing,   no_body,        [U, F, F, F, A, A]),
    row(GET,    "/api/v1/scores/agreement",                           Nothing,   no_body,        [U, F, F, F, A, A]),
    // audit log: admins only
    row(GET,    "/api/v1/audit",                                      Nothing,   no_body,        [U, F, F, F, F, A]),
    // bulk onboarding: admins only (dry runs, so nothing changes between callers)
    row(POST,   "/api/v1/imports/branches?dry_run=true",              Nothing,   branch_sheet,   [U, F, F, F, F, A]),
    row(POST,   "/api/v1/imports/users?dry_run=true",                 Nothing,   user_sheet,     [U, F, F, F, F, A]),
    row(GET,    "/api/v1/imports/templates/{kind}.xlsx?lang=ar",      Nothing,   no_body,        [U, F, F, F, F, A]),
    row(POST,   "/api/v1/checklists/import-xlsform",                  Nothing,   user_sheet,     [U, F, F, F, A, A]),
    // personal access tokens: everyone their own (another's id, or none, is 404)
    row(GET,    "/api/v1/me/tokens",                                  Nothing,   no_body,        [U, A, A, A, A, A]),
    row(POST,   "/api/v1/me/tokens",                                  Nothing,   new_token,      [U, A, A, A, A, A]),
    row(DELETE, "/api/v1/me/tokens/{id}",                             User,      no_body,        [U, H, H, H, H, H]),
    // exports: scoped like the screens (a filter out of scope is 404: tests/api/exports.rs)
    row(GET,    "/api/v1/exports/visits.csv",                         Nothing,   no_body,        [U, F, A, A, A, A]),
    row(GET,    "/api/v1/exports/visits.xlsx",                        Nothing,   no_body,        [U, F, A, A, A, A]),
    row(GET,    "/api/v1/exports/visits.jsonl",                       Nothing,   no_body,        [U, F, A, A, A, A]),
    row(GET,    "/api/v1/exports/answers.csv",                        Nothing,   no_body,        [U, F, A, A, A, A]),
    row(GET,    "/api/v1/exports/scores.csv",                         Nothing,   no_body,        [U, F, A, A, A, A]),
    row(GET,    "/api/v1/exports/scores.xlsx",                        Nothing,   no_body,        [U, F, A, A, A, A]),
    row(GET,    "/api/v1/exports/disputes.csv",                       Nothing,   no_body,        [U, F, A, A, A, A]),
    row(GET,    "/api/v1/exports/disputes.xlsx",                      Nothing,   no_body,        [U, F, A, A, A, A]),
    row(GET,    "/api/v1/exports/action_plans.csv",                   Nothing,   no_body,        [U, F, A, A, A, A]),
    row(GET,    "/api/v1/exports/action_plans.xlsx",                  Nothing,   no_body,        [U, F, A, A, A, A]),
    // webhooks: admins only (they receive every event of the organisation)
    row(GET,    "/api/v1/webhooks",                                   NewWebhook, no_body,       [U, F, F, F, F, A]),
    row(POST,   "/api/v1/webhooks",                                   Nothing,   new_webhook,    [U, F, F, F, F, A]),
    row(DELETE, "/api/v1/webhooks/{id}",                              NewWebhook, no_body,       [U, F, F, F, F, A]),
    row(GET,    "/api/v1/webhooks/{id}/deliveries",                   NewWebhook, no_body,       [U, F, F, F, F, A]),
    row(POST,   "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver", NewWebhook, no_body, [U, F, F, F, F, A]),
];

// ---- request bodies -------------------------------------------------------------------------

/// What a body builder may use.
struct Ctx<'a> {
    app: &'a TestApp,
    org: &'a Org<'a>,
    target: &'a Resolved,
    /// Unique per request.
    n: usize,
}

/// The user whose credentials the auth rows send; never a caller.
const LOGIN_EMAIL: &str = "login@matrix.sirr";

fn branch_sheet(_: &Ctx) -> Value {
    Value::String("code,name_en,region_code\nMX-1,Matrix,MX\n".to_owned())
}

fn user_sheet(_: &Ctx) -> Value {
    Value::String("email,name,role\nmatrix@x.example,Matrix,shopper\n".to_owned())
}

fn no_body(_: &Ctx) -> Value {
    Value::Null
}

fn new_webhook(c: &Ctx) -> Value {
    webhook_body(c.n)
}

fn webhook_body(n: usize) -> Value {
    json!({"url": format!("http://127.0.0.1:9/matrix/{n}"), "events": ["visit.approved"],
           "secret": "matrix-secret-0123456789"})
}

/// A webhook made for one request, with one delivered event in its log (written straight to
/// the database: the matrix needs the record, not a delivery).
fn webhook_with_delivery(app: &TestApp, admin: &str, n: usize) -> Resolved {
    use diesel::prelude::*;
    use sirr_store::schema::{deliveries, events};
    let (status, body) = app.post("/api/v1/webhooks", Some(admin), &webhook_body(n));
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let (event, delivery) = (format!("evt_matrix_{n}"), format!("delivery-{n}"));
    let now = sirr_store::now();
    let mut conn = app.db();
    diesel::insert_into(events::table)
        .values((
            events::id.eq(&event),
            events::event_type.eq("visit.approved"),
            events::occurred_at.eq(now),
            events::data.eq("{}"),
            events::fanned_out.eq(true),
        ))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(deliveries::table)
        .values((
            deliveries::id.eq(&delivery),
            deliveries::event_id.eq(&event),
            deliveries::kind.eq("webhook"),
            deliveries::webhook_id.eq(&id),
            deliveries::status.eq("delivered"),
            deliveries::attempts.eq(1),
            deliveries::next_attempt_at.eq(now),
            deliveries::give_up_at.eq(now),
            deliveries::created_at.eq(now),
        ))
        .execute(&mut conn)
        .unwrap();
    let mut resolved = Resolved::record(id);
    resolved.params.push(("delivery_id", delivery));
    resolved
}

fn new_token(c: &Ctx) -> Value {
    json!({"name": format!("token {}", c.n)})
}

fn login(_: &Ctx) -> Value {
    json!({"email": LOGIN_EMAIL, "password": PASSWORD})
}

/// A reset link asked for the matrix's login account (the letter goes to a closed port).
fn reset_ask(_: &Ctx) -> Value {
    json!({"email": LOGIN_EMAIL})
}

/// A link that was never sent, looked at: refused as unknown (422), whoever sends it.
fn reset_check(_: &Ctx) -> Value {
    json!({"token": "0".repeat(64)})
}

/// A link that was never sent: refused as unknown (422), whoever sends it.
fn reset_confirm(_: &Ctx) -> Value {
    json!({"token": "0".repeat(64), "new_password": "a brand new password"})
}

/// A refresh token of a fresh sign-in (each is used up by the request).
fn password_change(_: &Ctx) -> Value {
    json!({"current_password": "not the password", "new_password": "a brand new password"})
}

fn org_names(_: &Ctx) -> Value {
    json!({"names": {"en": "Matrix Bank", "ar": "بنك المصفوفة"}})
}

fn me_patch(_: &Ctx) -> Value {
    json!({"language": "en"})
}

fn refresh_token(c: &Ctx) -> Value {
    let (status, body) = c.app.login(LOGIN_EMAIL, PASSWORD);
    assert_eq!(status, 200, "{body}");
    json!({"refresh_token": body["refresh_token"]})
}

fn new_region(c: &Ctx) -> Value {
    json!({"code": format!("NR{}", c.n), "names": {"en": "New", "ar": "جديدة"}})
}

fn region_patch(_: &Ctx) -> Value {
    json!({"names": {"en": "Region", "ar": "منطقة"}})
}

fn new_branch(c: &Ctx) -> Value {
    json!({"code": format!("NB{}", c.n), "region_id": c.target.id,
           "names": {"en": "New", "ar": "جديد"}, "city": {"en": "Riyadh", "ar": "الرياض"}})
}

fn branch_patch(_: &Ctx) -> Value {
    json!({"city": {"en": "Riyadh", "ar": "الرياض"}})
}

fn new_team(c: &Ctx) -> Value {
    json!({"branch_id": c.target.id, "code": format!("nt{}", c.n),
           "names": {"en": "New", "ar": "جديد"}})
}

fn team_patch(_: &Ctx) -> Value {
    json!({"names": {"en": "Tellers", "ar": "الصرافون"}})
}

fn new_user(c: &Ctx) -> Value {
    json!({"email": format!("new{}@matrix.sirr", c.n), "name": "New", "role": "shopper",
           "password": "matrix-password-1"})
}

fn user_patch(_: &Ctx) -> Value {
    json!({"name": "Target"})
}

fn new_password(_: &Ctx) -> Value {
    json!({"password": "matrix-password-2"})
}

fn new_checklist(c: &Ctx) -> Value {
    checklist_under(&format!("matrix-new-{}", c.n))
}

/// The target's own document, unchanged.
fn same_document(c: &Ctx) -> Value {
    c.target.document.clone()
}

/// A campaign at the target branch.
fn new_campaign(c: &Ctx) -> Value {
    json!({"name": format!("Wave {}", c.n), "checklist": {"key": VISIT_KEY, "version": 1},
           "starts_on": "2026-10-01", "ends_on": "2026-10-31", "branch_ids": [c.target.id],
           "visits_per_branch": 1})
}

/// Bulk assignment over no shoppers: everything stays unfilled, nothing changes.
fn no_shoppers(_: &Ctx) -> Value {
    json!({"shopper_ids": []})
}

/// An assignment of `User` (never a caller) at the target branch.
fn new_assignment(c: &Ctx) -> Value {
    assignment_body(&c.org.user, &c.target.id)
}

/// The assignment given to the other shopper instead.
fn reassign(c: &Ctx) -> Value {
    json!({"shopper_id": c.org.shopper_ids[1]})
}

fn decline(_: &Ctx) -> Value {
    json!({"reason": "travelling"})
}

fn draft(_: &Ctx) -> Value {
    json!({"answers": {"greeted_30s": "yes"}})
}

fn submission(_: &Ctx) -> Value {
    good_visit()
}

/// A PDF receipt, sent raw.
fn receipt(_: &Ctx) -> Value {
    Value::String(RECEIPT.to_owned())
}

/// Rotation without a revisit rule (the default, so the rows' assignments never clash).
fn no_revisit_rule(_: &Ctx) -> Value {
    json!({"revisit_days": 0})
}

/// A bar from a branch made for this request.
fn new_bar(c: &Ctx) -> Value {
    let branch = c
        .app
        .branch(&c.org.admin, &format!("BB{}", c.n), &c.org.regions[1]);
    json!({"branch_id": branch, "reason": "a relative works there"})
}

fn return_note(_: &Ctx) -> Value {
    json!({"note": "The wait time needs a comment"})
}

fn reject_reason(_: &Ctx) -> Value {
    json!({"reason": "The photos are not of this branch"})
}

fn new_dispute(_: &Ctx) -> Value {
    dispute_body("greeted_30s")
}

fn resolution(_: &Ctx) -> Value {
    json!({"outcome": "upheld", "reason": "The recording confirms the answer"})
}

fn new_action(_: &Ctx) -> Value {
    json!({"period": "2026-10", "action": "Open a second counter at noon",
           "owner": "Branch manager", "due_on": "2026-11-15"})
}

fn action_patch(_: &Ctx) -> Value {
    json!({"status": "in_progress"})
}

// ---- the organisation -----------------------------------------------------------------------

fn example(name: &str) -> Value {
    let path = format!(
        "{}/../../examples/checklists/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The key of the checklist the matrix's visits fill (SPEC §4's example, version 1).
const VISIT_KEY: &str = "matrix-visit";

/// A receipt: a minimal PDF (one that can be read, so its metadata can be removed).
const RECEIPT: &str = include_str!("../../../../tests/fixtures/receipts/receipt.pdf");

/// The checklist of SPEC §4's example under `VISIT_KEY`.
fn visit_checklist() -> Value {
    let path = format!(
        "{}/../../tests/fixtures/checklists/spec-example.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    doc["key"] = json!(VISIT_KEY);
    doc["version"] = json!(1);
    doc
}

/// A submission of SPEC §4's example visit (inside `assignment_body`'s window).
fn good_visit() -> Value {
    json!({"answers": {"greeted_30s": "yes", "wait_minutes": 7, "id_checked": "yes",
                       "offered_card": "asked", "card_benefits": 4},
           "comments": {"wait_minutes": "Two counters closed at noon"},
           "checked_in_at": "2026-10-03T14:12:00+03:00",
           "location": {"lat": 24.69, "lon": 46.68},
           "duration_s": 1260})
}

/// A new assignment of `shopper` at `branch`.
fn assignment_body(shopper: &str, branch: &str) -> Value {
    json!({"shopper_id": shopper, "branch_id": branch,
           "checklist": {"key": VISIT_KEY, "version": 1},
           "window_start": "2026-10-01T00:00:00+03:00", "window_end": "2026-10-08T00:00:00+03:00"})
}

fn dispute_body(item: &str) -> Value {
    json!({"item_key": item, "reason": "The answer does not match the recording",
           "evidence": "CCTV at 14:12"})
}

/// A valid checklist document under `key`, version 1.
fn checklist_under(key: &str) -> Value {
    let mut doc = example("bank-branch-visit");
    doc["key"] = json!(key);
    doc["version"] = json!(1);
    doc
}

/// A record resolved for one request.
struct Resolved {
    /// What `{id}`, `{key}` and other placeholders become; what a list must (not) show.
    id: String,
    /// Placeholders that do not get `id`, by name (`version` of a checklist).
    params: Vec<(&'static str, String)>,
    /// A checklist's document.
    document: Value,
    /// The in-scope manager's token when the shared manager cannot be in scope (a new region).
    manager: Option<String>,
}

impl Resolved {
    fn record(id: String) -> Self {
        Self {
            id,
            params: Vec::new(),
            document: Value::Null,
            manager: None,
        }
    }

    fn checklist(document: &Value) -> Self {
        Self {
            id: document["key"].as_str().unwrap().to_owned(),
            params: vec![("version", document["version"].to_string())],
            document: document.clone(),
            manager: None,
        }
    }
}

/// One organisation: index 0 of each pair is in the manager's scope (region A), 1 is not.
struct Org<'a> {
    app: &'a TestApp,
    admin: String,
    regions: [String; 2],
    branches: [String; 2],
    teams: [String; 2],
    user: String,
    published: Value,
    draft: Value,
    /// Tokens in the order of `CALLERS` (`None` for anonymous).
    tokens: Vec<Option<String>>,
    counter: Cell<usize>,
    qa: String,
    /// The matrix shopper (side 0) and another shopper (side 1): tokens and ids.
    shoppers: [String; 2],
    shopper_ids: [String; 2],
    /// Managers of region A (the matrix's) and of region B, who file the disputes.
    managers: [String; 2],
    campaign: String,
    /// Offered assignments.
    assignments: [String; 2],
    /// Approved visits, and a receipt on each one's assignment.
    visits: [String; 2],
    attachments: [String; 2],
    /// Submitted visits waiting for review, and a receipt on each one's assignment.
    submitted: [String; 2],
    pending: [String; 2],
    /// Open disputes on `visits`.
    disputes: [String; 2],
    /// Actions of the branches' plans.
    actions: [String; 2],
}

impl<'a> Org<'a> {
    fn new(app: &'a TestApp) -> Self {
        let admin = app.admin();
        let regions = [
            app.region(&admin, "MA", "Region A", "المنطقة أ"),
            app.region(&admin, "MB", "Region B", "المنطقة ب"),
        ];
        let branches = [
            app.branch(&admin, "MA-1", &regions[0]),
            app.branch(&admin, "MB-1", &regions[1]),
        ];
        let teams = [
            team(app, &admin, &branches[0], "tellers"),
            team(app, &admin, &branches[1], "tellers"),
        ];
        app.add_user(
            "manager@matrix.sirr",
            Role::Manager,
            &[(ScopeKind::Region, &regions[0])],
        );
        app.add_user(
            "manager-b@matrix.sirr",
            Role::Manager,
            &[(ScopeKind::Region, &regions[1])],
        );
        app.add_user("qa@matrix.sirr", Role::Qa, &[]);
        app.add_user(LOGIN_EMAIL, Role::Shopper, &[]);
        let user = app.add_user("target@matrix.sirr", Role::Shopper, &[]);
        let shopper_ids = [
            app.add_user("shopper@matrix.sirr", Role::Shopper, &[]),
            app.add_user("other@matrix.sirr", Role::Shopper, &[]),
        ];

        let published = example("bank-branch-visit");
        let draft = example("retail-store-visit");
        let visit = visit_checklist();
        for doc in [&published, &draft, &visit] {
            let (status, body) = app.post("/api/v1/checklists", Some(&admin), doc);
            assert_eq!(status, 201, "{body}");
        }
        for doc in [&published, &visit] {
            let (status, body) = app.post(
                &format!(
                    "/api/v1/checklists/{}/versions/{}/publish",
                    doc["key"].as_str().unwrap(),
                    doc["version"]
                ),
                Some(&admin),
                &json!({}),
            );
            assert_eq!(status, 200, "{body}");
        }

        let tokens = CALLERS
            .iter()
            .map(|caller| match caller {
                Caller::Anonymous => None,
                Caller::Shopper => Some(app.token("shopper@matrix.sirr")),
                Caller::ManagerInScope | Caller::ManagerOutOfScope => {
                    Some(app.token("manager@matrix.sirr"))
                }
                Caller::Qa => Some(app.token("qa@matrix.sirr")),
                Caller::Admin => Some(admin.clone()),
            })
            .collect();
        let mut org = Self {
            app,
            admin,
            regions,
            branches,
            teams,
            user,
            published,
            draft,
            tokens,
            counter: Cell::new(0),
            qa: app.token("qa@matrix.sirr"),
            shoppers: [
                app.token("shopper@matrix.sirr"),
                app.token("other@matrix.sirr"),
            ],
            shopper_ids,
            managers: [
                app.token("manager@matrix.sirr"),
                app.token("manager-b@matrix.sirr"),
            ],
            campaign: String::new(),
            assignments: Default::default(),
            visits: Default::default(),
            attachments: Default::default(),
            submitted: Default::default(),
            pending: Default::default(),
            disputes: Default::default(),
            actions: Default::default(),
        };
        org.campaign = org.new_campaign();
        for side in 0..2 {
            org.assignments[side] = org.assign(side);
            let assignment = org.assign(side);
            org.attachments[side] = org.upload(side, &assignment);
            org.visits[side] = org.submit(side, &assignment);
            org.approve(&org.visits[side]);
            let assignment = org.assign(side);
            org.pending[side] = org.upload(side, &assignment);
            org.submitted[side] = org.submit(side, &assignment);
            org.disputes[side] = org.dispute(side, &org.visits[side], "id_checked");
            org.actions[side] = org.action(side);
        }
        org
    }

    /// A campaign at both branches.
    fn new_campaign(&self) -> String {
        let (status, body) = self.app.post(
            "/api/v1/campaigns",
            Some(&self.qa),
            &json!({"name": "Matrix wave", "checklist": {"key": VISIT_KEY, "version": 1},
                    "starts_on": "2026-10-01", "ends_on": "2026-10-31",
                    "branch_ids": self.branches, "visits_per_branch": 1}),
        );
        assert_eq!(status, 201, "{body}");
        id_of(&body)
    }

    /// An offered assignment of the side's shopper at the side's branch.
    fn assign(&self, side: usize) -> String {
        let (status, body) = self.app.post(
            "/api/v1/assignments",
            Some(&self.qa),
            &assignment_body(&self.shopper_ids[side], &self.branches[side]),
        );
        assert_eq!(status, 201, "{body}");
        id_of(&body)
    }

    /// A receipt for the assignment, uploaded by its shopper.
    fn upload(&self, side: usize, assignment: &str) -> String {
        let (status, body) = self.app.post_raw(
            &format!("/api/v1/assignments/{assignment}/attachments?item=greeted_30s"),
            Some(&self.shoppers[side]),
            &[],
            RECEIPT.as_bytes(),
        );
        assert_eq!(status, 201, "{body}");
        id_of(&body)
    }

    /// Submits the assignment's visit as its shopper; returns the visit id.
    fn submit(&self, side: usize, assignment: &str) -> String {
        let key = format!("setup-{}", self.next());
        let (status, body) = self.app.post_with_headers(
            &format!("/api/v1/assignments/{assignment}/submission"),
            Some(&self.shoppers[side]),
            &[("Idempotency-Key", &key)],
            &good_visit(),
        );
        assert_eq!(status, 201, "{body}");
        id_of(&body)
    }

    fn approve(&self, visit: &str) {
        let (status, body) = self.app.post(
            &format!("/api/v1/visits/{visit}/approve"),
            Some(&self.qa),
            &json!({}),
        );
        assert_eq!(status, 200, "{body}");
    }

    /// A dispute on `item` of the visit, filed by the side's manager.
    fn dispute(&self, side: usize, visit: &str, item: &str) -> String {
        let (status, body) = self.app.post(
            &format!("/api/v1/visits/{visit}/disputes"),
            Some(&self.managers[side]),
            &dispute_body(item),
        );
        assert_eq!(status, 201, "{body}");
        id_of(&body)
    }

    /// An action of the side's branch's plan.
    fn action(&self, side: usize) -> String {
        let (status, body) = self.app.post(
            &format!("/api/v1/branches/{}/actions", self.branches[side]),
            Some(&self.admin),
            &new_action(&Ctx {
                app: self.app,
                org: self,
                target: &Resolved::record(String::new()),
                n: 0,
            }),
        );
        assert_eq!(status, 201, "{body}");
        id_of(&body)
    }

    fn next(&self) -> usize {
        let n = self.counter.get() + 1;
        self.counter.set(n);
        n
    }

    /// The record `target` names for `caller`.
    fn target(&self, target: Target, caller: Caller) -> Resolved {
        let (target, theirs) = target.theirs();
        let side = usize::from(
            caller == Caller::ManagerOutOfScope || (theirs && caller == Caller::Shopper),
        );
        match target {
            Nothing => Resolved {
                // The one named placeholder of a route about no record: an import template.
                params: vec![("kind", "branches".to_owned())],
                ..Resolved::record(String::new())
            },
            Region => Resolved::record(self.regions[side].clone()),
            Branch => Resolved::record(self.branches[side].clone()),
            Team => Resolved::record(self.teams[side].clone()),
            User => Resolved::record(self.user.clone()),
            Published => Resolved::checklist(&self.published),
            Draft => Resolved::checklist(&self.draft),
            Campaign => Resolved::record(self.campaign.clone()),
            Assignment => Resolved::record(self.assignments[side].clone()),
            Visit => Resolved::record(self.visits[side].clone()),
            Submitted => Resolved::record(self.submitted[side].clone()),
            Attachment => Resolved::record(self.attachments[side].clone()),
            PendingAttachment => Resolved::record(self.pending[side].clone()),
            Dispute => Resolved::record(self.disputes[side].clone()),
            Action => Resolved::record(self.actions[side].clone()),
            NewRegion | NewBranch | NewTeam | NewDraft | NewAssignment | NewSubmitted
            | NewDispute | NewAction | NewBar | NewWebhook => self.new_record(target, caller, side),
            TheirAssignment | TheirVisit | TheirAttachment | TheirNewAssignment => {
                unreachable!("resolved by Target::theirs")
            }
        }
    }

    /// A record made for one request.
    fn new_record(&self, target: Target, caller: Caller, side: usize) -> Resolved {
        let (app, admin, n) = (self.app, &self.admin, self.next());
        match target {
            NewRegion => {
                let mut resolved =
                    Resolved::record(app.region(admin, &format!("XR{n}"), "Throwaway", "مؤقتة"));
                if caller == Caller::ManagerInScope {
                    let email = format!("manager{n}@matrix.sirr");
                    app.add_user(&email, Role::Manager, &[(ScopeKind::Region, &resolved.id)]);
                    resolved.manager = Some(app.token(&email));
                }
                resolved
            }
            NewBranch => {
                Resolved::record(app.branch(admin, &format!("XB{n}"), &self.regions[side]))
            }
            NewTeam => Resolved::record(team(app, admin, &self.branches[side], &format!("xt{n}"))),
            NewDraft => {
                let doc = checklist_under(&format!("matrix-draft-{n}"));
                let (status, body) = app.post("/api/v1/checklists", Some(admin), &doc);
                assert_eq!(status, 201, "{body}");
                Resolved::checklist(&doc)
            }
            NewAssignment => Resolved::record(self.assign(side)),
            NewSubmitted => {
                let assignment = self.assign(side);
                Resolved::record(self.submit(side, &assignment))
            }
            NewDispute => {
                let assignment = self.assign(side);
                let visit = self.submit(side, &assignment);
                self.approve(&visit);
                Resolved::record(self.dispute(side, &visit, "greeted_30s"))
            }
            NewAction => Resolved::record(self.action(side)),
            NewWebhook => webhook_with_delivery(app, admin, n),
            NewBar => {
                let branch = app.branch(admin, &format!("XB{n}"), &self.regions[side]);
                let (status, body) = app.post(
                    &format!("/api/v1/shoppers/{}/bars", self.user),
                    Some(admin),
                    &json!({"branch_id": branch, "reason": "a former employee"}),
                );
                assert_eq!(status, 201, "{body}");
                let mut resolved = Resolved::record(self.user.clone());
                resolved.params.push(("branch_id", branch));
                resolved
            }
            other => panic!("{other:?} is not made per request"),
        }
    }
}

/// The `id` of a created record.
fn id_of(body: &Value) -> String {
    body["id"].as_str().unwrap().to_owned()
}

/// Creates a team in a branch and returns its id.
fn team(app: &TestApp, admin: &str, branch: &str, code: &str) -> String {
    let (status, body) = app.post(
        "/api/v1/teams",
        Some(admin),
        &json!({"branch_id": branch, "code": code,
                "names": {"en": "Tellers", "ar": "الصرافون"}}),
    );
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

// ---- running the table ----------------------------------------------------------------------

/// The path without its query: what the OpenAPI document names.
fn route(path: &str) -> &str {
    path.split_once('?').map_or(path, |(route, _)| route)
}

/// The template with its placeholders filled.
fn fill(template: &str, target: &Resolved) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let end = start + rest[start..].find('}').expect("an unclosed placeholder");
        out.push_str(&rest[..start]);
        let name = &rest[start + 1..end];
        match target.params.iter().find(|(param, _)| *param == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&target.id),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether the response matches `expected`; `listed` is the id a list must (not) show.
fn verdict(expected: Outcome, status: u16, body: &Value, listed: Option<&str>) -> bool {
    let code = body["error"]["code"].as_str();
    let envelope = |want: &str| code == Some(want) && body["error"]["message"].is_string();
    let success = (200..300).contains(&status);
    let shows = |id: &str| body.to_string().contains(&format!("\"{id}\""));
    match (expected, listed) {
        (Outcome::Allowed, Some(id)) => success && shows(id),
        (Outcome::Allowed, None) => success || matches!(status, 400 | 409 | 422),
        (Outcome::Hidden, Some(id)) => success && !shows(id),
        (Outcome::Hidden, None) => status == 404 && envelope("not_found"),
        (Outcome::Unauthenticated, _) => status == 401 && envelope("unauthorized"),
        (Outcome::Forbidden, _) => status == 403 && envelope("forbidden"),
    }
}

/// Sends the request; a POST carries an `Idempotency-Key` unique to request `n`, and a string
/// body goes raw.
fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
    n: usize,
) -> (u16, Value) {
    let body = if body.is_null() { json!({}) } else { body };
    let key = format!("matrix-{n}");
    let headers = [("Idempotency-Key", key.as_str())];
    match (method, body) {
        (GET, _) => app.get(path, token),
        (DELETE, _) => app.delete(path, token),
        (POST, Value::String(raw)) => app.post_raw(path, token, &headers, raw.as_bytes()),
        (POST, body) => app.post_with_headers(path, token, &headers, &body),
        (_, body) => app.send(method, path, token, &body),
    }
}

fn short(body: &Value) -> String {
    let text = body.to_string();
    match text.char_indices().nth(160) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Every (METHOD, path) of the OpenAPI document.
fn documented() -> BTreeSet<(String, String)> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let doc = serde_json::to_value(sirr_server::api::openapi::document_value()).unwrap();
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if METHODS.contains(&method.as_str()) {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}

#[test]
fn every_documented_route_has_a_row() {
    let documented = documented();
    let tabled: BTreeSet<(String, String)> = ROWS
        .iter()
        .map(|r| (r.method.to_owned(), route(r.path).to_owned()))
        .collect();
    let missing: Vec<String> = documented
        .difference(&tabled)
        .map(|(m, p)| format!("  {m} {p}"))
        .collect();
    let unknown: Vec<String> = tabled
        .difference(&documented)
        .map(|(m, p)| format!("  {m} {p}"))
        .collect();
    let mut problems = String::new();
    if !missing.is_empty() {
        problems += &format!(
            "{} routes of the OpenAPI document have no row in matrix.rs ROWS (add one each):\n{}\n",
            missing.len(),
            missing.join("\n")
        );
    }
    if !unknown.is_empty() {
        problems += &format!(
            "{} rows of matrix.rs ROWS name routes the OpenAPI document lacks:\n{}\n",
            unknown.len(),
            unknown.join("\n")
        );
    }
    for r in ROWS {
        // `{kind}` is the one placeholder a route about no record may have (import templates).
        if route(r.path).replace("{kind}", "").contains('{') && r.target == Nothing {
            problems += &format!("  {} {} has placeholders but no target\n", r.method, r.path);
        }
    }
    assert!(problems.is_empty(), "\n{problems}");
}

/// An app with e-mail set up (towards a port nothing listens on), so that asking for a reset
/// link is answered as in production rather than refused as not configured.
fn spawn_mailing() -> TestApp {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    spawn_with(|s| {
        s.smtp.host = "127.0.0.1".into();
        s.smtp.port = closed;
        s.smtp.from = "sirr <no-reply@matrix.sirr>".into();
    })
}

#[test]
fn every_caller_gets_what_its_row_says() {
    let app = spawn_mailing();
    let org = Org::new(&app);
    let mut mismatches = Vec::new();
    let mut requests = 0;
    for r in ROWS {
        let collection = r.method == GET && !route(r.path).contains('{') && r.target != Nothing;
        for (i, caller) in CALLERS.into_iter().enumerate() {
            let target = org.target(r.target, caller);
            let token = match (&target.manager, caller) {
                (Some(manager), Caller::ManagerInScope) => Some(manager.as_str()),
                _ => org.tokens[i].as_deref(),
            };
            let path = fill(r.path, &target);
            let n = org.next();
            let body = (r.body)(&Ctx {
                app: &app,
                org: &org,
                target: &target,
                n,
            });
            let (status, reply) = send(&app, r.method, &path, token, body, n);
            requests += 1;
            let listed = collection.then_some(target.id.as_str());
            if !verdict(r.expect[i], status, &reply, listed) {
                let listing = match listed {
                    Some(id) if (200..300).contains(&status) => {
                        let shown = reply.to_string().contains(&format!("\"{id}\""));
                        format!(" (target {})", if shown { "listed" } else { "not listed" })
                    }
                    _ => String::new(),
                };
                mismatches.push(format!(
                    "  {:<6} {} as {caller:?}: expected {:?}, got {status}{listing} {}\n    \
                     (sent {path})",
                    r.method,
                    r.path,
                    r.expect[i],
                    short(&reply)
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "\n{} of {requests} requests did not get what matrix.rs ROWS says:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// What a manager scoped to team A of branch A must get on a write row: a team scope reads its
/// branch but writes none of the branch's records (the matrix's visits and actions belong to no
/// team), so where the region-scoped manager is allowed it is refused (403); elsewhere it gets
/// what that manager gets. Rows about no record (sign-in) are the same for everyone.
fn team_expectation(r: &Row) -> Outcome {
    match (r.expect[2], r.target) {
        (Outcome::Allowed, target) if target != Nothing => Outcome::Forbidden,
        (other, _) => other,
    }
}

#[test]
fn a_team_scope_writes_nothing_of_its_branch() {
    let app = spawn_mailing();
    let org = Org::new(&app);
    app.add_user(
        "team-manager@matrix.sirr",
        Role::Manager,
        &[(ScopeKind::Team, &org.teams[0])],
    );
    let token = app.token("team-manager@matrix.sirr");
    let mut mismatches = Vec::new();
    let mut requests = 0;
    for r in ROWS.iter().filter(|r| r.method != GET) {
        let target = org.target(r.target, Caller::ManagerInScope);
        if target.manager.is_some() {
            // A new region of its own: the team scope is not in it, as the out-of-scope
            // manager's row already tests.
            continue;
        }
        let path = fill(r.path, &target);
        let n = org.next();
        let body = (r.body)(&Ctx {
            app: &app,
            org: &org,
            target: &target,
            n,
        });
        let (status, reply) = send(&app, r.method, &path, Some(&token), body, n);
        requests += 1;
        let expected = team_expectation(r);
        if !verdict(expected, status, &reply, None) {
            mismatches.push(format!(
                "  {:<6} {} as a team manager: expected {expected:?}, got {status} {}",
                r.method,
                r.path,
                short(&reply)
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "\n{} of {requests} write requests by a team scope did not get what they should:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
