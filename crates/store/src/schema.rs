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
        language -> Nullable<Text>,
        email_notifications -> Bool,
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
    password_links (id) {
        id -> Text,
        user_id -> Text,
        purpose -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
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

diesel::table! {
    change_counters (name) {
        name -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    campaigns (id) {
        id -> Text,
        name -> Text,
        checklist_id -> Text,
        starts_on -> Date,
        ends_on -> Date,
        visits_per_branch -> Integer,
        scenarios -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    campaign_branches (campaign_id, branch_id) {
        campaign_id -> Text,
        branch_id -> Text,
    }
}

diesel::table! {
    shopper_bars (shopper_id, branch_id) {
        shopper_id -> Text,
        branch_id -> Text,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assignments (id) {
        id -> Text,
        campaign_id -> Nullable<Text>,
        shopper_id -> Text,
        branch_id -> Text,
        team_id -> Nullable<Text>,
        checklist_id -> Text,
        window_start -> Timestamp,
        window_end -> Timestamp,
        scenario -> Nullable<Text>,
        status -> Text,
        created_by -> Nullable<Text>,
        calibration -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    visits (id) {
        id -> Text,
        assignment_id -> Text,
        shopper_id -> Text,
        branch_id -> Text,
        team_id -> Nullable<Text>,
        checklist_id -> Text,
        status -> Text,
        revision -> Integer,
        answers -> Text,
        comments -> Text,
        checked_in_at -> Nullable<Text>,
        checked_in_utc -> Nullable<Timestamp>,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        duration_s -> Nullable<Double>,
        flags -> Text,
        submitted_at -> Nullable<Timestamp>,
        approved_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        evidence -> Nullable<Text>,
    }
}

diesel::table! {
    visit_revisions (visit_id, revision) {
        visit_id -> Text,
        revision -> Integer,
        answers -> Text,
        comments -> Text,
        checked_in_at -> Text,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        duration_s -> Nullable<Double>,
        submitted_at -> Timestamp,
        evidence -> Nullable<Text>,
        flags -> Text,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> Text,
        key -> Text,
        request_hash -> Text,
        status -> Integer,
        response -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    attachments (id) {
        id -> Text,
        assignment_id -> Text,
        item_key -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        captured_at -> Nullable<Text>,
        captured_lat -> Nullable<Double>,
        captured_lon -> Nullable<Double>,
        uploaded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reviews (id) {
        id -> Text,
        visit_id -> Text,
        revision -> Integer,
        reviewer_id -> Text,
        decision -> Text,
        note -> Text,
        item_comments -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    disputes (id) {
        id -> Text,
        visit_id -> Text,
        item_key -> Text,
        reason -> Text,
        evidence -> Nullable<Text>,
        status -> Text,
        raised_by -> Text,
        resolution -> Nullable<Text>,
        resolved_by -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    action_items (id) {
        id -> Text,
        branch_id -> Text,
        period -> Text,
        item_key -> Nullable<Text>,
        section_key -> Nullable<Text>,
        action -> Text,
        owner -> Text,
        due_on -> Date,
        status -> Text,
        done_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        entity -> Text,
        entity_id -> Text,
        details -> Text,
    }
}

diesel::table! {
    score_reports (key) {
        key -> Text,
        generation -> Text,
        body -> Text,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    period_estimates (period) {
        period -> Text,
        fingerprint -> Text,
        body -> Text,
        organisation_counter -> BigInt,
        scores_counter -> BigInt,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    access_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    events (id) {
        id -> Text,
        #[sql_name = "type"]
        event_type -> Text,
        occurred_at -> Timestamp,
        data -> Text,
        dedup_key -> Nullable<Text>,
        fanned_out -> Bool,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Text,
        url -> Text,
        events -> Text,
        secret -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    deliveries (id) {
        id -> Text,
        event_id -> Text,
        kind -> Text,
        webhook_id -> Nullable<Text>,
        recipient_id -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        give_up_at -> Timestamp,
        claim -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    delivery_attempts (id) {
        id -> Text,
        delivery_id -> Text,
        attempted_at -> Timestamp,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> BigInt,
    }
}

diesel::joinable!(access_tokens -> users (user_id));
diesel::joinable!(deliveries -> events (event_id));
diesel::joinable!(deliveries -> webhooks (webhook_id));
diesel::joinable!(delivery_attempts -> deliveries (delivery_id));
diesel::joinable!(branches -> regions (region_id));
diesel::joinable!(teams -> branches (branch_id));
diesel::joinable!(user_scopes -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(password_links -> users (user_id));
diesel::joinable!(assignments -> branches (branch_id));
diesel::joinable!(assignments -> checklists (checklist_id));
diesel::joinable!(visits -> assignments (assignment_id));
diesel::joinable!(visits -> checklists (checklist_id));
diesel::joinable!(disputes -> visits (visit_id));
diesel::joinable!(campaigns -> checklists (checklist_id));

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
    change_counters,
    campaigns,
    campaign_branches,
    shopper_bars,
    assignments,
    visits,
    visit_revisions,
    idempotency_keys,
    attachments,
    reviews,
    disputes,
    action_items,
    audit_log,
    score_reports,
    period_estimates,
    access_tokens,
    events,
    webhooks,
    deliveries,
    delivery_attempts,
    password_links,
);
