//! The stored states of records, one module per table: code filters and compares with these
//! constants, never with a literal, so a state is spelled in one place.

/// A user's role (SPEC §2), as stored in `users.role`.
pub mod role {
    /// Organisation structure, users, settings; everything.
    pub const ADMIN: &str = "admin";
    /// Checklists, campaigns, review, calibration, severity.
    pub const QA: &str = "qa";
    /// Reads scores and reports within their scopes.
    pub const MANAGER: &str = "manager";
    /// Fills in their own assignments.
    pub const SHOPPER: &str = "shopper";
}

/// Where an assignment stands.
pub mod assignment {
    /// Created by QA, not yet answered by the shopper.
    pub const OFFERED: &str = "offered";
    /// The shopper will do it.
    pub const ACCEPTED: &str = "accepted";
    /// The shopper will not.
    pub const DECLINED: &str = "declined";
    /// Submitted, waiting for QA.
    pub const SUBMITTED: &str = "submitted";
    /// QA sent it back with comments.
    pub const RETURNED: &str = "returned";
    /// QA approved it: it counts in scores.
    pub const APPROVED: &str = "approved";
    /// QA withdrew it before submission.
    pub const CANCELLED: &str = "cancelled";
    /// QA found the visit unusable (fabricated, wrong branch): it never counts, and the shopper
    /// is told why.
    pub const REJECTED: &str = "rejected";
    /// A visit saved but not submitted (visits only).
    pub const DRAFT: &str = "draft";

    /// States in which the shopper may still save and submit answers (the submission's
    /// conditional update in `api/visits.rs` spells them out, to stay a prepared statement).
    pub const OPEN: [&str; 3] = [OFFERED, ACCEPTED, RETURNED];
    /// States that no longer hold a shopper to a branch (rotation ignores them).
    pub const WITHDRAWN: [&str; 2] = [DECLINED, CANCELLED];
}

/// Where a checklist version stands.
pub mod checklist {
    /// Being edited; never used for visits.
    pub const DRAFT: &str = "draft";
    /// Frozen: visits are filled against it.
    pub const PUBLISHED: &str = "published";
}

/// Where a dispute stands.
pub mod dispute {
    /// Filed, waiting for QA.
    pub const OPEN: &str = "open";
    /// QA kept the original result.
    pub const UPHELD: &str = "upheld";
    /// QA set the result aside: the item counts as N/A for the visit.
    pub const OVERTURNED: &str = "overturned";
    /// Every state.
    pub const ALL: [&str; 3] = [OPEN, UPHELD, OVERTURNED];
}

/// Where an action stands.
pub mod action {
    /// Not started.
    pub const OPEN: &str = "open";
    /// Under way.
    pub const IN_PROGRESS: &str = "in_progress";
    /// Done: `done_at` records when.
    pub const DONE: &str = "done";
    /// Every state.
    pub const ALL: [&str; 3] = [OPEN, IN_PROGRESS, DONE];
}

/// Where a delivery stands.
pub mod delivery {
    /// Waiting for its (next) attempt.
    pub const PENDING: &str = "pending";
    /// The receiver took it (2xx), or the SMTP server accepted the letter.
    pub const DELIVERED: &str = "delivered";
    /// Every attempt within the retry window failed.
    pub const FAILED: &str = "failed";
    /// Nothing to send: the recipient opted out, left, or has no letter for this event.
    pub const SKIPPED: &str = "skipped";
}

/// What a delivery goes to.
pub mod delivery_kind {
    /// An HTTP POST to a webhook.
    pub const WEBHOOK: &str = "webhook";
    /// A letter to a user.
    pub const EMAIL: &str = "email";
}
