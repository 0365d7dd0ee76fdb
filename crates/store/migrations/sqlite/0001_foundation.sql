-- acta foundation schema (SQLite). Money is integer centimes; dates are ISO TEXT checked
-- by shape; structured text is JSON TEXT decoded by the domain types.

CREATE TABLE collectivity (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    name            TEXT NOT NULL,
    header_name     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    department_code TEXT NOT NULL,
    siren           TEXT NOT NULL,
    siret           TEXT,
    street          TEXT NOT NULL,
    postal_code     TEXT NOT NULL,
    city            TEXT NOT NULL,
    seat_city       TEXT NOT NULL
);

CREATE TABLE body (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL,
    name    TEXT NOT NULL,
    ordinal INTEGER,
    UNIQUE (kind, name)
);

CREATE TABLE political_group (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    unaffiliated INTEGER NOT NULL CHECK (unaffiliated IN (0, 1))
);

CREATE TABLE member (
    id         INTEGER PRIMARY KEY,
    civility   TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name  TEXT NOT NULL,
    group_id   INTEGER REFERENCES political_group (id)
);

CREATE TABLE mandate (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES member (id),
    body_id    INTEGER NOT NULL REFERENCES body (id),
    role       TEXT NOT NULL,
    vp_rank    INTEGER,
    voting     INTEGER NOT NULL CHECK (voting IN (0, 1)),
    start_date TEXT CHECK (start_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    end_date   TEXT CHECK (end_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
CREATE INDEX mandate_body ON mandate (body_id);

CREATE TABLE service (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    name      TEXT NOT NULL,
    parent_id INTEGER REFERENCES service (id),
    UNIQUE (kind, name)
);

CREATE TABLE sitting (
    id            INTEGER PRIMARY KEY,
    body_id       INTEGER NOT NULL REFERENCES body (id),
    date          TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    time          TEXT,
    place         TEXT,
    president_id  INTEGER REFERENCES member (id),
    secretary_id  INTEGER REFERENCES member (id),
    reconvenes_id INTEGER REFERENCES sitting (id)
);
CREATE INDEX sitting_date ON sitting (date);

CREATE TABLE attendance (
    sitting_id INTEGER NOT NULL REFERENCES sitting (id),
    member_id  INTEGER NOT NULL REFERENCES member (id),
    status     TEXT NOT NULL,
    PRIMARY KEY (sitting_id, member_id)
);

CREATE TABLE proxy (
    id         INTEGER PRIMARY KEY,
    sitting_id INTEGER NOT NULL REFERENCES sitting (id),
    giver_id   INTEGER NOT NULL REFERENCES member (id),
    holder_id  INTEGER NOT NULL REFERENCES member (id),
    -- From which agenda item the proxy applies; a later one reassigns the vote.
    from_position INTEGER NOT NULL DEFAULT 1 CHECK (from_position >= 1),
    UNIQUE (sitting_id, giver_id, from_position)
);

CREATE TABLE report (
    id                    INTEGER PRIMARY KEY,
    sitting_id            INTEGER NOT NULL REFERENCES sitting (id),
    number                INTEGER NOT NULL,
    title                 TEXT NOT NULL,
    pole_id               INTEGER REFERENCES service (id),
    direction_id          INTEGER REFERENCES service (id),
    scope_json            TEXT NOT NULL,
    sections_json         TEXT NOT NULL,
    conclusion_json       TEXT NOT NULL,
    opinion_commission_id INTEGER REFERENCES body (id),
    opinion               TEXT,
    opinion_date          TEXT CHECK (opinion_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    signatory_json        TEXT,
    UNIQUE (sitting_id, number)
);

CREATE TABLE agenda_item (
    id         INTEGER PRIMARY KEY,
    sitting_id INTEGER NOT NULL REFERENCES sitting (id),
    position   INTEGER NOT NULL,
    report_id  INTEGER NOT NULL UNIQUE REFERENCES report (id),
    UNIQUE (sitting_id, position)
);

CREATE TABLE deliberation (
    id                  INTEGER PRIMARY KEY,
    sitting_id          INTEGER NOT NULL REFERENCES sitting (id),
    report_id           INTEGER UNIQUE REFERENCES report (id),
    number              TEXT UNIQUE,
    title               TEXT NOT NULL,
    matter_code         TEXT,
    visas_json          TEXT NOT NULL,
    considerations_json TEXT NOT NULL,
    articles_json       TEXT NOT NULL,
    place               TEXT NOT NULL,
    date                TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    signatories_json    TEXT NOT NULL,
    outcome             TEXT,
    vote_for            INTEGER,
    vote_against        INTEGER,
    vote_abstention     INTEGER,
    vote_not_taking_part INTEGER,
    vote_secret         INTEGER CHECK (vote_secret IN (0, 1))
);
CREATE INDEX deliberation_date ON deliberation (date);

CREATE TABLE vote_group_position (
    deliberation_id INTEGER NOT NULL REFERENCES deliberation (id),
    position        INTEGER NOT NULL,
    group_id        INTEGER NOT NULL REFERENCES political_group (id),
    choice          TEXT NOT NULL,
    PRIMARY KEY (deliberation_id, position)
);

CREATE TABLE budget_line (
    id                 INTEGER PRIMARY KEY,
    year               INTEGER NOT NULL,
    operation_code     TEXT NOT NULL,
    label              TEXT NOT NULL,
    nature_account     TEXT NOT NULL,
    functional_chapter TEXT NOT NULL,
    function           TEXT NOT NULL,
    voted              INTEGER NOT NULL CHECK (voted >= 0),
    UNIQUE (year, operation_code, nature_account, functional_chapter, function)
);

CREATE TABLE beneficiary (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    short_name          TEXT,
    designation         TEXT,
    legal_status        TEXT NOT NULL,
    siret               TEXT UNIQUE,
    rna                 TEXT UNIQUE,
    street              TEXT NOT NULL,
    postal_code         TEXT NOT NULL,
    city                TEXT NOT NULL,
    representative_json TEXT
);

CREATE TABLE bank_account (
    id             INTEGER PRIMARY KEY,
    beneficiary_id INTEGER NOT NULL REFERENCES beneficiary (id),
    holder         TEXT NOT NULL,
    bank_name      TEXT NOT NULL,
    bank_address   TEXT,
    iban           TEXT NOT NULL,
    UNIQUE (beneficiary_id, iban)
);

CREATE TABLE award (
    id              INTEGER PRIMARY KEY,
    beneficiary_id  INTEGER NOT NULL REFERENCES beneficiary (id),
    report_id       INTEGER REFERENCES report (id),
    deliberation_id INTEGER REFERENCES deliberation (id),
    budget_line_id  INTEGER NOT NULL REFERENCES budget_line (id),
    kind            TEXT NOT NULL,
    amount          INTEGER NOT NULL CHECK (amount > 0),
    year            INTEGER NOT NULL,
    purpose         TEXT NOT NULL,
    status          TEXT NOT NULL
);
CREATE INDEX award_deliberation ON award (deliberation_id);

CREATE TABLE commitment (
    id             INTEGER PRIMARY KEY,
    budget_line_id INTEGER NOT NULL REFERENCES budget_line (id),
    amount         INTEGER NOT NULL,
    award_id       INTEGER UNIQUE REFERENCES award (id),
    label          TEXT,
    active         INTEGER NOT NULL CHECK (active IN (0, 1)),
    CHECK ((award_id IS NULL) <> (label IS NULL))
);
CREATE INDEX commitment_line ON commitment (budget_line_id);

CREATE TABLE convention (
    id                 INTEGER PRIMARY KEY,
    award_id           INTEGER NOT NULL UNIQUE REFERENCES award (id),
    deliberation_id    INTEGER NOT NULL REFERENCES deliberation (id),
    beneficiary_id     INTEGER NOT NULL REFERENCES beneficiary (id),
    title              TEXT NOT NULL,
    subject            TEXT NOT NULL,
    year               INTEGER NOT NULL,
    amount             INTEGER NOT NULL CHECK (amount > 0),
    pole_id            INTEGER REFERENCES service (id),
    direction_id       INTEGER REFERENCES service (id),
    representative_json TEXT NOT NULL,
    visas_json         TEXT NOT NULL,
    preamble_json      TEXT NOT NULL,
    object_json        TEXT NOT NULL,
    objectives_intro   TEXT NOT NULL,
    objectives_json    TEXT NOT NULL,
    programme_intro    TEXT NOT NULL,
    programme_json     TEXT NOT NULL,
    commitments_json   TEXT NOT NULL,
    bank_account_id    INTEGER REFERENCES bank_account (id),
    paying_accountant  TEXT NOT NULL,
    reimbursement_json TEXT NOT NULL,
    tacit_renewal      INTEGER NOT NULL CHECK (tacit_renewal IN (0, 1)),
    court              TEXT NOT NULL,
    communication_json TEXT NOT NULL,
    image_rights_json  TEXT NOT NULL,
    signature_place    TEXT NOT NULL,
    copies             INTEGER NOT NULL,
    signatories_json   TEXT NOT NULL,
    status             TEXT NOT NULL,
    signed_on          TEXT CHECK (signed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);

CREATE TABLE tranche (
    convention_id INTEGER NOT NULL REFERENCES convention (id),
    position      INTEGER NOT NULL,
    amount        INTEGER NOT NULL CHECK (amount > 0),
    trigger_json  TEXT NOT NULL,
    label         TEXT,
    PRIMARY KEY (convention_id, position)
);

-- The journal: one row per change, chained by hash; journal_head holds the last link and
-- is locked by every writer, which serialises writes and keeps seq in commit order.
CREATE TABLE journal (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX journal_entity ON journal (entity, entity_id);

CREATE TABLE journal_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO journal_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
