-- Files acta keeps as produced or received: signed PDFs and, later, the prefecture's
-- acknowledgements and replies. A file is never changed once written.
CREATE TABLE stored_file (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    media_type TEXT NOT NULL,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    size       INTEGER NOT NULL CHECK (size >= 0),
    content    BLOB NOT NULL,
    stored_at  TEXT NOT NULL
);
CREATE INDEX stored_file_sha256 ON stored_file (sha256);

-- People able to sign in acta: their certificate file and where its password is read
-- ("env:NAME" or "file:/path"); the password itself is never stored.
CREATE TABLE signer (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('president', 'secretaire', 'delegataire', 'beneficiaire')),
    pkcs12_path     TEXT NOT NULL,
    password_source TEXT NOT NULL CHECK (password_source LIKE 'env:%' OR password_source LIKE 'file:%'),
    active          INTEGER NOT NULL CHECK (active IN (0, 1)),
    UNIQUE (name, role)
);

-- A document prepared for signature (one version of a deliberation, minutes or
-- convention), the signers it waits for, and its current bytes.
CREATE TABLE signed_document (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('deliberation', 'proces-verbal', 'convention')),
    subject      INTEGER NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    mention_date TEXT NOT NULL CHECK (mention_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    required     TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('a-signer', 'signe-en-partie', 'signe', 'remplace')),
    file         INTEGER NOT NULL REFERENCES stored_file (id),
    prepared_at  TEXT NOT NULL,
    UNIQUE (kind, subject, version)
);

-- Each signature made, in order, with the certificate that made it and the bytes after it.
CREATE TABLE signature (
    id                  INTEGER PRIMARY KEY,
    document            INTEGER NOT NULL REFERENCES signed_document (id),
    position            INTEGER NOT NULL CHECK (position >= 1),
    signer_name         TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('president', 'secretaire', 'delegataire', 'beneficiaire')),
    certificate_subject TEXT NOT NULL,
    certificate_issuer  TEXT NOT NULL,
    certificate_serial  TEXT NOT NULL,
    signed_at           TEXT NOT NULL,
    external            INTEGER NOT NULL CHECK (external IN (0, 1)),
    file                INTEGER NOT NULL REFERENCES stored_file (id),
    UNIQUE (document, position)
);
