-- The beneficiary's side of a grant: organisations' own accounts (role beneficiaire, tied
-- to their beneficiary, opened once their e-mail address is confirmed), calls for
-- applications (dispositifs), applications with their pieces and acknowledgement, the
-- direction's requests and instruction, and the documents a beneficiary sends after the
-- vote (countersigned convention, pieces a tranche waits for) until staff decide on them.

-- SQLite cannot change a CHECK: the account table is rebuilt with the new role. Sessions
-- are set aside while it is, since they refer to it.
CREATE TABLE account_new (
    id             INTEGER PRIMARY KEY,
    login          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('administrateur', 'assemblees', 'instructeur', 'finances', 'elu', 'beneficiaire')),
    active         INTEGER NOT NULL CHECK (active IN (0, 1)),
    password_hash  TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    member_id      INTEGER REFERENCES member (id),
    beneficiary_id INTEGER REFERENCES beneficiary (id),
    email          TEXT,
    service_id     INTEGER REFERENCES service (id),
    CHECK ((role = 'beneficiaire') = (beneficiary_id IS NOT NULL))
);
INSERT INTO account_new (id, login, name, role, active, password_hash, member_id)
    SELECT id, login, name, role, active, password_hash, member_id FROM account;
CREATE TEMP TABLE web_session_kept AS SELECT * FROM web_session;
DELETE FROM web_session;
DROP INDEX account_member;
DROP TABLE account;
ALTER TABLE account_new RENAME TO account;
INSERT INTO web_session SELECT * FROM web_session_kept;
DROP TABLE web_session_kept;
CREATE UNIQUE INDEX account_member ON account (member_id) WHERE member_id IS NOT NULL;
CREATE INDEX account_beneficiary ON account (beneficiary_id);

-- service_id: the direction a staff account instructs for; it then sees the applications of
-- that direction's dispositifs only.

-- The link that confirms a beneficiary's address; its token's SHA-256 only.
CREATE TABLE account_confirmation (
    account_id   INTEGER PRIMARY KEY REFERENCES account (id),
    token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at   TEXT NOT NULL,
    confirmed_at TEXT
);

-- A beneficiary merged into another (a duplicate): its files moved, itself kept for the record.
ALTER TABLE beneficiary ADD COLUMN merged_into INTEGER REFERENCES beneficiary (id);

CREATE TABLE dispositif (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    data_json  TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE grant_application (
    id               INTEGER PRIMARY KEY,
    dispositif_id    INTEGER NOT NULL REFERENCES dispositif (id),
    beneficiary_id   INTEGER NOT NULL REFERENCES beneficiary (id),
    data_json        TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('brouillon', 'deposee', 'piece_demandee', 'instruite', 'proposee', 'accordee', 'refusee')),
    receipt_number   TEXT UNIQUE,
    submitted_at     TEXT,
    receipt_file     INTEGER REFERENCES stored_file (id),
    instruction_json TEXT,
    award_id         INTEGER UNIQUE REFERENCES award (id),
    decision_reason  TEXT,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX grant_application_beneficiary ON grant_application (beneficiary_id);
CREATE INDEX grant_application_dispositif ON grant_application (dispositif_id);

CREATE TABLE application_piece (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES grant_application (id),
    piece          TEXT NOT NULL,
    file_id        INTEGER NOT NULL REFERENCES stored_file (id),
    uploaded_by    TEXT NOT NULL,
    uploaded_at    TEXT NOT NULL
);
CREATE INDEX application_piece_application ON application_piece (application_id);

CREATE TABLE piece_request (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES grant_application (id),
    piece          TEXT NOT NULL,
    message        TEXT NOT NULL,
    due_on         TEXT NOT NULL CHECK (due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    requested_by   TEXT NOT NULL,
    requested_at   TEXT NOT NULL,
    answered_at    TEXT
);
CREATE INDEX piece_request_application ON piece_request (application_id);

CREATE TABLE application_event (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES grant_application (id),
    at             TEXT NOT NULL,
    by_login       TEXT NOT NULL,
    action         TEXT NOT NULL,
    detail         TEXT
);
CREATE INDEX application_event_application ON application_event (application_id);

-- A document a beneficiary sends after the vote: the countersigned convention, or a piece
-- a tranche waits for; it counts once staff accept it.
CREATE TABLE grant_submission (
    id          INTEGER PRIMARY KEY,
    award_id    INTEGER NOT NULL REFERENCES award (id),
    purpose     TEXT NOT NULL CHECK (purpose IN ('convention', 'piece')),
    tranche     INTEGER,
    description TEXT NOT NULL,
    file_id     INTEGER NOT NULL REFERENCES stored_file (id),
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('en_attente', 'acceptee', 'refusee')),
    reviewed_by TEXT,
    reviewed_at TEXT,
    reason      TEXT
);
CREATE INDEX grant_submission_award ON grant_submission (award_id);
