-- Creditors, debtors, claims and the append-only ledger.
-- Portable SQL: {{ID}} is the backend's auto-increment primary key; dates are ISO
-- 'YYYY-MM-DD' text (sortable, exact, the same on both backends); money is BIGINT minor
-- units with its ISO currency code beside it. No database-side clock: every timestamp is
-- written by the application's injected clock.

CREATE TABLE creditors (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    country TEXT NOT NULL
);

CREATE TABLE debtors (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('company', 'person')),
    segment TEXT NOT NULL CHECK (segment IN ('b2b', 'b2c')),
    country TEXT NOT NULL,
    language TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    UNIQUE (creditor_id, external_id)
);

CREATE TABLE debtor_contacts (
    debtor_id BIGINT NOT NULL REFERENCES debtors (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'address')),
    value TEXT NOT NULL,
    label TEXT,
    PRIMARY KEY (debtor_id, position)
);

CREATE TABLE claims (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    debtor_id BIGINT NOT NULL REFERENCES debtors (id),
    external_id TEXT NOT NULL,
    number TEXT NOT NULL,
    nature TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    currency TEXT NOT NULL,
    UNIQUE (creditor_id, external_id)
);
CREATE INDEX claims_by_debtor ON claims (debtor_id);

CREATE TABLE ledger_entries (
    claim_id BIGINT NOT NULL REFERENCES claims (id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    entry_date TEXT NOT NULL,
    reverses BIGINT,
    reference TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (claim_id, seq)
);

CREATE TABLE imports (
    id {{ID}},
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    rows_read BIGINT NOT NULL,
    created BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    imported_at TEXT NOT NULL
);
