-- The judicial phase (issue 18): legal files ("dossiers contentieux") and the exhibits
-- attached to them. Portable SQL, as 0001: {{ID}}, {{BLOB}} (BLOB / BYTEA), ISO date text,
-- RFC 3339 instants written by the application.
--
-- A legal file is one aggregate: the decision with the advisor's figures, the claims and
-- their amounts frozen at opening, the stages, costs and payments of the procedure. Its
-- columns are what lists filter and sort on; `data` holds the rest as JSON, written whole
-- by the application under optimistic concurrency (`version`: an update names the version
-- it read and fails when another writer got there first).
CREATE TABLE legal_files (
    id {{ID}},
    debtor_id BIGINT NOT NULL REFERENCES debtors (id),
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    -- The route's code (`fr.injonction_de_payer`...) or `write_off`, `keep_amicable`, `sell`.
    decision TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'declined')),
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    -- The claims of the file, `,`-separated ids, for the run to leave them alone.
    claims TEXT NOT NULL,
    -- The next statutory deadline, for the list sorted by urgency.
    next_deadline TEXT,
    data TEXT NOT NULL,
    version BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX legal_files_by_debtor ON legal_files (debtor_id);
CREATE INDEX legal_files_by_state ON legal_files (state, next_deadline);

-- The documents a person attached to a file (a signed invoice, the acknowledgment of
-- receipt's scan, the court's order): PDF, PNG or JPEG, checked by their first bytes.
CREATE TABLE legal_exhibits (
    id {{ID}},
    file_id BIGINT NOT NULL REFERENCES legal_files (id),
    title TEXT NOT NULL,
    -- The day the document bears, if any.
    dated TEXT,
    media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    file_name TEXT NOT NULL,
    -- SHA-256 of the content, hex: the same document is not attached twice to a file.
    sha256 TEXT NOT NULL,
    content {{BLOB}} NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    UNIQUE (file_id, sha256)
);
