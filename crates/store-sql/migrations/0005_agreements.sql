-- Agreements: promises to pay, payment plans, disputes and SEPA mandates, and the other
-- parties bound to a claim (co-debtors, guarantors).
-- Portable SQL, as 0001: {{ID}}, ISO date text.
--
-- An agreement is a small document the engines read whole (a plan with its instalments
-- and consents, a dispute with its claims and resolution): its details are JSON in
-- `body`, written and read by the application through serde; `kind`, `debtor_id` and
-- `status` are columns, indexed, for the lookups the run and the screens make.
CREATE TABLE agreements (
    id {{ID}},
    kind TEXT NOT NULL CHECK (kind IN ('promise', 'plan', 'dispute', 'mandate')),
    debtor_id BIGINT NOT NULL REFERENCES debtors (id),
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX agreements_by_debtor ON agreements (debtor_id, kind);
CREATE INDEX agreements_by_status ON agreements (kind, status);

-- Parties bound to a claim besides its debtor.
CREATE TABLE claim_parties (
    claim_id BIGINT NOT NULL REFERENCES claims (id),
    debtor_id BIGINT NOT NULL REFERENCES debtors (id),
    role TEXT NOT NULL CHECK (role IN ('co_debtor', 'guarantor')),
    PRIMARY KEY (claim_id, debtor_id)
);
CREATE INDEX claim_parties_by_debtor ON claim_parties (debtor_id);
