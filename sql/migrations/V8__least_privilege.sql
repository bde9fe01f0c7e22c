-- benchmon schema, version 8: least privilege.
--
-- The server and the toolkit's queries run as a separate, non-owner role (the "app role": on the
-- embedded database the login benchmon_app; on a hosted one the login of docs/SETUP.md). That role
-- reads, and writes only through SECURITY DEFINER functions that the owner wrote: it cannot
-- disable the append-only triggers, replace their function, switch session_replication_role, or
-- touch snapshots, definitions or Flyway's history directly. The grants themselves are applied by
-- benchmon_apply_privileges() on every migrate (afterMigrate callback), so that tables and
-- functions added by later versions and repeatable files are covered too.
-- Written to run twice safely (see V2).

-- Who changed which metric definition, and from what to what: definitions decide verdicts, so a
-- change is recorded like a result, append-only. Written only by define_metric().
CREATE TABLE IF NOT EXISTS metric_definition_changes (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text        NOT NULL,
    changed_at      timestamptz NOT NULL DEFAULT now(),
    changed_by      text        NOT NULL,
    database_user   text        NOT NULL,
    old_definition  jsonb,
    new_definition  jsonb       NOT NULL
);

COMMENT ON TABLE metric_definition_changes IS
    'Append-only audit of metric definition changes (define_metric): who (the application''s actor and the database login), when, old and new.';

CREATE INDEX IF NOT EXISTS metric_definition_changes_name_idx ON metric_definition_changes (name, changed_at DESC);

-- The same refusal as the log's, for any append-only table (the message names the table).
CREATE OR REPLACE FUNCTION benchmon_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Record a new row instead; corrections are new rows.';
END;
$$;

DROP TRIGGER IF EXISTS metric_definition_changes_no_update_delete ON metric_definition_changes;
CREATE TRIGGER metric_definition_changes_no_update_delete
    BEFORE UPDATE OR DELETE ON metric_definition_changes
    FOR EACH ROW EXECUTE FUNCTION benchmon_reject_change();
DROP TRIGGER IF EXISTS metric_definition_changes_no_truncate ON metric_definition_changes;
CREATE TRIGGER metric_definition_changes_no_truncate
    BEFORE TRUNCATE ON metric_definition_changes
    FOR EACH STATEMENT EXECUTE FUNCTION benchmon_reject_change();
