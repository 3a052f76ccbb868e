//! The tables (diesel `table!`), with backend-neutral types only so that one code path serves
//! SQLite and PostgreSQL. Kept by hand in step with `migrations/`; a test runs every migration up,
//! down and up on both backends and queries every table through this schema.

diesel::table! {
    regions (id) {
        id -> Text,
        code -> Text,
        names -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    branches (id) {
        id -> Text,
        code -> Text,
        region_id -> Text,
        names -> Text,
        city -> Text,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    teams (id) {
        id -> Text,
        branch_id -> Text,
        code -> Text,
        names -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_scopes (user_id, kind, target_id) {
        user_id -> Text,
        kind -> Text,
        target_id -> Text,
    }
}

diesel::table! {
    checklists (id) {
        id -> Text,
        key -> Text,
        version -> Integer,
        status -> Text,
        document -> Text,
        content_hash -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> Text,
        email -> Text,
        address -> Text,
        succeeded -> Bool,
        at -> Timestamp,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::joinable!(branches -> regions (region_id));
diesel::joinable!(teams -> branches (branch_id));
diesel::joinable!(user_scopes -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    regions,
    branches,
    teams,
    users,
    user_scopes,
    checklists,
    refresh_tokens,
    login_attempts,
    settings,
);
