-- Bank statements and payments: the statement files imported, one row per transaction
-- detail they carried, the allocations of received payments to claims, the payer IBANs
-- learned from confirmed matches, and the credits over-payments leave on debtors.
-- Portable SQL, as 0001: {{ID}}, ISO date text, BIGINT minor units with their currency.

-- One imported statement file (a camt message or MT940 file may carry several
-- statements: their ids and accounts are listed, comma-separated). The file's SHA-256
-- makes the same file imported twice a no-op.
CREATE TABLE bank_statements (
    id {{ID}},
    fingerprint TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    format TEXT NOT NULL,
    accounts TEXT NOT NULL,
    statement_ids TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT,
    entries BIGINT NOT NULL,
    details BIGINT NOT NULL,
    new_details BIGINT NOT NULL,
    duplicates BIGINT NOT NULL,
    imported_at TEXT NOT NULL
);

-- One booked transaction detail (a batch booking gives one row per payment in it).
-- `fingerprint` (formats::statement::TxDetail::fingerprint) is unique: two overlapping
-- statements, or the same one sent twice in another file, never book a payment twice.
-- Status: `applied` (allocated, see payment_allocations), `review` (waits for a person),
-- `ignored` (a debit, or a credit a person set aside), `returned` (a reversal or an
-- R-transaction). `debtor_id` is set once applied.
CREATE TABLE bank_payments (
    id {{ID}},
    statement_id BIGINT NOT NULL REFERENCES bank_statements (id),
    fingerprint TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    booking_date TEXT,
    value_date TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    payer_name TEXT,
    payer_iban TEXT,
    remittance TEXT NOT NULL,
    structured_reference TEXT,
    entry_reference TEXT,
    end_to_end_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('applied', 'review', 'ignored', 'returned')),
    debtor_id BIGINT REFERENCES debtors (id),
    decided_at TEXT
);
CREATE INDEX bank_payments_by_status ON bank_payments (status);

-- What a payment paid on each claim, and the ledger entry that records it. The
-- imputation (fees, interest, principal) is kept as it was computed at posting.
CREATE TABLE payment_allocations (
    payment_id BIGINT NOT NULL REFERENCES bank_payments (id),
    claim_id BIGINT NOT NULL REFERENCES claims (id),
    ledger_seq BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,
    fees_minor BIGINT NOT NULL,
    interest_minor BIGINT NOT NULL,
    principal_minor BIGINT NOT NULL,
    PRIMARY KEY (payment_id, claim_id),
    FOREIGN KEY (claim_id, ledger_seq) REFERENCES ledger_entries (claim_id, seq)
);

-- Payer IBANs learned when a payment from them was applied: the next payment from the
-- same account is recognised as this debtor's. The latest confirmation wins.
CREATE TABLE payer_ibans (
    iban TEXT PRIMARY KEY,
    debtor_id BIGINT NOT NULL REFERENCES debtors (id),
    learned_on TEXT NOT NULL
);

-- Credits on debtors, append only: an over-payment adds a positive row; using or
-- refunding a credit (later) adds a negative one. A debtor's credit is the sum.
CREATE TABLE debtor_credits (
    id {{ID}},
    debtor_id BIGINT NOT NULL REFERENCES debtors (id),
    payment_id BIGINT REFERENCES bank_payments (id),
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    entry_date TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX debtor_credits_by_debtor ON debtor_credits (debtor_id);
