-- Limitation events (issue 17): what interrupts or suspends a claim's limitation period
-- beyond its ledger (part payments stay in the ledger): a written acknowledgment, a court
-- claim and its outcome, an enforcement act, a mediation or conciliation, a judgment.
-- Recorded per claim, or per debtor (claim_id NULL: every claim of that debtor, and of the
-- claims where it is a co-debtor, C. civ. 2245). Portable SQL, as 0001: {{ID}}, ISO dates.
-- Append-only: an event is never edited, a correction is a new event.
CREATE TABLE limitation_events (
    id {{ID}},
    debtor_id BIGINT NOT NULL REFERENCES debtors (id),
    claim_id BIGINT REFERENCES claims (id),
    kind TEXT NOT NULL CHECK (kind IN ('acknowledgment', 'court_claim', 'court_claim_dismissed',
        'court_claim_withdrawn', 'enforcement_act', 'mediation', 'judgment')),
    occurred_on TEXT NOT NULL,
    -- The end of a mediation or conciliation; NULL while it lasts and for other kinds.
    ended_on TEXT,
    -- A reference to the proof: a document name, a court docket number.
    proof TEXT,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX limitation_events_by_debtor ON limitation_events (debtor_id, id);
