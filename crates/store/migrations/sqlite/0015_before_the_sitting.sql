-- Before the sitting (CGCT L3121-19): the reports' validation circuits and their life up
-- to the agenda, the convocation with its delivery proofs per member, the members' replies,
-- private annotations and declarations of interest.
ALTER TABLE member ADD COLUMN email TEXT;
ALTER TABLE account ADD COLUMN member_id INTEGER REFERENCES member (id);
CREATE UNIQUE INDEX account_member ON account (member_id) WHERE member_id IS NOT NULL;

CREATE TABLE circuit (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    steps_json TEXT NOT NULL
);

-- A report while it is written and validated (projet de rapport); once on an agenda it
-- points to the report of the sitting.
CREATE TABLE report_draft (
    id             INTEGER PRIMARY KEY,
    circuit_id     INTEGER NOT NULL REFERENCES circuit (id),
    direction_id   INTEGER REFERENCES service (id),
    sitting_id     INTEGER REFERENCES sitting (id),
    author         TEXT NOT NULL,
    matter         TEXT,
    text_json      TEXT NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    state          TEXT NOT NULL CHECK (state IN ('brouillon', 'en_circuit', 'renvoye', 'pret', 'inscrit', 'retire')),
    validated_json TEXT NOT NULL,
    report_id      INTEGER UNIQUE REFERENCES report (id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX report_draft_state ON report_draft (state);
CREATE INDEX report_draft_sitting ON report_draft (sitting_id);

CREATE TABLE report_draft_version (
    draft_id  INTEGER NOT NULL REFERENCES report_draft (id),
    version   INTEGER NOT NULL,
    text_json TEXT NOT NULL,
    saved_by  TEXT NOT NULL,
    saved_at  TEXT NOT NULL,
    PRIMARY KEY (draft_id, version)
);

CREATE TABLE report_draft_event (
    id       INTEGER PRIMARY KEY,
    draft_id INTEGER NOT NULL REFERENCES report_draft (id),
    at       TEXT NOT NULL,
    by_login TEXT NOT NULL,
    action   TEXT NOT NULL,
    step     TEXT,
    reason   TEXT
);
CREATE INDEX report_draft_event_draft ON report_draft_event (draft_id);

-- An item added after the deadline or after the convocation, through the emergency path.
CREATE TABLE agenda_emergency (
    item_id INTEGER PRIMARY KEY REFERENCES agenda_item (id),
    reason  TEXT NOT NULL
);

-- An item postponed to a later sitting (reporté): it stays on its agenda, never voted.
CREATE TABLE agenda_postponement (
    item_id       INTEGER PRIMARY KEY REFERENCES agenda_item (id),
    to_sitting_id INTEGER NOT NULL REFERENCES sitting (id),
    reason        TEXT NOT NULL,
    postponed_at  TEXT NOT NULL
);

CREATE TABLE convocation (
    sitting_id       INTEGER PRIMARY KEY REFERENCES sitting (id),
    sent_on          TEXT NOT NULL CHECK (sent_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    sent_at          TEXT NOT NULL,
    sent_by          TEXT NOT NULL,
    emergency_reason TEXT,
    letter_file      INTEGER REFERENCES stored_file (id)
);

CREATE TABLE convocation_delivery (
    id           INTEGER PRIMARY KEY,
    sitting_id   INTEGER NOT NULL REFERENCES convocation (sitting_id),
    member_id    INTEGER NOT NULL REFERENCES member (id),
    email        TEXT,
    token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    message_id   TEXT,
    sent_at      TEXT,
    status       TEXT NOT NULL CHECK (status IN ('en_attente', 'acceptee', 'refusee', 'papier')),
    server_reply TEXT,
    opened_at    TEXT,
    UNIQUE (sitting_id, member_id)
);

CREATE TABLE attendance_reply (
    sitting_id INTEGER NOT NULL REFERENCES sitting (id),
    member_id  INTEGER NOT NULL REFERENCES member (id),
    reply      TEXT NOT NULL CHECK (reply IN ('present', 'absent', 'pouvoir')),
    holder_id  INTEGER REFERENCES member (id),
    replied_at TEXT NOT NULL,
    PRIMARY KEY (sitting_id, member_id),
    CHECK ((reply = 'pouvoir') = (holder_id IS NOT NULL))
);

CREATE TABLE report_annotation (
    report_id  INTEGER NOT NULL REFERENCES report (id),
    member_id  INTEGER NOT NULL REFERENCES member (id),
    text       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (report_id, member_id)
);

CREATE TABLE interest_declaration (
    report_id   INTEGER NOT NULL REFERENCES report (id),
    member_id   INTEGER NOT NULL REFERENCES member (id),
    reason      TEXT NOT NULL,
    declared_at TEXT NOT NULL,
    PRIMARY KEY (report_id, member_id)
);
