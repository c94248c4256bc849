-- Dunning: one case per debtor, the steps it has done in its current cycle, the actions
-- the daily run decided, and a few installation settings.
-- Portable SQL, as 0001: {{ID}}, ISO date text, BIGINT minor units, BIGINT 0/1 booleans.

-- A collection case ("dossier"). A debtor's id is its case's id: a debtor belongs to one
-- creditor. `cycle` counts openings: it starts at 1 and grows each time a closed case
-- owes again, which forgets the steps of the previous cycle.
CREATE TABLE cases (
    debtor_id BIGINT PRIMARY KEY REFERENCES debtors (id),
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    scenario TEXT,
    stage TEXT NOT NULL,
    cycle BIGINT NOT NULL,
    hold_until TEXT,
    arrangement TEXT CHECK (arrangement IN ('promise', 'plan')),
    updated_at TEXT NOT NULL
);

-- Steps done in a cycle, and the business day they were decided.
CREATE TABLE case_steps (
    debtor_id BIGINT NOT NULL REFERENCES cases (debtor_id),
    cycle BIGINT NOT NULL,
    step_code TEXT NOT NULL,
    done_on TEXT NOT NULL,
    PRIMARY KEY (debtor_id, cycle, step_code)
);

-- What the daily run decided. The unique key is the exactly-once guarantee: a run
-- repeated the same day inserts nothing new (ON CONFLICT DO NOTHING). `created_on` is in
-- it because a step that `resets_on_payment` may legitimately be done again, on a later
-- day, in the same cycle.
CREATE TABLE actions (
    id {{ID}},
    debtor_id BIGINT NOT NULL REFERENCES debtors (id),
    cycle BIGINT NOT NULL,
    step_code TEXT NOT NULL,
    scenario TEXT NOT NULL,
    currency TEXT NOT NULL,
    channels TEXT NOT NULL,
    template TEXT NOT NULL,
    claim_ids TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    claim_penalties BIGINT NOT NULL CHECK (claim_penalties IN (0, 1)),
    stage_after TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'planned', 'approved', 'skipped', 'done')),
    created_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (debtor_id, cycle, step_code, currency, created_on)
);
CREATE INDEX actions_by_status ON actions (status);
CREATE INDEX actions_by_day ON actions (created_on);

-- Installation settings: `payment_data_as_of` (the last refresh of payment data),
-- `review_mode` (`true`: the run creates drafts).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
