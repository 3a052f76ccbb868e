//! The stored states of records and the other closed vocabularies of the schema (roles, scope
//! kinds, delivery kinds): one enum each, read and written as TEXT on both backends, so a state
//! is spelled in one place and a misspelt one does not compile.
//!
//! Each enum is its stored text on the wire too (serde), so neither the schema nor the API
//! changes. Reading a value the enum does not know (a row written by hand, a newer version) is
//! an error naming the column's vocabulary and the value, not a silent default.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;

use crate::MultiBackend;

/// A text that is not one of a vocabulary's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not {what} (one of: {choices})")]
pub struct UnknownState {
    /// What the vocabulary names, with its article ("an assignment status").
    pub what: &'static str,
    /// The text given.
    pub text: String,
    /// Its words, comma-separated.
    pub choices: String,
}

/// Declares a vocabulary: a `Copy` enum whose variants are stored, sent and parsed as the given
/// words. Each word is its variant's name in snake case: serde and the OpenAPI schema derive it
/// with `rename_all` (utoipa does not read a per-variant rename that a macro passes on), and a
/// test checks that every word agrees with it.
macro_rules! stored_words {
    ($(
        $(#[$doc:meta])*
        $name:ident ($what:literal) {
            $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+
        }
    )+) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        #[diesel(sql_type = Text)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every word, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stored word.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// The value a stored word names, if any.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// Every word, comma-separated (for messages that list the choices).
            pub fn choices() -> String {
                Self::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownState;
            fn from_str(text: &str) -> Result<Self, UnknownState> {
                Self::parse(text).ok_or_else(|| UnknownState {
                    what: $what,
                    text: text.to_owned(),
                    choices: Self::choices(),
                })
            }
        }

        impl ToSql<Text, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(self.as_str(), out)
            }
        }
        impl ToSql<Text, Sqlite> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <str as ToSql<Text, Sqlite>>::to_sql(self.as_str(), out)
            }
        }
        impl ToSql<Text, MultiBackend> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((Text, self));
                Ok(IsNull::No)
            }
        }
        impl FromSql<Text, Pg> for $name {
            fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
                Ok(text.parse::<Self>()?)
            }
        }
        impl FromSql<Text, Sqlite> for $name {
            fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, Sqlite>>::from_sql(bytes)?;
                Ok(text.parse::<Self>()?)
            }
        }
        impl FromSql<Text, MultiBackend> for $name {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<Self, Text>()
            }
        }
    )+};
}

stored_words! {
    /// A user's role (SPEC §2), as stored in `users.role`.
    Role ("a role") {
        /// Organisation structure, users, settings; everything.
        Admin = "admin",
        /// Checklists, campaigns, review, calibration, severity.
        Qa = "qa",
        /// Reads scores and reports within their scopes.
        Manager = "manager",
        /// Fills in their own assignments.
        Shopper = "shopper",
    }

    /// What a scope names (`user_scopes.kind`).
    ScopeKind ("a scope kind") {
        /// Every branch of a region.
        Region = "region",
        /// One branch.
        Branch = "branch",
        /// One team (and, read-only, its branch).
        Team = "team",
    }

    /// Where an assignment stands (`assignments.status`); a visit shares its assignment's
    /// states (`visits.status`, `reviews.decision`).
    AssignmentStatus ("an assignment status") {
        /// Created by QA, not yet answered by the shopper.
        Offered = "offered",
        /// The shopper will do it.
        Accepted = "accepted",
        /// The shopper will not.
        Declined = "declined",
        /// Submitted, waiting for QA.
        Submitted = "submitted",
        /// QA sent it back with comments.
        Returned = "returned",
        /// QA approved it: it counts in scores.
        Approved = "approved",
        /// QA withdrew it before submission.
        Cancelled = "cancelled",
        /// QA found the visit unusable (fabricated, wrong branch): it never counts, and the
        /// shopper is told why.
        Rejected = "rejected",
        /// A visit saved but not submitted (visits only).
        Draft = "draft",
    }

    /// Where a checklist version stands (`checklists.status`).
    ChecklistStatus ("a checklist status") {
        /// Being designed: may be replaced or deleted, never used for visits; visible to QA
        /// and admins only.
        Draft = "draft",
        /// Frozen: immutable, with its content hash; visits are filled against it.
        Published = "published",
    }

    /// Where a dispute stands (`disputes.status`).
    DisputeStatus ("a dispute status") {
        /// Filed, waiting for QA.
        Open = "open",
        /// QA kept the original result.
        Upheld = "upheld",
        /// QA set the result aside: the item counts as N/A for the visit.
        Overturned = "overturned",
    }

    /// Where an action stands (`action_items.status`).
    ActionStatus ("an action status") {
        /// Not started.
        Open = "open",
        /// Under way.
        InProgress = "in_progress",
        /// Done: `done_at` records when.
        Done = "done",
    }

    /// Where a delivery stands (`deliveries.status`).
    DeliveryStatus ("a delivery status") {
        /// Waiting for its (next) attempt.
        Pending = "pending",
        /// The receiver took it (2xx), or the SMTP server accepted the letter.
        Delivered = "delivered",
        /// Every attempt within the retry window failed.
        Failed = "failed",
        /// Nothing to send: the recipient opted out, left, or has no letter for this event.
        Skipped = "skipped",
    }

    /// Why a password link was made (`password_links.purpose`).
    LinkPurpose ("a link purpose") {
        /// The user asked for a password reset.
        Reset = "reset",
        /// The account was created without a password; the link sets the first one.
        Invitation = "invitation",
    }

    /// What a delivery goes to (`deliveries.kind`).
    DeliveryKind ("a delivery kind") {
        /// An HTTP POST to a webhook.
        Webhook = "webhook",
        /// A letter to a user.
        Email = "email",
    }
}

impl AssignmentStatus {
    /// States in which the shopper may still save and submit answers (the submission's
    /// conditional update spells them out, to stay a prepared statement).
    pub const OPEN: [Self; 3] = [Self::Offered, Self::Accepted, Self::Returned];
    /// States that no longer hold a shopper to a branch (rotation ignores them).
    pub const WITHDRAWN: [Self; 2] = [Self::Declined, Self::Cancelled];
    /// A QA decision on a submitted visit (`reviews.decision`).
    pub const DECISIONS: [Self; 3] = [Self::Approved, Self::Returned, Self::Rejected];
}

impl DisputeStatus {
    /// The outcomes QA may resolve an open dispute with.
    pub const OUTCOMES: [Self; 2] = [Self::Upheld, Self::Overturned];
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use diesel::prelude::*;

    use super::*;

    /// Every word parses back to its value, and serde (hence the wire and the OpenAPI schema,
    /// which derive the word from the variant's name) writes the same word.
    fn words_agree<T>(all: &[T], as_str: fn(T) -> &'static str, parse: fn(&str) -> Option<T>)
    where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
    {
        for value in all {
            let word = as_str(*value);
            assert_eq!(parse(word), Some(*value), "{word}");
            assert_eq!(serde_json::to_value(value).unwrap(), word, "{value:?}");
            assert_eq!(
                serde_json::from_value::<T>(serde_json::Value::from(word)).unwrap(),
                *value
            );
        }
    }

    #[test]
    fn every_word_parses_back_to_its_value_and_is_its_serde_name() {
        words_agree(Role::ALL, Role::as_str, Role::parse);
        words_agree(ScopeKind::ALL, ScopeKind::as_str, ScopeKind::parse);
        words_agree(
            AssignmentStatus::ALL,
            AssignmentStatus::as_str,
            AssignmentStatus::parse,
        );
        words_agree(
            ChecklistStatus::ALL,
            ChecklistStatus::as_str,
            ChecklistStatus::parse,
        );
        words_agree(
            DisputeStatus::ALL,
            DisputeStatus::as_str,
            DisputeStatus::parse,
        );
        words_agree(ActionStatus::ALL, ActionStatus::as_str, ActionStatus::parse);
        words_agree(
            DeliveryStatus::ALL,
            DeliveryStatus::as_str,
            DeliveryStatus::parse,
        );
        words_agree(DeliveryKind::ALL, DeliveryKind::as_str, DeliveryKind::parse);
        words_agree(LinkPurpose::ALL, LinkPurpose::as_str, LinkPurpose::parse);
        assert_eq!(ActionStatus::InProgress.to_string(), "in_progress");
        assert_eq!(
            serde_json::from_str::<ActionStatus>("\"in_progress\"").unwrap(),
            ActionStatus::InProgress
        );
    }

    #[test]
    fn an_unknown_word_is_refused_naming_the_vocabulary_and_its_choices() {
        let error = "aproved".parse::<AssignmentStatus>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "'aproved' is not an assignment status (one of: offered, accepted, declined, \
             submitted, returned, approved, cancelled, rejected, draft)"
        );
    }

    #[test]
    fn states_round_trip_through_sqlite_as_text_and_unknown_text_is_an_error() {
        diesel::table! {
            notes (id) {
                id -> Integer,
                state -> Text,
            }
        }
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        diesel::sql_query("CREATE TABLE notes (id INTEGER PRIMARY KEY, state TEXT NOT NULL)")
            .execute(&mut conn)
            .unwrap();
        diesel::insert_into(notes::table)
            .values((notes::id.eq(1), notes::state.eq(DisputeStatus::Overturned)))
            .execute(&mut conn)
            .unwrap();
        let raw: String = notes::table.select(notes::state).first(&mut conn).unwrap();
        assert_eq!(raw, "overturned");
        let typed: DisputeStatus = notes::table
            .filter(notes::state.eq_any(DisputeStatus::OUTCOMES))
            .select(notes::state)
            .first(&mut conn)
            .unwrap();
        assert_eq!(typed, DisputeStatus::Overturned);

        diesel::sql_query("INSERT INTO notes VALUES (2, 'lost')")
            .execute(&mut conn)
            .unwrap();
        let error = notes::table
            .filter(notes::id.eq(2))
            .select(notes::state)
            .first::<DisputeStatus>(&mut conn)
            .unwrap_err();
        // diesel names the field; the cause below it names the vocabulary and the value.
        let mut chain = error.to_string();
        let mut cause = std::error::Error::source(&error);
        while let Some(inner) = cause {
            chain.push_str(&format!(": {inner}"));
            cause = inner.source();
        }
        assert!(chain.contains("'lost' is not a dispute status"), "{chain}");
    }
}
