-- Personal data (issue 23, item 3): the erasure of a debtor's personal data by
-- pseudonymisation once the law no longer requires keeping it. Portable SQL, as 0001:
-- {{ID}}, ISO date text, RFC 3339 instants written by the application.
--
-- The daily job proposes each debtor whose retention has run (`proposed`); an admin's
-- approval erases it at once, in one transaction with the pseudonymisation (`done`); a
-- proposal the debtor no longer qualifies for when it is checked again (a new claim, a
-- dispute) is `withdrawn`, and proposed again once it qualifies. One row per debtor: an
-- erased debtor stays erased. The retention periods themselves are settings
-- (`gdpr_retention_*` in `settings`), not rows here.
CREATE TABLE erasure_requests (
    id {{ID}},
    debtor_id BIGINT NOT NULL UNIQUE REFERENCES debtors (id),
    state TEXT NOT NULL CHECK (state IN ('proposed', 'done', 'withdrawn')),
    -- The day the case closed (its last ledger entry or status change) and the first day
    -- the law allows the erasure, as assessed when proposed.
    closed_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    proposed_on TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    -- Who approved (erased) or withdrew it, and when.
    decided_by TEXT,
    decided_at TEXT,
    -- What replaced the debtor's name: `ERASED-<debtor id>-<8 hex>`.
    pseudonym TEXT
);
CREATE INDEX erasure_requests_by_state ON erasure_requests (state);
