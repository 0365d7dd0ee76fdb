-- Deliberations imported from archived texts (PDF or text files): the fields shown in
-- lists and searched on, and the importer's whole record (every field with its confidence
-- and source line) as JSON. One row per deliberation found; a file is identified by the
-- SHA-256 of its bytes, so importing it again adds nothing.
CREATE TABLE archived_act (
    id            INTEGER PRIMARY KEY,
    source_file   TEXT NOT NULL,
    source_sha256 TEXT NOT NULL CHECK (length(source_sha256) = 64),
    position      INTEGER NOT NULL CHECK (position >= 0),
    number        TEXT,
    collectivity  TEXT,
    body          TEXT,
    sitting_date  TEXT CHECK (sitting_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    title         TEXT,
    record        TEXT NOT NULL,
    UNIQUE (source_sha256, position)
);
CREATE INDEX archived_act_number ON archived_act (number);
