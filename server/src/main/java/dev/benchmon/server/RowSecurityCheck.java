package dev.benchmon.server;

import dev.benchmon.Benchmon;
import org.jdbi.v3.core.JdbiException;

import java.util.Optional;

/**
 * Under Row Level Security a login that no policy names sees no rows and no error, so a server whose login the
 * policies leave out shows an empty dashboard without a word. At start the server compares what its login sees of
 * the snapshots (one row per series) with what the table's statistics say it holds.
 */
public final class RowSecurityCheck {
    /** Where the docs say how to name the server's login in the policies. */
    public static final String DOC = "docs/SETUP.md#row-level-security-optional";

    private RowSecurityCheck() {
    }

    /**
     * The warning to log, or empty: present when Row Level Security is on for {@code benchmark_snapshots}, the pool's
     * login sees none of its rows, and the table is not empty by its statistics ({@code pg_class.reltuples} after an
     * analyze, else {@code pg_stat_user_tables.n_live_tup}). Empty too when the check itself fails (it must not keep a
     * server from starting).
     *
     * @param benchmon the open database the server runs on
     * @return one sentence naming the login, the estimated number of series and {@link #DOC}
     */
    public static Optional<String> warning(Benchmon benchmon) {
        try {
            return benchmon.jdbi().withHandle(h -> h.createQuery("""
                            SELECT c.relrowsecurity AS rls,
                                   EXISTS (SELECT 1 FROM benchmark_snapshots) AS sees,
                                   greatest(c.reltuples::bigint, coalesce(s.n_live_tup, 0)) AS estimated,
                                   session_user AS login
                            FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
                            WHERE c.oid = 'benchmark_snapshots'::regclass""")
                    .map((rs, ctx) -> rs.getBoolean("rls") && !rs.getBoolean("sees") && rs.getLong("estimated") > 0
                            ? Optional.of(message(rs.getString("login"), rs.getLong("estimated")))
                            : Optional.<String>empty())
                    .one());
        } catch (JdbiException | dev.benchmon.DatabaseException e) {
            return Optional.empty();
        }
    }

    private static String message(String login, long series) {
        return "Row Level Security is on for benchmon's tables and hides every row from the database login " + login
                + ": it sees no series while the snapshot table holds about " + series + " by its statistics, so the "
                + "dashboard and the API will look empty. Name the login in the policies: run "
                + "sql/hosted/row_level_security_template.sql again as the owner with PGOPTIONS='-c benchmon.app_role="
                + login + "' (" + DOC + ")";
    }
}
