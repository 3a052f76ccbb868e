-- The transactional outbox (SPEC §10.36): every domain event is written in the same transaction
-- as the change that caused it. A dispatcher in `sirr serve` later fans each event out to one
-- delivery per subscribed webhook and per e-mail recipient (`fanned_out`), and delivers those at
-- least once, retrying with backoff. `dedup_key` makes periodic events (action_plan.due) once only.
CREATE TABLE events (
    id           TEXT PRIMARY KEY NOT NULL,
    type         TEXT NOT NULL,
    occurred_at  TIMESTAMP NOT NULL,
    data         TEXT NOT NULL,
    dedup_key    TEXT UNIQUE,
    fanned_out   BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX events_fan_out_idx ON events (fanned_out, occurred_at);

-- Webhooks registered by admins. The secret is kept as given: the dispatcher signs with it, so
-- it cannot be hashed; the API never shows it again after creation.
CREATE TABLE webhooks (
    id          TEXT PRIMARY KEY NOT NULL,
    url         TEXT NOT NULL,
    events      TEXT NOT NULL,
    secret      TEXT NOT NULL,
    created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMP NOT NULL
);

-- One event to one webhook or one e-mail recipient. A dispatcher claims due rows for a lease
-- (`claim`, `claimed_until`); a process that dies mid-delivery leaves the lease to run out and
-- another delivery follows (at least once, with the same event id).
CREATE TABLE deliveries (
    id               TEXT PRIMARY KEY NOT NULL,
    event_id         TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,
    webhook_id       TEXT REFERENCES webhooks (id) ON DELETE CASCADE,
    recipient_id     TEXT REFERENCES users (id) ON DELETE CASCADE,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP NOT NULL,
    give_up_at       TIMESTAMP NOT NULL,
    claim            TEXT,
    claimed_until    TIMESTAMP,
    last_status      INTEGER,
    last_error       TEXT,
    delivered_at     TIMESTAMP,
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX deliveries_due_idx ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_webhook_idx ON deliveries (webhook_id, created_at);
CREATE INDEX deliveries_event_idx ON deliveries (event_id);

-- Every attempt, for the delivery log.
CREATE TABLE delivery_attempts (
    id            TEXT PRIMARY KEY NOT NULL,
    delivery_id   TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempted_at  TIMESTAMP NOT NULL,
    status_code   INTEGER,
    error         TEXT,
    duration_ms   BIGINT NOT NULL
);
CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id);

-- Per-user opt-out of notification e-mail (PATCH /api/v1/me {"email_notifications": false}).
ALTER TABLE users ADD COLUMN email_notifications BOOLEAN NOT NULL DEFAULT TRUE;
