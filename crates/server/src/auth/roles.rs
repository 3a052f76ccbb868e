//! The sets of roles that routes require, each named once by what its members do. A route says
//! `user.require(roles::READERS)?`; a new route picks one of these instead of writing a list, so
//! two routes that mean the same people cannot drift apart.

use super::Role;

/// Admins only: the organisation, users, webhooks, the audit log.
pub const ADMINS: &[Role] = &[Role::Admin];

/// The quality team (admins and QA): checklists, campaigns, assignments, reviews, shopper
/// severity and agreement.
pub const QUALITY: &[Role] = &[Role::Admin, Role::Qa];

/// Who reads results (admins, QA and managers, the last within their scopes): scores, reports,
/// exports, a branch's visits, action plans.
pub const READERS: &[Role] = &[Role::Admin, Role::Qa, Role::Manager];

/// The quality team and shoppers, who see only their own: assignments and their attachments.
pub const QUALITY_AND_SHOPPERS: &[Role] = &[Role::Admin, Role::Qa, Role::Shopper];

/// Shoppers only: accepting and filling visits.
pub const SHOPPERS: &[Role] = &[Role::Shopper];

/// Managers only: disputing a visit of their branch.
pub const MANAGERS: &[Role] = &[Role::Manager];
