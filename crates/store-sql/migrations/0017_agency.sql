-- Agency mode (issue 19, CPCE R124-1 to R124-7): mandates from client creditors, the
-- files placed under them, the remittance statements paying the clients, the notices
-- that keep them informed, and the users bound to one client. Portable SQL, as 0001.

-- A user of the role `client` is bound to one creditor and sees only its files. The
-- `role` column's CHECK of 0004 cannot change on SQLite without rebuilding the table, so a
-- client is stored with the least staff role in `role` and its creditor here: the store
-- reads any row with `client_of` set as the role `client`, whatever `role` says, so a
-- client can never act with a viewer's rights.
ALTER TABLE users ADD COLUMN client_of BIGINT REFERENCES creditors (id);

-- A written mandate (R124-3). `data` holds its terms as JSON (fee terms, remittance
-- terms, the client's bank account, the insurance reference), written whole under
-- optimistic concurrency (`version`).
CREATE TABLE mandates (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    reference TEXT NOT NULL UNIQUE,
    signed_on TEXT NOT NULL,
    -- The last day it is in force; NULL: until ended.
    ends_on TEXT,
    currency TEXT NOT NULL,
    data TEXT NOT NULL,
    version BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX mandates_by_creditor ON mandates (creditor_id);

-- A claim placed with the agency under a mandate ("remise de dossier"), until it is
-- withdrawn by the client or closed. One placement in force per claim.
CREATE TABLE placements (
    id {{ID}},
    mandate_id BIGINT NOT NULL REFERENCES mandates (id),
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    claim_id BIGINT NOT NULL REFERENCES claims (id),
    placed_on TEXT NOT NULL,
    -- The principal open when placed, minor units of the mandate's currency.
    principal_minor BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('placed', 'withdrawn', 'closed')),
    ended_on TEXT,
    -- Why it ended (the client's withdrawal, paid, written off...), as typed.
    end_reason TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE UNIQUE INDEX placements_one_in_force ON placements (claim_id) WHERE state = 'placed';
CREATE INDEX placements_by_mandate ON placements (mandate_id, placed_on);

-- A remittance statement for one mandate and one period: what was collected, the fees,
-- what is remitted, and the SEPA credit transfer (pain.001) paying it. One per mandate and
-- period: issuing the same period again finds it and changes nothing.
CREATE TABLE remittances (
    id {{ID}},
    mandate_id BIGINT NOT NULL REFERENCES mandates (id),
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    -- The day the funds were due (a month after the earliest collection, R124-6).
    due_by TEXT,
    collected_minor BIGINT NOT NULL,
    to_remit_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    -- The statement as JSON (lines, fees, VAT).
    data TEXT NOT NULL,
    -- The pain.001 message (NULL when nothing is remitted) and its message id.
    transfer_xml TEXT,
    message_id TEXT UNIQUE,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (mandate_id, period_start)
);
CREATE INDEX remittances_by_creditor ON remittances (creditor_id, period_start);

-- Each ledger entry (a payment, or the reversal of a remitted one) is remitted once.
CREATE TABLE remittance_entries (
    claim_id BIGINT NOT NULL REFERENCES claims (id),
    seq BIGINT NOT NULL,
    remittance_id BIGINT NOT NULL REFERENCES remittances (id),
    PRIMARY KEY (claim_id, seq)
);

-- What a client was told (R124-5): a payment, a debtor's proposal, a withdrawal's
-- closing report. One notice per subject (`key`, e.g. `payment:12:3`): told once.
CREATE TABLE client_notices (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    notice_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    claim_id BIGINT REFERENCES claims (id),
    created_on TEXT NOT NULL,
    -- The facts as JSON (amount, dates, debtor); the text is written when shown, in the
    -- reader's language.
    data TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    -- When it went to the client by e-mail (NULL: not yet); set before the message leaves
    -- and cleared when it could not.
    emailed_at TEXT
);
CREATE INDEX client_notices_by_creditor ON client_notices (creditor_id, created_on);
