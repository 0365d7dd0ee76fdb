-- Publication of acts on the portal (CGCT L3131-1, R3131-2): when, by whom, the file put
-- online (never changed afterwards), and a withdrawal that keeps the act listed with why.
CREATE TABLE publication (
    id                INTEGER PRIMARY KEY,
    deliberation      INTEGER NOT NULL UNIQUE REFERENCES deliberation (id),
    published_on      TEXT NOT NULL CHECK (published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    online_on         TEXT NOT NULL CHECK (online_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    author_name       TEXT NOT NULL,
    author_capacity   TEXT NOT NULL,
    file              INTEGER NOT NULL REFERENCES stored_file (id),
    signed            INTEGER NOT NULL CHECK (signed IN (0, 1)),
    withdrawn_on      TEXT CHECK (withdrawn_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    withdrawal_reason TEXT,
    published_by      TEXT NOT NULL,
    published_at      TEXT NOT NULL,
    CHECK ((withdrawn_on IS NULL) = (withdrawal_reason IS NULL))
);
CREATE INDEX publication_order ON publication (published_on, id);

-- Notification of an individual decision (an award to a named beneficiary), which makes it
-- enforceable together with the transmission.
CREATE TABLE notification (
    id          INTEGER PRIMARY KEY,
    award       INTEGER NOT NULL UNIQUE REFERENCES award (id),
    notified_on TEXT NOT NULL CHECK (notified_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    means       TEXT NOT NULL CHECK (means IN ('courrier', 'courriel', 'remise-en-main-propre')),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
