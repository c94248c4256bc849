-- Calls and notes a person logged on a debtor's file ("log a call" on the debtor page):
-- shown on the timeline, audited. Portable SQL, as 0001: {{ID}}, ISO date text.
-- Append-only: a note is never edited, a correction is a new note.
CREATE TABLE notes (
    id {{ID}},
    debtor_id BIGINT NOT NULL REFERENCES debtors (id),
    kind TEXT NOT NULL CHECK (kind IN ('call', 'note')),
    -- How a call went (reached, no_answer, voicemail, wrong_number, refused); NULL for a note.
    outcome TEXT,
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    noted_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notes_by_debtor ON notes (debtor_id, id);
