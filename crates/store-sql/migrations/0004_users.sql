-- People and machines who use the web application, their sessions, and the audit log of
-- every change they make. Portable SQL, as 0001: {{ID}}, BIGINT for every integer.
-- Secrets are never stored: sessions and API tokens are kept as SHA-256 hashes of the
-- random token the client holds, passwords as argon2id PHC strings.

CREATE TABLE users (
    id {{ID}},
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'collector', 'viewer')),
    password_hash TEXT NOT NULL,
    language TEXT NOT NULL,
    active BIGINT NOT NULL CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);

-- A browser session. `expires_at` is in Unix seconds, compared by the application (the
-- database never supplies the clock). `csrf_token` is the synchronizer token every form of
-- the session carries.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Bearer tokens for machines, acting as their user.
CREATE TABLE api_tokens (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- Who changed what, when, with the state before and after as JSON.
CREATE TABLE audit_log (
    id {{ID}},
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
