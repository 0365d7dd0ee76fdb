-- Several collectivities in one database (an operator hosting many, issue 22).
--
-- Every row a collectivity owns carries `collectivity_id`. The application binds each
-- transaction to one collectivity (`acta.collectivity`, set by `Tx`); a row written
-- without naming its collectivity takes that one, and row-level security shows and lets
-- change only that one's rows, so that a query which forgets its collectivity still sees
-- nothing of another. A transaction bound to none sees no row at all.
--
-- A table added by a later migration must get the same column, default and policy: the
-- store's tests check every table.

CREATE FUNCTION acta_collectivity() RETURNS BIGINT
LANGUAGE sql STABLE
AS $$ SELECT CAST(NULLIF(current_setting('acta.collectivity', true), '') AS BIGINT) $$;

-- The collectivities themselves: their register is readable by all (names, SIREN,
-- addresses and host names are public), but each may change only its own row.
ALTER TABLE collectivity DROP CONSTRAINT collectivity_id_check;
ALTER TABLE collectivity ADD CONSTRAINT collectivity_id_positive CHECK (id >= 1);
ALTER TABLE collectivity ADD COLUMN host TEXT UNIQUE;
ALTER TABLE collectivity ENABLE ROW LEVEL SECURITY;
ALTER TABLE collectivity FORCE ROW LEVEL SECURITY;
CREATE POLICY register_read ON collectivity FOR SELECT USING (true);
CREATE POLICY own_row_insert ON collectivity FOR INSERT WITH CHECK (id = acta_collectivity());
CREATE POLICY own_row_update ON collectivity FOR UPDATE
    USING (id = acta_collectivity()) WITH CHECK (id = acta_collectivity());
CREATE POLICY own_row_delete ON collectivity FOR DELETE USING (id = acta_collectivity());

-- Existing rows belong to collectivity 1, the only one there was.
DO $$
DECLARE
    owned TEXT;
BEGIN
    FOR owned IN
        SELECT tablename FROM pg_tables
        WHERE schemaname = current_schema()
          AND tablename NOT IN ('collectivity', '_sqlx_migrations')
    LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN collectivity_id BIGINT NOT NULL DEFAULT 1', owned);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN collectivity_id SET DEFAULT acta_collectivity()', owned);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', owned);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', owned);
        EXECUTE format(
            'CREATE POLICY collectivity_rows ON %I '
            'USING (collectivity_id = acta_collectivity()) '
            'WITH CHECK (collectivity_id = acta_collectivity())',
            owned);
    END LOOP;
END $$;

-- What is unique is unique within a collectivity: each numbers its deliberations from 1
-- ("2023-479" in each), names its bodies, keeps its journal and settings. Keys made of
-- row identifiers stay as they are: identifiers are unique across collectivities.
ALTER TABLE journal DROP CONSTRAINT journal_pkey, ADD PRIMARY KEY (collectivity_id, seq);
ALTER TABLE journal_head DROP CONSTRAINT journal_head_pkey, ADD PRIMARY KEY (collectivity_id);
ALTER TABLE numbering DROP CONSTRAINT numbering_pkey, ADD PRIMARY KEY (collectivity_id, scope);
ALTER TABLE setting DROP CONSTRAINT setting_pkey, ADD PRIMARY KEY (collectivity_id, key);
ALTER TABLE login_failure DROP CONSTRAINT login_failure_pkey, ADD PRIMARY KEY (collectivity_id, key);

ALTER TABLE body DROP CONSTRAINT body_kind_name_key, ADD UNIQUE (collectivity_id, kind, name);
ALTER TABLE political_group DROP CONSTRAINT political_group_name_key, ADD UNIQUE (collectivity_id, name);
ALTER TABLE service DROP CONSTRAINT service_kind_name_key, ADD UNIQUE (collectivity_id, kind, name);
ALTER TABLE deliberation DROP CONSTRAINT deliberation_number_key, ADD UNIQUE (collectivity_id, number);
ALTER TABLE budget_line
    DROP CONSTRAINT budget_line_year_operation_code_nature_account_functional_c_key,
    ADD UNIQUE (collectivity_id, year, operation_code, nature_account, functional_chapter, function);
ALTER TABLE beneficiary DROP CONSTRAINT beneficiary_siret_key, ADD UNIQUE (collectivity_id, siret);
ALTER TABLE beneficiary DROP CONSTRAINT beneficiary_rna_key, ADD UNIQUE (collectivity_id, rna);
ALTER TABLE external_subsidy
    DROP CONSTRAINT external_subsidy_source_source_line_key,
    ADD UNIQUE (collectivity_id, source, source_line);
ALTER TABLE archived_act
    DROP CONSTRAINT archived_act_source_sha256_position_key,
    ADD UNIQUE (collectivity_id, source_sha256, position);
ALTER TABLE account DROP CONSTRAINT account_login_key, ADD UNIQUE (collectivity_id, login);
ALTER TABLE signer DROP CONSTRAINT signer_name_role_key, ADD UNIQUE (collectivity_id, name, role);
ALTER TABLE signed_document
    DROP CONSTRAINT signed_document_kind_subject_version_key,
    ADD UNIQUE (collectivity_id, kind, subject, version);
ALTER TABLE prefecture_reply
    DROP CONSTRAINT prefecture_reply_platform_id_key, ADD UNIQUE (collectivity_id, platform_id);
ALTER TABLE archive_transfer
    DROP CONSTRAINT archive_transfer_identifier_key, ADD UNIQUE (collectivity_id, identifier);
ALTER TABLE circuit DROP CONSTRAINT circuit_name_key, ADD UNIQUE (collectivity_id, name);
ALTER TABLE dispositif DROP CONSTRAINT dispositif_name_key, ADD UNIQUE (collectivity_id, name);
ALTER TABLE grant_application
    DROP CONSTRAINT grant_application_receipt_number_key, ADD UNIQUE (collectivity_id, receipt_number);
ALTER TABLE delegation DROP CONSTRAINT delegation_number_key, ADD UNIQUE (collectivity_id, number);
ALTER TABLE authorisation DROP CONSTRAINT authorisation_code_key, ADD UNIQUE (collectivity_id, code);
DROP INDEX deliberation_act_id;
CREATE UNIQUE INDEX deliberation_act_id ON deliberation (collectivity_id, act_id);

-- Lists read by collectivity first.
CREATE INDEX journal_entity_by_collectivity ON journal (collectivity_id, entity, entity_id);
DROP INDEX journal_entity;
