-- Delivery: the outbox of messages to send, the log of every delivery attempt, and the
-- jobs several instances share (the daily run, imports) with leases.
-- Portable SQL, as 0001. Instants used for leases and retries are BIGINT Unix seconds
-- (compared in SQL on both backends); display instants are RFC 3339 text.

-- One row per action and channel that sends something. E-mail and SMS are delivered by
-- the worker (`recouvre deliver`); letters, registered letters and formal notices wait
-- in the print queue (status `print`); phone tasks never come here (they are the
-- collector's worklist). Written in the same transaction as the action (run, approval).
-- `message_id` is stable per action and channel: the SMTP Message-ID header and the SMS
-- provider's idempotency key, and what a takeover looks for in `deliveries`.
-- A worker claims due rows with a lease (`lease_owner`, `lease_until`): a crashed
-- worker's rows are taken over once the lease has expired.
CREATE TABLE outbox (
    id {{ID}},
    action_id BIGINT NOT NULL REFERENCES actions (id),
    debtor_id BIGINT NOT NULL REFERENCES debtors (id),
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled', 'print')),
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    last_error TEXT,
    provider_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (action_id, channel)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Every delivery attempt: `started` is written and committed before the message data
-- leaves (the SMTP DATA command, the SMS request); `sent` or `failed` when it ended. An
-- attempt left `started` is one a crash interrupted: the message may have gone out.
CREATE TABLE deliveries (
    id {{ID}},
    outbox_id BIGINT NOT NULL REFERENCES outbox (id),
    attempt BIGINT NOT NULL,
    worker TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    result TEXT NOT NULL CHECK (result IN ('started', 'sent', 'failed', 'interrupted')),
    provider_id TEXT,
    detail TEXT,
    UNIQUE (outbox_id, attempt)
);

-- Work several instances share, one row per job key (`run:2026-11-23`, `import:<sha>`):
-- whoever holds an unexpired lease does it; an expired lease is taken over.
CREATE TABLE jobs (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    lease_owner TEXT,
    lease_until BIGINT,
    attempts BIGINT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    result TEXT
);
