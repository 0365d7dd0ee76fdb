-- Other collectivities' SCDL files, as they really are: a row that identifies a grant is
-- kept even when its SIRET was damaged by a spreadsheet or an optional cell is empty.
ALTER TABLE external_subsidy
    ALTER COLUMN grantor_siret DROP NOT NULL,
    ALTER COLUMN nature DROP NOT NULL,
    ALTER COLUMN payment_terms DROP NOT NULL,
    ALTER COLUMN payment_period DROP NOT NULL,
    ALTER COLUMN eu_notified DROP NOT NULL,
    ALTER COLUMN share_basis_points DROP NOT NULL;
