-- Staff accounts and their web sessions. The password is kept as an Argon2id PHC string
-- only. A session is found by the SHA-256 of its cookie's token, so the table alone
-- never lets anyone act as its holder; it ends at expires_at (seconds since 1970, UTC).
CREATE TABLE account (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrateur', 'assemblees', 'instructeur', 'finances', 'elu')),
    active        INTEGER NOT NULL CHECK (active IN (0, 1)),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%')
);
CREATE TABLE web_session (
    token_sha256 TEXT PRIMARY KEY CHECK (length(token_sha256) = 64),
    account      INTEGER NOT NULL REFERENCES account (id),
    csrf_token   TEXT NOT NULL CHECK (length(csrf_token) = 64),
    expires_at   INTEGER NOT NULL
);
CREATE INDEX web_session_account ON web_session (account);
