//! Identifiers: the generator (time-ordered, random, text — portable across backends and safe
//! for several processes to generate at once) and one newtype per table's key.
//!
//! Every key is stored as TEXT, and a key of one table cannot be passed where another's is
//! expected: `branches::find(conn, &assignment.branch_id)` compiles, `branches::find(conn,
//! &assignment.shopper_id)` does not. The types are plain text on the wire (serde transparent)
//! and in SQL (diesel `Text` on both backends), so neither the API nor the schema changes.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;

use crate::MultiBackend;

/// Declares a key type: a `String` newtype that diesel reads and writes as `Text` on SQLite,
/// PostgreSQL and the multi-connection backend, and serde as a plain string.
macro_rules! key_type {
    ($($(#[$doc:meta])* $name:ident;)+) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
            serde::Serialize, serde::Deserialize,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = Text)]
        pub struct $name(String);

        impl $name {
            /// A fresh key ([`new_id`]).
            pub fn generate() -> Self {
                Self(new_id())
            }
            /// The key as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// The key's text, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                Self(text)
            }
        }
        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self(text.to_owned())
            }
        }
        impl From<&String> for $name {
            fn from(text: &String) -> Self {
                Self(text.clone())
            }
        }
        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
        // Reading a key as text is always safe (logs, wire types, comparisons); only making
        // one from text is explicit (`From`), so a key of one table never passes for another's.
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl ToSql<Text, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(self.0.as_str(), out)
            }
        }
        impl ToSql<Text, Sqlite> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <str as ToSql<Text, Sqlite>>::to_sql(self.0.as_str(), out)
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
                <String as FromSql<Text, Pg>>::from_sql(bytes).map(Self)
            }
        }
        impl FromSql<Text, Sqlite> for $name {
            fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <String as FromSql<Text, Sqlite>>::from_sql(bytes).map(Self)
            }
        }
        impl FromSql<Text, MultiBackend> for $name {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<Self, Text>()
            }
        }
    )+};
}

key_type! {
    /// A region (`regions.id`).
    RegionId;
    /// A branch (`branches.id`).
    BranchId;
    /// A team within a branch (`teams.id`).
    TeamId;
    /// A user of any role (`users.id`); shoppers, reviewers and actors are users.
    UserId;
    /// One version of a checklist (`checklists.id`).
    ChecklistId;
    /// A campaign (`campaigns.id`).
    CampaignId;
    /// An assignment: one shopper, one branch, one window (`assignments.id`).
    AssignmentId;
    /// A filed visit (`visits.id`).
    VisitId;
    /// A photo or file attached to an assignment (`attachments.id`).
    AttachmentId;
    /// A QA review of a visit revision (`reviews.id`).
    ReviewId;
    /// A manager's dispute of one item of a visit (`disputes.id`).
    DisputeId;
    /// An action-plan item (`action_items.id`).
    ActionId;
    /// An audit-log entry (`audit_log.id`).
    AuditEntryId;
    /// A refresh token (`refresh_tokens.id`).
    RefreshTokenId;
    /// A personal access token (`access_tokens.id`).
    AccessTokenId;
    /// An event of the outbox (`events.id`, `evt_…`: the `webhook-id` of its deliveries).
    EventId;
    /// A delivery of an event to a webhook or a recipient (`deliveries.id`).
    DeliveryId;
    /// A registered webhook (`webhooks.id`).
    WebhookId;
}

/// A new id: 12 hex digits of milliseconds since 1970, then 20 random hex digits.
pub fn new_id() -> String {
    let millis = chrono::Utc::now().timestamp_millis().max(0) as u64;
    let mut random = [0u8; 10];
    // getrandom only fails when the OS has no entropy source at all; fall back to the clock.
    if getrandom::fill(&mut random).is_err() {
        let nanos = chrono::Utc::now().timestamp_subsec_nanos().to_le_bytes();
        random[..4].copy_from_slice(&nanos);
    }
    let mut id = format!("{millis:012x}");
    for b in random {
        id.push_str(&format!("{b:02x}"));
    }
    id
}

/// `n` random bytes as hex (tokens, generated passwords and keys).
pub fn random_hex(n: usize) -> Result<String, getrandom::Error> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use diesel::prelude::*;

    use super::*;
    use crate::schema::regions;

    #[test]
    fn ids_are_unique_and_ordered_by_time() {
        let a = new_id();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = new_id();
        assert_eq!(a.len(), 32);
        assert!(a < b);
        assert_ne!(new_id(), new_id());
    }

    /// A key goes into the database and comes back as the same typed key, bound as a parameter
    /// and read as a column (on PostgreSQL, every API test of the PostgreSQL suite does this).
    fn keys_round_trip_through(url: &str) {
        let pool = crate::connect(url, 1, std::time::Duration::from_secs(5)).unwrap();
        let mut conn = pool.get().unwrap();
        let id = RegionId::generate();
        let code = format!("K{}", &id.as_str()[20..]);
        diesel::insert_into(regions::table)
            .values((
                regions::id.eq(&id),
                regions::code.eq(&code),
                regions::names.eq(r#"{"en":"Keys","ar":"المفاتيح"}"#),
                regions::created_at.eq(crate::now()),
                regions::updated_at.eq(crate::now()),
            ))
            .execute(&mut conn)
            .unwrap();
        let found = crate::regions::find(&mut conn, &id).unwrap().unwrap();
        assert_eq!(found.id, id);
        let read: RegionId = regions::table
            .filter(regions::code.eq(&code))
            .select(regions::id)
            .first(&mut conn)
            .unwrap();
        assert_eq!(read, id);
        assert_eq!(crate::regions::delete(&mut conn, &id).unwrap(), 1);
    }

    #[test]
    fn keys_round_trip_through_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        keys_round_trip_through(&dir.path().join("keys.db").display().to_string());
    }

    #[test]
    fn keys_are_plain_text_on_the_wire() {
        let id = BranchId::from("0192abc");
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""0192abc""#);
        let back: BranchId = serde_json::from_str(r#""0192abc""#).unwrap();
        assert_eq!(back, id);
        assert_eq!(id.to_string(), "0192abc");
    }
}
