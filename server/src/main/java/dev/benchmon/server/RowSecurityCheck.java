package dev.benchmon.server;

import dev.benchmon.Benchmon;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Under Row Level Security a login that no policy names sees no rows and no error, so a server whose login the
 * policies leave out shows an empty dashboard without a word. At start the server compares what its logins see of
 * the snapshots (one row per series) with what the table's statistics say it holds: the primary's login, and the
 * read pool's ({@code BENCHMON_DB_READ_URL}, possibly as {@code BENCHMON_DB_READ_USER}), which the dashboard and
 * the GET API read through.
 */
public final class RowSecurityCheck {
    /** Where the docs say how to name the server's login in the policies. */
    public static final String DOC = "docs/SETUP.md#row-level-security-optional";

    private RowSecurityCheck() {
    }

    /**
     * The warnings to log, none, one or two: one for each pool (the primary's, and the read replica's when one is
     * configured) whose login sees none of {@code benchmark_snapshots}' rows while Row Level Security is on for it and
     * the table is not empty by its statistics. No warning from a pool whose check itself fails (it must not keep a
     * server from starting).
     *
     * @param benchmon the open database the server runs on
     * @return sentences naming the login (and the read database, for the read pool), the estimated number of series
     *         and {@link #DOC}
     */
    public static List<String> warnings(Benchmon benchmon) {
        List<String> out = new ArrayList<>();
        // The primary's statistics: pg_class.reltuples after an analyze, else n_live_tup (the activity counters).
        check(benchmon.jdbi(), "greatest(c.reltuples::bigint, coalesce(s.n_live_tup, 0))", "")
                .ifPresent(out::add);
        if (benchmon.hasReadReplica()) {
            // A replica's activity counters count only what ran on it (nothing is written there), so only reltuples,
            // which replicates with the catalog, tells what the table holds.
            check(benchmon.readJdbi(), "greatest(c.reltuples::bigint, 0)",
                    " on the read database (BENCHMON_DB_READ_URL)").ifPresent(out::add);
        }
        return out;
    }

    private static Optional<String> check(Jdbi jdbi, String estimate, String where) {
        try {
            return jdbi.withHandle(h -> h.createQuery("""
                            SELECT c.relrowsecurity AS rls,
                                   EXISTS (SELECT 1 FROM benchmark_snapshots) AS sees,
                                   <estimate> AS estimated,
                                   session_user AS login
                            FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
                            WHERE c.oid = 'benchmark_snapshots'::regclass""".replace("<estimate>", estimate))
                    .map((rs, ctx) -> rs.getBoolean("rls") && !rs.getBoolean("sees") && rs.getLong("estimated") > 0
                            ? Optional.of(message(rs.getString("login"), where, rs.getLong("estimated")))
                            : Optional.<String>empty())
                    .one());
        } catch (JdbiException | dev.benchmon.DatabaseException e) {
            return Optional.empty();
        }
    }

    private static String message(String login, String where, long series) {
        return "Row Level Security is on for benchmon's tables and hides every row from the database login " + login
                + where + ": it sees no series while the snapshot table holds about " + series + " by its statistics, "
                + "so the dashboard and the API will look empty. Name the login in the policies: run "
                + "sql/hosted/row_level_security_template.sql again as the owner with PGOPTIONS='-c benchmon.app_role="
                + login + "' (" + DOC + ")";
    }
}
