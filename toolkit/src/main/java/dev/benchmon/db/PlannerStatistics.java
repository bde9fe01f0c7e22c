package dev.benchmon.db;

import org.jdbi.v3.core.Jdbi;


/**
 * Fresh planner statistics after bulk loads. Autovacuum analyzes a table only after a share of it
 * changed and only when it gets to it; until then the planner plans reads with the row counts from
 * before the load (at 100k pushes it expected 1 snapshot instead of 900 and chose plans 100x slower).
 * Calls {@code refresh_benchmark_statistics(written)} (SECURITY DEFINER, {@code R__rollup_functions.sql}),
 * which ANALYZEs the small hot tables always and the log and rollups when the load grew them by more
 * than a tenth.
 */
public final class PlannerStatistics {
    /** Loads of at least this many results are followed by an ANALYZE. */
    public static final int BULK = 5_000;

    private PlannerStatistics() {
    }

    /** Refreshes the statistics when {@code written} results is at least {@link #BULK}. */
    public static void refreshAfter(Jdbi jdbi, long written) {
        if (written >= BULK) {
            jdbi.useHandle(h -> h.createQuery("SELECT refresh_benchmark_statistics(:n)").bind("n", written)
                    .mapToMap().list());
        }
    }
}
