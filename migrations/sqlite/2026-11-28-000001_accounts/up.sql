-- Accounts, their one-time email tokens, refresh-token families, login throttling and the mail
-- outbox. Types are those both backends share (see DESIGN.md): ids as text, UTC timestamps.
CREATE TABLE users (
    id                TEXT PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE,
    password_hash     TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('candidate', 'employer', 'agency_officer', 'admin')),
    display_name      TEXT NOT NULL,
    locale            TEXT NOT NULL DEFAULT 'en',
    email_verified_at TIMESTAMP,
    disabled_at       TIMESTAMP,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);

CREATE TABLE user_tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX user_tokens_user_id ON user_tokens (user_id);

CREATE TABLE refresh_tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id  TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    spent_at   TIMESTAMP,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX refresh_tokens_family_id ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_id ON refresh_tokens (user_id);

-- One row per throttled key ("account:<hash of email>" or "ip:<address>"), shared by every node.
CREATE TABLE login_throttles (
    key               TEXT PRIMARY KEY,
    failures          INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL,
    locked_until      TIMESTAMP
);

CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY,
    recipient       TEXT NOT NULL,
    template        TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until   TIMESTAMP,
    claimed_by      TEXT,
    sent_at         TIMESTAMP,
    failed_at       TIMESTAMP,
    last_error      TEXT
);
CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, failed_at, next_attempt_at);
