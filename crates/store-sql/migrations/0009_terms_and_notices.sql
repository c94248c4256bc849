-- Terms of sale and formal notices (issue 17). Portable SQL, as 0001: {{ID}}, ISO date
-- text, BIGINT 0/1 booleans.

-- What a contract says about late payment, per creditor (`scope` 'creditor') or per claim
-- ('claim', overriding its creditor's field by field). A NULL field says nothing: the law,
-- or the creditor's terms, apply. Text forms are the canonical ones of
-- domain::law::contract (`12%`, `3x legal`, `ecb+10`; `60d`, `45d eom`).
CREATE TABLE contract_terms (
    scope TEXT NOT NULL CHECK (scope IN ('creditor', 'claim')),
    owner_id BIGINT NOT NULL,
    penalty_rate TEXT,
    indemnity TEXT,
    payment_term TEXT,
    due_date_is_notice BIGINT CHECK (due_date_is_notice IN (0, 1)),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (scope, owner_id)
);

-- Formal notices ("mises en demeure") as dated legal events: sent by the daily run (the
-- action that decided it), by hand, or served by a commissaire de justice. A registered
-- letter's tracking number, first presentation and signed acknowledgment are entered by
-- hand, through the API, or from the postal operator's tracking export. Legal-rate
-- interest on a consumer's debt runs from the day after its receipt (C. civ. 1344-1).
CREATE TABLE formal_notices (
    id {{ID}},
    debtor_id BIGINT NOT NULL REFERENCES debtors (id),
    -- The action of the run that decided it, if any: one notice per action.
    action_id BIGINT UNIQUE REFERENCES actions (id),
    -- The claims it demands, comma-separated ids (as actions.claim_ids).
    claim_ids TEXT NOT NULL,
    sent_by TEXT NOT NULL CHECK (sent_by IN ('run', 'hand', 'commissaire')),
    sent_on TEXT NOT NULL,
    tracking_number TEXT UNIQUE,
    presented_on TEXT,
    received_on TEXT,
    -- The proof kept (file name or document reference of the signed acknowledgment, the
    -- commissaire's act).
    proof TEXT,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX formal_notices_by_debtor ON formal_notices (debtor_id);
