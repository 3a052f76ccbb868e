-- Single-use links that set a password: a reset asked for by e-mail (short-lived) and the
-- invitation of an account created without a password (longer-lived). Only the SHA-256 of the
-- token is kept; the token itself exists only in the letter. Using a link sets used_at, once
-- (an UPDATE … WHERE used_at IS NULL, so two uses at once cannot both succeed). The rows of an
-- account also count its reset letters for the per-account throttle.
CREATE TABLE password_links (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP
);
CREATE INDEX password_links_user_idx ON password_links (user_id, created_at);
