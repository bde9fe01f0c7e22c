package dev.benchmon.db;

import dev.benchmon.DatabaseException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Applies the schema in {@code sql/migrations} (packaged into the jar) with Flyway: versioned files
 * once each, the repeatable file whenever it changes. Safe to run from several processes at once:
 * Flyway serialises them with a PostgreSQL advisory lock.
 *
 * <p>Fast when nothing changed: after a successful migrate the owner stamps Flyway's history table
 * (its {@code COMMENT}) with a SHA-256 of every migration file's name and bytes and the role granted
 * to. A later open whose files and role give the same stamp skips Flyway entirely (one catalogue
 * query instead of about 1.5 s of Flyway scanning, validating and re-granting); any change to any
 * file, a new file, another app role or a database without the stamp goes through Flyway as before.
 */
public final class SchemaMigrations {
    /** Where the migration files sit on the class path. */
    public static final String LOCATION = "classpath:dev/benchmon/db/migrations";
    /** Flyway's bookkeeping table; not the default name, so it cannot clash with an application's own Flyway. */
    public static final String HISTORY_TABLE = "benchmon_schema_history";

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

    private SchemaMigrations() {
    }

    /** The app role the grants go to when none is named: what the embedded database and docs/SETUP.md use. */
    public static final String DEFAULT_APP_ROLE = "benchmon_app";

    /** Brings the database's schema up to date, granting to {@value #DEFAULT_APP_ROLE}; returns how many migrations ran. */
    public static int apply(DataSource dataSource) {
        return apply(dataSource, null);
    }

    /**
     * Brings the database's schema up to date as the owner {@code ownerDataSource} logs in as, then
     * (Flyway's afterMigrate callback, every time it runs) grants the app role only what it needs: see
     * {@code benchmon_apply_privileges} in {@code R__privilege_functions.sql}. Returns how many
     * migrations ran (0 without starting Flyway when the schema carries the stamp of these files and
     * this role, see the class comment).
     *
     * @param appRole the role the server and toolkit queries run as; {@code null} for {@value #DEFAULT_APP_ROLE}
     */
    public static int apply(DataSource ownerDataSource, String appRole) {
        try {
            return applyOnce(ownerDataSource, appRole == null || appRole.isBlank() ? DEFAULT_APP_ROLE : appRole);
        } catch (RuntimeException e) {
            if (TransientFailures.isUnreachable(e)) {
                // The database went away part way (stopped, e.g. by Ctrl-C or SIGTERM, or the network), in Flyway or in
                // the looks around it: permissions are beside the point. Each migration is its own transaction, so
                // what finished stays applied.
                throw new DatabaseException("the database went away while the benchmon schema was being applied ("
                        + lostConnection(e) + "); open it again: the migrations that finished are kept and the rest are "
                        + "applied then", e);
            }
            throw e;
        }
    }

    /**
     * The driver's own words for a lost connection, one line: Flyway's message around it spans a dozen lines (script,
     * SQL state, location, statement).
     */
    private static String lostConnection(Throwable failure) {
        String words = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null && !t.getMessage().isBlank()) {
                words = t.getMessage(); // the innermost: the driver's, under Flyway's and benchmon's wrappers
            }
        }
        String line = (words != null ? words : EmbeddedPostgresServer.describe(failure)).strip();
        int end = line.indexOf('\n');
        return end < 0 ? line : line.substring(0, end).strip();
    }

    private static int applyOnce(DataSource ownerDataSource, String role) {
        String stamp = stamp(role, roleOid(ownerDataSource, role));
        if (stamp != null && stamp.equals(currentStamp(ownerDataSource))) {
            return 0; // migrated with exactly these files for this role: nothing to apply or grant
        }
        try (SetupLock held = SetupLock.take(ownerDataSource, SetupLock.Scope.SCHEMA)) {
            if (stamp != null && stamp.equals(currentStamp(ownerDataSource))) {
                return 0; // another process applied these files while this one waited for the lock
            }
            return migrate(ownerDataSource, role, stamp);
        }
    }

    private static int migrate(DataSource ownerDataSource, String role, String stamp) {
        try {
            Flyway flyway = configure(ownerDataSource)
                    // Every connection Flyway opens tells the callback whom to grant to (a literal:
                    // initSql takes no parameters, so the name is quoted here). A Java callback on Flyway's
                    // AFTER_CONNECT event, the replacement its deprecation warning suggests, was tried with
                    // Flyway 13.12 and did not set the role for the afterMigrate callback (the grants were missing).
                    .initSql("SELECT set_config('benchmon.app_role', '" + role.replace("'", "''") + "', false)")
                    .baselineVersion(handAppliedVersion(ownerDataSource))
                    .load();
            refuseNewer(flyway.info().all());
            boolean fresh = !exists(ownerDataSource, HISTORY_TABLE);
            if (fresh) {
                Progress.step("creating the benchmon schema (first start)");
            }
            MigrateResult result = flyway.migrate();
            if (result.migrationsExecuted > 0) {
                Progress.step("applied {} schema migration(s)", result.migrationsExecuted);
            }
            if (stamp != null) {
                writeStamp(ownerDataSource, stamp);
            }
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            if (TransientFailures.isUnreachable(e)) {
                throw e; // said as such by apply
            }
            throw new DatabaseException("could not apply the benchmon schema (" + LOCATION + "): " + e.getMessage()
                    + "; check that the user may create tables and functions in the database (the owner login: "
                    + "BENCHMON_DB_OWNER_USER, see docs/SETUP.md)", e);
        }
    }

    /**
     * For a login that may not migrate (the app role): fails unless the schema is current, naming
     * what is pending and how to apply it.
     */
    public static void requireCurrent(DataSource dataSource) {
        if (stampedWithTheseFiles(dataSource)) {
            return; // the owner migrated with exactly these files
        }
        MigrationInfo[] all;
        try {
            all = configure(dataSource).baselineVersion("1").load().info().all();
        } catch (FlywayException e) {
            throw new DatabaseException("could not check the benchmon schema version: " + e.getMessage(), e);
        }
        refuseNewer(all);
        if (!exists(dataSource, HISTORY_TABLE) && !"0".equals(handAppliedVersion(dataSource))) {
            requireHandAppliedCurrent(dataSource, latestKnown(all));
            return;
        }
        MigrationInfo[] pending = java.util.Arrays.stream(all).filter(m -> m.getState() == MigrationState.PENDING)
                .toArray(MigrationInfo[]::new);
        if (pending.length > 0) {
            throw new DatabaseException("the benchmon schema needs " + pending.length + " migration(s) ("
                    + pending[0].getScript() + (pending.length > 1 ? ", ..." : "") + ") and this login may not apply "
                    + "them: start once with the owner login (BENCHMON_DB_OWNER_USER / BENCHMON_DB_OWNER_PASSWORD, "
                    + "see docs/SETUP.md)");
        }
    }

    /** Whether an owner migrated this database with exactly these migration files (the stamp it writes last). */
    static boolean stampedWithTheseFiles(DataSource dataSource) {
        String files = filesFingerprint();
        String stamped = currentStamp(dataSource);
        return files != null && stamped != null && stamped.startsWith(STAMP_PREFIX + files + " ");
    }

    /**
     * For a login that may not migrate, before it judges the schema: waits while another session sets it up (an owner
     * login migrating at this moment, {@link SetupLock}), so that the login sees the schema that setup leaves, not its
     * middle. Without the wait, an app login opened while its owner created or upgraded the schema was refused ("no
     * benchmon schema", "needs N migrations") although the schema was seconds from ready. Returns at once when no
     * setup runs.
     *
     * @return {@code true} when an owner migrated the schema with exactly these files (its stamp, read once): current,
     *         with nothing to wait for or check further ({@link #requireCurrent} would read the same stamp again)
     */
    public static boolean awaitSetup(DataSource dataSource) {
        if (stampedWithTheseFiles(dataSource)) {
            return true; // current already: nothing a setup could still change for this login
        }
        try (SetupLock held = SetupLock.take(dataSource, SetupLock.Scope.SCHEMA)) {
            // taken, so no setup runs now; released at once
        }
        return false;
    }

    /** What {@code sql/schema_benchmark_monitoring.sql} writes last, on the log, naming the last version it applied. */
    private static final Pattern HAND_APPLIED = Pattern.compile("benchmon schema applied by hand through V(\\d+)");

    /**
     * Refuses a schema that a newer benchmon migrated (Flyway's history holds versions these files lack): Flyway
     * would only warn and go on, and this benchmon's repeatable files would put older functions over newer tables.
     */
    private static void refuseNewer(MigrationInfo[] all) {
        MigrationVersion newest = null;
        for (MigrationInfo m : all) {
            if ((m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
                    && (newest == null || m.getVersion().compareTo(newest) > 0)) {
                newest = m.getVersion();
            }
        }
        if (newest != null) {
            throw newerSchema(newest.getVersion(), latestKnown(all));
        }
    }

    private static DatabaseException newerSchema(String schemaVersion, MigrationVersion known) {
        return new DatabaseException("the benchmon schema in this database is at version " + schemaVersion
                + ", newer than this benchmon's (version " + known + "): a newer benchmon migrated it. Upgrade "
                + "benchmon to that release or later; this one does not start on it, as it would put its older "
                + "functions over the newer schema");
    }

    /** The newest versioned migration among these files. */
    private static MigrationVersion latestKnown(MigrationInfo[] all) {
        MigrationVersion latest = MigrationVersion.EMPTY;
        for (MigrationInfo m : all) {
            if (m.getVersion() != null && m.getState().isResolved() && m.getVersion().compareTo(latest) > 0) {
                latest = m.getVersion();
            }
        }
        return latest;
    }

    /**
     * For a login that may not migrate, on a schema applied by hand with psql (no Flyway history): fine when the
     * script that applied it was of these files (its mark names their last version) and granted to this login;
     * otherwise fails saying which of the two is missing.
     */
    private static void requireHandAppliedCurrent(DataSource dataSource, MigrationVersion latest) {
        String mark = text(dataSource, "SELECT obj_description(to_regclass('benchmark_log'), 'pg_class')");
        Matcher m = HAND_APPLIED.matcher(mark == null ? "" : mark);
        String adopt = "start once with the owner login (BENCHMON_DB_OWNER_USER / BENCHMON_DB_OWNER_PASSWORD, see "
                + "docs/SETUP.md), which adopts the schema into Flyway's history (" + HISTORY_TABLE + ") and migrates it";
        if (!m.find()) {
            throw new DatabaseException("the benchmon schema was applied by hand (no " + HISTORY_TABLE + ") by a "
                    + "sql/schema_benchmark_monitoring.sql older than this benchmon's, and this login may not migrate "
                    + "it: " + adopt);
        }
        MigrationVersion byHand = MigrationVersion.fromVersion(m.group(1));
        if (byHand.compareTo(latest) > 0) {
            throw newerSchema(m.group(1), latest);
        }
        if (byHand.compareTo(latest) < 0) {
            throw new DatabaseException("the benchmon schema was applied by hand (no " + HISTORY_TABLE + ") at version "
                    + m.group(1) + ", older than this benchmon's (" + latest + "), and this login may not migrate it: "
                    + adopt);
        }
        if (!ask(dataSource, "SELECT has_table_privilege('benchmark_snapshots', 'SELECT')")) {
            String login = text(dataSource, "SELECT current_user");
            throw new DatabaseException("the benchmon schema applied by hand grants nothing to this login (" + login
                    + "): it was granted to another app role. As the owner, run SELECT benchmon_apply_privileges('"
                    + login + "'), or apply it with PGOPTIONS='-c benchmon.app_role=" + login + "' (docs/SETUP.md)");
        }
    }

    /**
     * Whether the database holds a benchmon schema of any version: Flyway's history, or the log a psql-applied
     * schema created ({@code benchmark_log}, or {@code benchmark_transactions} before version 13). Readable by any login.
     */
    public static boolean present(DataSource dataSource) {
        return exists(dataSource, HISTORY_TABLE) || exists(dataSource, "benchmark_log")
                || exists(dataSource, "benchmark_transactions");
    }

    /**
     * Whether the login of {@code dataSource} may migrate: it is a superuser, or a member of the role that owns
     * Flyway's history table, or (no history yet) of the role that owns the tables a psql script created, or
     * (no benchmon tables at all) it may create tables in the schema. An app login on a schema applied by hand
     * may not: Flyway would try to create its history table and fail on the schema's permissions.
     */
    public static boolean canMigrate(DataSource dataSource) {
        return ask(dataSource, """
                SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                    OR CASE WHEN to_regclass('%s') IS NOT NULL
                                THEN pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = to_regclass('%s')), 'MEMBER')
                            WHEN coalesce(to_regclass('benchmark_log'), to_regclass('benchmark_transactions')) IS NOT NULL
                                THEN pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = coalesce(
                                         to_regclass('benchmark_log'), to_regclass('benchmark_transactions'))), 'MEMBER')
                            ELSE coalesce(has_schema_privilege(current_schema(), 'CREATE'), false) END
                """.formatted(HISTORY_TABLE, HISTORY_TABLE));
    }

    /**
     * Whether the login of {@code dataSource} could rewrite history: a superuser (session_replication_role,
     * anything) or a member of the log's owner (ALTER TABLE ... DISABLE TRIGGER, replacing the trigger
     * function). A server should not run as such a login; see docs/SETUP.md.
     */
    public static boolean canRewriteHistory(DataSource dataSource) {
        return ask(dataSource, """
                SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                    OR coalesce(pg_has_role(current_user,
                           (SELECT relowner FROM pg_class WHERE oid = coalesce(to_regclass('benchmark_log'),
                                                                to_regclass('benchmark_transactions'))), 'MEMBER'), false)
                """);
    }

    private static boolean ask(DataSource dataSource, String sql) {
        return "t".equals(text(dataSource, sql)); // the driver's text of a boolean
    }

    /** The first column of the one row {@code sql} answers, as text. */
    private static String text(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new DatabaseException("could not inspect the database's roles and schema: " + e.getMessage(), e);
        }
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration configure(DataSource dataSource) {
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(LOCATION)
                    .callbackLocations(LOCATION)
                    .table(HISTORY_TABLE)
                    .placeholderReplacement(false)
                    // A schema that holds other tables (Supabase's public schema, say) is fine. If the
                    // benchmon tables were created by hand with psql, version 1 counts as applied.
                    .baselineOnMigrate(true);
    }

    private static final String STAMP_PREFIX = "benchmon schema ";
    private static volatile Optional<String> filesFingerprint; // the files in the jar do not change while it runs

    /**
     * The stamp for these files granted to {@code role}, whose oid is {@code roleOid} ({@code null} when the role does
     * not exist yet). The oid is part of it so that a role created, or dropped and created again, after the last
     * migrate makes the next open run Flyway, whose afterMigrate callback grants to it.
     */
    static String stamp(String role, Long roleOid) {
        String files = filesFingerprint();
        return files == null ? null
                : STAMP_PREFIX + files + " granted to " + role + (roleOid == null ? " (no such role yet)" : " (oid " + roleOid + ")");
    }

    /** The oid of {@code role}, or {@code null} when no such role exists. */
    static Long roleOid(DataSource dataSource, String role) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT oid::bigint FROM pg_catalog.pg_roles WHERE rolname = ?")) {
            st.setString(1, role);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        } catch (SQLException e) {
            throw new DatabaseException("could not look up the app role " + role + ": " + e.getMessage(), e);
        }
    }

    /**
     * SHA-256 (hex) over the name and bytes of every file under {@link #LOCATION}, in name order;
     * {@code null} when they cannot be listed (an unusual class path), so that Flyway always runs.
     */
    static String filesFingerprint() {
        Optional<String> known = filesFingerprint;
        if (known == null) {
            known = Optional.ofNullable(computeFingerprint());
            filesFingerprint = known;
        }
        return known.orElse(null);
    }

    private static String computeFingerprint() {
        String dir = LOCATION.substring("classpath:".length());
        URL url = SchemaMigrations.class.getClassLoader().getResource(dir);
        if (url == null) {
            return null;
        }
        SortedMap<String, byte[]> files = new TreeMap<>();
        try {
            if ("file".equals(url.getProtocol())) {
                try (Stream<Path> list = Files.list(Path.of(url.toURI()))) {
                    for (Path f : (Iterable<Path>) list::iterator) {
                        files.put(f.getFileName().toString(), Files.readAllBytes(f));
                    }
                }
            } else if ("jar".equals(url.getProtocol())) {
                JarURLConnection connection = (JarURLConnection) url.openConnection();
                connection.setUseCaches(false); // our own handle, closed here, not the class loader's
                try (JarFile jar = connection.getJarFile()) {
                    String prefix = dir + "/";
                    for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                        String name = e.getName();
                        if (name.startsWith(prefix) && name.length() > prefix.length() && !e.isDirectory()) {
                            try (InputStream in = jar.getInputStream(e)) {
                                files.put(name.substring(prefix.length()), in.readAllBytes());
                            }
                        }
                    }
                }
            } else {
                return null;
            }
            if (files.isEmpty()) {
                return null;
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                sha.update(f.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Long.toString(f.getValue().length).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(f.getValue());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | URISyntaxException | NoSuchAlgorithmException | RuntimeException e) {
            log.debug("cannot fingerprint the migration files at {}; Flyway checks the schema on every open: {}", url, e.toString());
            return null;
        }
    }

    /** The stamp on Flyway's history table, or {@code null} (no table yet, no stamp). Readable by any login. */
    static String currentStamp(DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT obj_description(to_regclass(?), 'pg_class')")) {
            st.setString(1, HISTORY_TABLE);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new DatabaseException("could not read the benchmon schema version: " + e.getMessage(), e);
        }
    }

    private static void writeStamp(DataSource dataSource, String stamp) {
        // COMMENT takes no parameters; the stamp is hex and a role name, quoted here like any literal.
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("COMMENT ON TABLE " + HISTORY_TABLE + " IS '" + stamp.replace("'", "''") + "'");
        } catch (SQLException e) {
            // Not fatal: without the stamp the next open runs Flyway again, as it always did.
            log.debug("could not stamp {} after migrating: {}", HISTORY_TABLE, e.toString());
        }
    }

    /**
     * The version to adopt a schema that has no Flyway history at (one applied by hand with psql from
     * sql/schema_benchmark_monitoring.sql): versions 2 to 12 are written to run twice safely and are
     * applied again over version 1; version 13 rebuilds the log, so a schema that already has it is
     * adopted at 13; version 15 cannot run again once version 21 made its table's series_id required (a
     * log with CI re-runs fails it), so a schema with that column is adopted at 21. "0" for an empty schema.
     */
    private static String handAppliedVersion(DataSource dataSource) {
        if (exists(dataSource, "benchmark_latest_attempts.series_id")) {
            return "21";
        }
        if (exists(dataSource, "benchmark_log")) {
            return "13";
        }
        return exists(dataSource, "benchmark_transactions") ? "1" : "0";
    }

    /** Whether the schema holds {@code table}, or {@code table.column}. */
    private static boolean exists(DataSource dataSource, String table) {
        String[] parts = table.split("\\.", 2);
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(parts.length == 1 ? "SELECT to_regclass(?) IS NOT NULL"
                     : "SELECT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attname = ? "
                     + "AND NOT a.attisdropped)")) {
            st.setString(1, parts[0]);
            if (parts.length == 2) {
                st.setString(2, parts[1]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new DatabaseException("could not inspect the database before migrating: " + e.getMessage(), e);
        }
    }
}
