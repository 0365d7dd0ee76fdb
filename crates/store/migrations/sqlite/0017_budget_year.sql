-- The budget's year and the assembly's delegations (issue 24): budget decisions voted in a
-- sitting (budget primitif, budget supplémentaire, décisions modificatives, virements) whose
-- articles move lines' credits once adopted, and the delegations of the Conseil
-- départemental to the Commission permanente (CGCT L3211-2). budget_line.voted now holds
-- the credits recorded with the line itself; adopted decisions add to it.

CREATE TABLE budget_decision (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('bp', 'bs', 'dm', 'virement')),
    rank            INTEGER,
    report_id       INTEGER NOT NULL REFERENCES report (id),
    deliberation_id INTEGER REFERENCES deliberation (id),
    status          TEXT NOT NULL CHECK (status IN ('proposee', 'adoptee', 'rejetee'))
);
CREATE INDEX budget_decision_report ON budget_decision (report_id);

CREATE TABLE credit_move (
    id             INTEGER PRIMARY KEY,
    decision_id    INTEGER NOT NULL REFERENCES budget_decision (id),
    budget_line_id INTEGER NOT NULL REFERENCES budget_line (id),
    amount         BIGINT NOT NULL,
    UNIQUE (decision_id, budget_line_id)
);
CREATE INDEX credit_move_line ON credit_move (budget_line_id);

CREATE TABLE delegation (
    id        INTEGER PRIMARY KEY,
    body_id   INTEGER NOT NULL REFERENCES body (id),
    number    TEXT NOT NULL UNIQUE,
    data_json TEXT NOT NULL
);

-- Programme and commitment authorisations (AP/AE, CGCT L3312-4): the envelope and its
-- échéancier of payment credits (data_json), revised or lapsed by later decisions.
CREATE TABLE authorisation (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    data_json TEXT NOT NULL
);

-- An award on an authorisation: its share of each year's payment credits.
CREATE TABLE award_share (
    award_id         INTEGER NOT NULL REFERENCES award (id),
    authorisation_id INTEGER NOT NULL REFERENCES authorisation (id),
    year             INTEGER NOT NULL,
    amount           BIGINT NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (award_id, year)
);
CREATE INDEX award_share_authorisation ON award_share (authorisation_id);
