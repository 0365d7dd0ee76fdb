-- Transfers to the electronic archiving system (SEDA 2.3 ArchiveTransfer), the acts each
-- carried, and what the SAE answered: its code and the archival identifier of each act.
CREATE TABLE archive_transfer (
    id          INTEGER PRIMARY KEY,
    identifier  TEXT NOT NULL UNIQUE,
    scope       TEXT NOT NULL,
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    size        INTEGER NOT NULL CHECK (size >= 0),
    state       TEXT NOT NULL CHECK (state IN ('envoye', 'accepte', 'refuse')),
    reply_code  TEXT,
    reply_file  INTEGER REFERENCES stored_file (id),
    built_at    TEXT NOT NULL,
    replied_at  TEXT
);

CREATE TABLE archive_transfer_act (
    transfer     INTEGER NOT NULL REFERENCES archive_transfer (id),
    deliberation INTEGER NOT NULL REFERENCES deliberation (id),
    archival_id  TEXT,
    PRIMARY KEY (transfer, deliberation)
);
CREATE INDEX archive_transfer_act_deliberation ON archive_transfer_act (deliberation);
