-- Personal access tokens (SPEC §10.34): for scripts and for Excel's and Power BI's OData
-- connectors, which send them as Bearer tokens or as the password of HTTP Basic. Only the
-- SHA-256 of a token is kept; revoking sets revoked_at (the row stays for the list).
CREATE TABLE access_tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);
CREATE INDEX access_tokens_user_idx ON access_tokens (user_id);
