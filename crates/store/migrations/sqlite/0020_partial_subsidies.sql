-- Other collectivities' SCDL files, as they really are: a row that identifies a grant is
-- kept even when its SIRET was damaged by a spreadsheet or an optional cell is empty, so
-- those columns take NULL. SQLite cannot drop a NOT NULL: the table is rebuilt.
CREATE TABLE external_subsidy_partial (
    id                 INTEGER PRIMARY KEY,
    source             TEXT NOT NULL,
    source_line        INTEGER NOT NULL,
    grantor_name       TEXT NOT NULL,
    grantor_siret      TEXT,
    convention_date    TEXT NOT NULL CHECK (convention_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    decision_reference TEXT,
    beneficiary_name   TEXT NOT NULL,
    beneficiary_siret  TEXT,
    beneficiary_rna    TEXT,
    object             TEXT NOT NULL,
    amount             INTEGER NOT NULL,
    nature             TEXT,
    payment_terms      TEXT,
    payment_period     TEXT,
    rae_id             TEXT,
    eu_notified        INTEGER CHECK (eu_notified IN (0, 1)),
    share_basis_points INTEGER,
    scheme             TEXT,
    collectivity_id    INTEGER NOT NULL DEFAULT 1 CHECK (collectivity_id = 1),
    UNIQUE (source, source_line)
);
INSERT INTO external_subsidy_partial
    (id, source, source_line, grantor_name, grantor_siret, convention_date, decision_reference,
     beneficiary_name, beneficiary_siret, beneficiary_rna, object, amount, nature, payment_terms,
     payment_period, rae_id, eu_notified, share_basis_points, scheme, collectivity_id)
SELECT id, source, source_line, grantor_name, grantor_siret, convention_date, decision_reference,
       beneficiary_name, beneficiary_siret, beneficiary_rna, object, amount, nature, payment_terms,
       payment_period, rae_id, eu_notified, share_basis_points, scheme, collectivity_id
FROM external_subsidy;
DROP TABLE external_subsidy;
ALTER TABLE external_subsidy_partial RENAME TO external_subsidy;
CREATE INDEX external_subsidy_beneficiary ON external_subsidy (beneficiary_siret);
