-- Sitting rules (SQLite): per-item attendance, proxies by item, votes frozen with their
-- presence, numbering sequences, settings, and members' seats in beneficiaries (déport).

CREATE TABLE movement (
    id            INTEGER PRIMARY KEY,
    sitting_id    INTEGER NOT NULL REFERENCES sitting (id),
    member_id     INTEGER NOT NULL REFERENCES member (id),
    kind          TEXT NOT NULL CHECK (kind IN ('arrives', 'leaves')),
    from_position INTEGER NOT NULL CHECK (from_position >= 1)
);
CREATE INDEX movement_sitting ON movement (sitting_id);

ALTER TABLE agenda_item ADD COLUMN kind TEXT NOT NULL DEFAULT 'vote';
ALTER TABLE agenda_item ADD COLUMN majority_json TEXT NOT NULL DEFAULT '{"rule":"simple"}';

CREATE TABLE vote (
    id                INTEGER PRIMARY KEY,
    deliberation_id   INTEGER NOT NULL UNIQUE REFERENCES deliberation (id),
    agenda_item_id    INTEGER NOT NULL UNIQUE REFERENCES agenda_item (id),
    mode              TEXT NOT NULL,
    secret            INTEGER NOT NULL CHECK (secret IN (0, 1)),
    majority_json     TEXT NOT NULL,
    president_vote    TEXT,
    presence_json     TEXT NOT NULL,
    quorum_json       TEXT NOT NULL,
    decision_json     TEXT NOT NULL,
    flags_json        TEXT NOT NULL,
    vote_for          INTEGER NOT NULL,
    vote_against      INTEGER NOT NULL,
    vote_abstention   INTEGER NOT NULL,
    vote_not_taking_part INTEGER NOT NULL,
    outcome           TEXT NOT NULL,
    closed_at         TEXT NOT NULL
);

CREATE TABLE ballot (
    vote_id   INTEGER NOT NULL REFERENCES vote (id),
    member_id INTEGER NOT NULL REFERENCES member (id),
    choice    TEXT NOT NULL,
    cast_by   INTEGER REFERENCES member (id),
    PRIMARY KEY (vote_id, member_id)
);

CREATE TABLE numbering (
    scope      TEXT PRIMARY KEY,
    last_value INTEGER NOT NULL CHECK (last_value >= 0)
);

CREATE TABLE setting (
    key        TEXT PRIMARY KEY,
    value_json TEXT NOT NULL
);

CREATE TABLE beneficiary_seat (
    id             INTEGER PRIMARY KEY,
    member_id      INTEGER NOT NULL REFERENCES member (id),
    beneficiary_id INTEGER NOT NULL REFERENCES beneficiary (id),
    capacity       TEXT NOT NULL,
    UNIQUE (member_id, beneficiary_id)
);
