-- Sign-in security (issue 23, item 4). Portable SQL, as 0001.
--
-- A user's second factor: the TOTP secret (RFC 6238; base32 text, NULL: no second factor)
-- and the last time step a code was accepted for, so that a code is used once.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- Failed sign-ins, kept 15 minutes, in the database so that every instance serving one
-- PostgreSQL database counts the same failures. `key` is `login:<login> ip:<address>` or
-- `ip:<address>`; `at` Unix seconds from the application's clock.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
