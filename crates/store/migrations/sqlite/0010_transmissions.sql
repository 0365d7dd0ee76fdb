-- Each act's transmission to the prefecture through the TdT: its state, the platform's
-- transaction, the retries, and the files it gave back (acknowledgement, stamped act).
CREATE TABLE tdt_transmission (
    id                   INTEGER PRIMARY KEY,
    deliberation         INTEGER NOT NULL UNIQUE REFERENCES deliberation (id),
    state                TEXT NOT NULL CHECK (state IN ('a-envoyer', 'envoi-a-confirmer', 'deposee', 'acquittee', 'refusee', 'annulation-demandee', 'annulee')),
    platform_id          INTEGER,
    failures             INTEGER NOT NULL CHECK (failures >= 0),
    next_attempt_at      TEXT,
    last_error           TEXT,
    act_file             INTEGER NOT NULL REFERENCES stored_file (id),
    annex_files          TEXT NOT NULL,
    acknowledgement_file INTEGER REFERENCES stored_file (id),
    stamped_file         INTEGER REFERENCES stored_file (id),
    cancellation_id      INTEGER,
    queued_at            TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);

-- What the prefecture sent about a transmitted act, the follow-up it calls for, and the
-- collectivity's answer.
CREATE TABLE prefecture_reply (
    id                 INTEGER PRIMARY KEY,
    deliberation       INTEGER NOT NULL REFERENCES deliberation (id),
    platform_id        INTEGER NOT NULL UNIQUE,
    kind               TEXT NOT NULL CHECK (kind IN ('courrier-simple', 'demande-de-pieces', 'lettre-d-observations', 'defere')),
    letter_date        TEXT NOT NULL CHECK (letter_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    description        TEXT,
    archive_file       INTEGER NOT NULL REFERENCES stored_file (id),
    letter_file        INTEGER REFERENCES stored_file (id),
    task               TEXT NOT NULL,
    deadline           TEXT,
    answer             TEXT CHECK (answer IN ('envoi', 'refus')),
    answer_file        INTEGER REFERENCES stored_file (id),
    answer_platform_id INTEGER,
    answered_at        TEXT,
    received_at        TEXT NOT NULL
);
CREATE INDEX prefecture_reply_deliberation ON prefecture_reply (deliberation);
