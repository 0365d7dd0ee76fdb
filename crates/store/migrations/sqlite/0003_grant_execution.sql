-- Grant execution (SQLite): payments, documents received, reimbursement decisions,
-- amendments and every version of a convention.

ALTER TABLE convention ADD COLUMN execution_end TEXT CHECK (execution_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');

CREATE TABLE payment (
    id              INTEGER PRIMARY KEY,
    award_id        INTEGER NOT NULL REFERENCES award (id),
    convention_id   INTEGER REFERENCES convention (id),
    tranche         INTEGER NOT NULL CHECK (tranche >= 1),
    date            TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    amount          INTEGER NOT NULL CHECK (amount > 0),
    reference       TEXT NOT NULL,
    bank_account_id INTEGER REFERENCES bank_account (id)
);
CREATE INDEX payment_award ON payment (award_id);

CREATE TABLE document_receipt (
    id            INTEGER PRIMARY KEY,
    award_id      INTEGER NOT NULL REFERENCES award (id),
    tranche       INTEGER NOT NULL CHECK (tranche >= 1),
    received_on   TEXT NOT NULL CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    description   TEXT NOT NULL
);
CREATE INDEX document_receipt_award ON document_receipt (award_id);

CREATE TABLE reimbursement_decision (
    id            INTEGER PRIMARY KEY,
    award_id      INTEGER NOT NULL UNIQUE REFERENCES award (id),
    decided_on    TEXT NOT NULL CHECK (decided_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    ground_json   TEXT NOT NULL,
    entitled      INTEGER NOT NULL CHECK (entitled >= 0),
    paid          INTEGER NOT NULL CHECK (paid >= 0),
    to_recover    INTEGER NOT NULL CHECK (to_recover >= 0 AND to_recover <= paid),
    cancelled_due INTEGER NOT NULL CHECK (cancelled_due >= 0),
    explanation   TEXT NOT NULL,
    receipt_title TEXT
);

CREATE TABLE amendment (
    id            INTEGER PRIMARY KEY,
    convention_id INTEGER NOT NULL REFERENCES convention (id),
    number        INTEGER NOT NULL CHECK (number >= 1),
    signed_on     TEXT NOT NULL CHECK (signed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    object        TEXT NOT NULL,
    changes_json  TEXT NOT NULL,
    UNIQUE (convention_id, number)
);

CREATE TABLE convention_version (
    convention_id INTEGER NOT NULL REFERENCES convention (id),
    version       INTEGER NOT NULL CHECK (version >= 1),
    amendment_id  INTEGER REFERENCES amendment (id),
    recorded_at   TEXT NOT NULL,
    snapshot_json TEXT NOT NULL,
    PRIMARY KEY (convention_id, version)
);
