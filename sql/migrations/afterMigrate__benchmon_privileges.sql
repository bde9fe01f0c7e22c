-- Flyway afterMigrate callback: runs after every migrate, as the owner, so the privileges cover
-- whatever the migrations just added. The app role's name comes from the session setting
-- benchmon.app_role (the toolkit sets it; by hand: PGOPTIONS='-c benchmon.app_role=NAME' psql ...),
-- default benchmon_app. See benchmon_apply_privileges in R__privilege_functions.sql.
SELECT benchmon_apply_privileges(coalesce(nullif(current_setting('benchmon.app_role', true), ''), 'benchmon_app'));
