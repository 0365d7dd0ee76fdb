-- Open data and prefecture exchange (SQLite).

-- What the published register needs, on the deliberation itself so that the SCDL export
-- reads one index in order, without joins: the members entitled to vote frozen with the
-- vote (VOTE_EFFECTIF), the budget year of its adopted awards (BUDGET_ANNEE), and the
-- prefecture's acknowledgement (@ctes identifier, PREF_ID, PREF_DATE).
ALTER TABLE deliberation ADD COLUMN vote_in_office INTEGER;
ALTER TABLE deliberation ADD COLUMN budget_year INTEGER;
ALTER TABLE deliberation ADD COLUMN act_id TEXT;
ALTER TABLE deliberation ADD COLUMN prefecture_id TEXT;
ALTER TABLE deliberation ADD COLUMN prefecture_received_on TEXT CHECK (prefecture_received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
CREATE UNIQUE INDEX deliberation_act_id ON deliberation (act_id);

-- The SCDL export reads the register in (date, id) order, streamed, from this index alone.
CREATE INDEX deliberation_publication ON deliberation (
    date, id, number, title, matter_code, outcome, vote_for, vote_against, vote_abstention,
    vote_in_office, budget_year, prefecture_id, prefecture_received_on
) WHERE number IS NOT NULL;

-- Subsidies read from other collectivities' SCDL files.
CREATE TABLE external_subsidy (
    id                 INTEGER PRIMARY KEY,
    source             TEXT NOT NULL,
    source_line        INTEGER NOT NULL,
    grantor_name       TEXT NOT NULL,
    grantor_siret      TEXT NOT NULL,
    convention_date    TEXT NOT NULL CHECK (convention_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    decision_reference TEXT,
    beneficiary_name   TEXT NOT NULL,
    beneficiary_siret  TEXT,
    beneficiary_rna    TEXT,
    object             TEXT NOT NULL,
    amount             INTEGER NOT NULL,
    nature             TEXT NOT NULL,
    payment_terms      TEXT NOT NULL,
    payment_period     TEXT NOT NULL,
    rae_id             TEXT,
    eu_notified        INTEGER NOT NULL CHECK (eu_notified IN (0, 1)),
    share_basis_points INTEGER NOT NULL,
    scheme             TEXT,
    UNIQUE (source, source_line)
);
CREATE INDEX external_subsidy_beneficiary ON external_subsidy (beneficiary_siret);
