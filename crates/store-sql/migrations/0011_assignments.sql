-- Assigned and insured claims (issue 17, item 5). Portable SQL, as 0001: {{ID}}, ISO date
-- text, BIGINT 0/1 booleans.

-- The parties that finance the receivables: a factor the claims are assigned to
-- ("affacturage", subrogation), paid on its own account, or a credit insurer covering
-- them, to whom a threatened loss is declared within a number of days of the due date.
CREATE TABLE financing_parties (
    id {{ID}},
    kind TEXT NOT NULL CHECK (kind IN ('factor', 'insurer')),
    name TEXT NOT NULL,
    -- A factor's account (normalized IBAN, BIC); NULL for an insurer.
    iban TEXT,
    bic TEXT,
    -- An insurer's policy reference and declaration deadline in days after the due date.
    policy TEXT,
    declare_within_days BIGINT CHECK (declare_within_days >= 0),
    created_at TEXT NOT NULL
);

-- Which claims a party finances: one claim ('claim' scope) or all of a debtor's claims
-- ('debtor'); a claim's own row wins over its debtor's. Assigned or insured follows the
-- party's kind. `dun` 0: Recouvre leaves an assigned claim to the factor.
CREATE TABLE financing_assignments (
    scope TEXT NOT NULL CHECK (scope IN ('claim', 'debtor')),
    owner_id BIGINT NOT NULL,
    party_id BIGINT NOT NULL REFERENCES financing_parties (id),
    since TEXT NOT NULL,
    dun BIGINT NOT NULL CHECK (dun IN (0, 1)),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (scope, owner_id)
);
