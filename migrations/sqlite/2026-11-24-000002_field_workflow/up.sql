-- The field workflow: campaigns, assignments, visits with their revisions, idempotent
-- submissions, attachments, reviews, disputes, action plans, the audit log and stored scores.
-- Portable SQL (see migrations/README.md); only the triggers at the end differ by backend.

CREATE TABLE campaigns (
    id                 TEXT PRIMARY KEY NOT NULL,
    name               TEXT NOT NULL,
    checklist_id       TEXT NOT NULL REFERENCES checklists (id),
    starts_on          DATE NOT NULL,
    ends_on            DATE NOT NULL,
    visits_per_branch  INTEGER NOT NULL,
    scenarios          TEXT NOT NULL,       -- JSON array of scenario keys
    created_by         TEXT REFERENCES users (id),
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);

CREATE TABLE campaign_branches (
    campaign_id  TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    branch_id    TEXT NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, branch_id)
);

-- Conflicts of interest: a shopper is never assigned to these branches.
CREATE TABLE shopper_bars (
    shopper_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    branch_id   TEXT NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (shopper_id, branch_id)
);

CREATE TABLE assignments (
    id            TEXT PRIMARY KEY NOT NULL,
    campaign_id   TEXT REFERENCES campaigns (id),
    shopper_id    TEXT NOT NULL REFERENCES users (id),
    branch_id     TEXT NOT NULL REFERENCES branches (id),
    team_id       TEXT REFERENCES teams (id),
    checklist_id  TEXT NOT NULL REFERENCES checklists (id),
    window_start  TIMESTAMP NOT NULL,
    window_end    TIMESTAMP NOT NULL,
    scenario      TEXT,
    status        TEXT NOT NULL,            -- offered | accepted | declined | submitted | returned | approved | cancelled
    created_by    TEXT REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX assignments_shopper_idx ON assignments (shopper_id, window_start);
CREATE INDEX assignments_branch_idx ON assignments (branch_id, window_start);
CREATE INDEX assignments_campaign_idx ON assignments (campaign_id);

-- A visit: the current state of one assignment's answers. Each submission is also kept whole in
-- visit_revisions.
CREATE TABLE visits (
    id              TEXT PRIMARY KEY NOT NULL,
    assignment_id   TEXT NOT NULL UNIQUE REFERENCES assignments (id),
    shopper_id      TEXT NOT NULL REFERENCES users (id),
    branch_id       TEXT NOT NULL REFERENCES branches (id),
    team_id         TEXT REFERENCES teams (id),
    checklist_id    TEXT NOT NULL REFERENCES checklists (id),
    status          TEXT NOT NULL,          -- draft | submitted | returned | approved
    revision        INTEGER NOT NULL,       -- submissions so far
    answers         TEXT NOT NULL,          -- JSON object, as in SPEC §4
    comments        TEXT NOT NULL,          -- JSON object: item key -> comment
    checked_in_at   TEXT,                   -- RFC 3339 with the shopper's local offset, as sent
    checked_in_utc  TIMESTAMP,              -- the same instant in UTC, for ordering and ranges
    lat             DOUBLE PRECISION,
    lon             DOUBLE PRECISION,
    duration_s      DOUBLE PRECISION,
    flags           TEXT NOT NULL,          -- JSON array of plausibility flags
    submitted_at    TIMESTAMP,
    approved_at     TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX visits_status_idx ON visits (status, checked_in_utc);
CREATE INDEX visits_branch_idx ON visits (branch_id, checked_in_utc);
CREATE INDEX visits_shopper_idx ON visits (shopper_id);

CREATE TABLE visit_revisions (
    visit_id        TEXT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    revision        INTEGER NOT NULL,
    answers         TEXT NOT NULL,
    comments        TEXT NOT NULL,
    checked_in_at   TEXT NOT NULL,
    lat             DOUBLE PRECISION,
    lon             DOUBLE PRECISION,
    duration_s      DOUBLE PRECISION,
    submitted_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (visit_id, revision)
);

-- Idempotency keys of submissions, per user: the canonical request body's hash and the answer
-- first given, replayed for a retry.
CREATE TABLE idempotency_keys (
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER NOT NULL,
    response      TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE attachments (
    id             TEXT PRIMARY KEY NOT NULL,
    assignment_id  TEXT NOT NULL REFERENCES assignments (id),
    item_key       TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size_bytes     BIGINT NOT NULL,
    sha256         TEXT NOT NULL,
    storage_key    TEXT NOT NULL,
    captured_at    TEXT,                    -- from the photo, sent by the phone (SPEC §9.24)
    captured_lat   DOUBLE PRECISION,
    captured_lon   DOUBLE PRECISION,
    uploaded_by    TEXT NOT NULL REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX attachments_assignment_idx ON attachments (assignment_id);

CREATE TABLE reviews (
    id             TEXT PRIMARY KEY NOT NULL,
    visit_id       TEXT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    revision       INTEGER NOT NULL,
    reviewer_id    TEXT NOT NULL REFERENCES users (id),
    decision       TEXT NOT NULL,           -- approved | returned
    note           TEXT NOT NULL,
    item_comments  TEXT NOT NULL,           -- JSON object: item key -> comment
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX reviews_visit_idx ON reviews (visit_id);

CREATE TABLE disputes (
    id             TEXT PRIMARY KEY NOT NULL,
    visit_id       TEXT NOT NULL REFERENCES visits (id),
    item_key       TEXT NOT NULL,
    reason         TEXT NOT NULL,
    evidence       TEXT,
    status         TEXT NOT NULL,           -- open | upheld | overturned
    raised_by      TEXT NOT NULL REFERENCES users (id),
    resolution     TEXT,
    resolved_by    TEXT REFERENCES users (id),
    resolved_at    TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX disputes_visit_idx ON disputes (visit_id);
CREATE INDEX disputes_status_idx ON disputes (status);

CREATE TABLE action_items (
    id           TEXT PRIMARY KEY NOT NULL,
    branch_id    TEXT NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    period       TEXT NOT NULL,             -- YYYY-MM, YYYY-Qn or YYYY-Www
    item_key     TEXT,
    section_key  TEXT,
    action       TEXT NOT NULL,
    owner        TEXT NOT NULL,
    due_on       DATE NOT NULL,
    status       TEXT NOT NULL,             -- open | in_progress | done
    done_at      TIMESTAMP,
    created_by   TEXT REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX action_items_branch_idx ON action_items (branch_id, period);

CREATE TABLE audit_log (
    id         TEXT PRIMARY KEY NOT NULL,
    at         TIMESTAMP NOT NULL,
    actor_id   TEXT,
    action     TEXT NOT NULL,               -- create | update | delete | submit | approve | …
    entity     TEXT NOT NULL,               -- visit | assignment | dispute | …
    entity_id  TEXT NOT NULL,
    details    TEXT NOT NULL                -- JSON object
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

-- Computed score reports, shared by every process (SPEC §9.23): one row per period selection,
-- valid while `generation` matches the change counters it was computed at.
CREATE TABLE score_reports (
    key          TEXT PRIMARY KEY NOT NULL,
    generation   TEXT NOT NULL,
    body         TEXT NOT NULL,
    computed_at  TIMESTAMP NOT NULL
);

INSERT INTO change_counters (name, value) VALUES ('scores', 0);

-- Scores change when an approved visit changes, appears or goes, and when a dispute is resolved.
CREATE TRIGGER visits_insert_bump AFTER INSERT ON visits WHEN NEW.status = 'approved'
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'scores'; END;
CREATE TRIGGER visits_update_bump AFTER UPDATE ON visits
WHEN OLD.status = 'approved' OR NEW.status = 'approved'
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'scores'; END;
CREATE TRIGGER visits_delete_bump AFTER DELETE ON visits WHEN OLD.status = 'approved'
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'scores'; END;
CREATE TRIGGER disputes_update_bump AFTER UPDATE ON disputes WHEN OLD.status <> NEW.status
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'scores'; END;
