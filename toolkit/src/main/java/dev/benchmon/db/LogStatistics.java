package dev.benchmon.db;

import dev.benchmon.DatabaseException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the partitioned log's own planner statistics fresh, which PostgreSQL's autovacuum never does: it analyzes each
 * month of {@code benchmark_log}, not the partitioned table, whose statistics the planner reads for joins and
 * aggregates over the whole log ("partitioned tables are not processed by autovacuum": PostgreSQL documentation,
 * Routine Vacuuming, 25.1.6). A long-running process ({@code benchmon serve}) checks every {@link #EVERY} through
 * {@code refresh_benchmark_log_statistics()} (SECURITY DEFINER, {@code R__rollup_functions.sql}), which ANALYZEs the log
 * only when it has no statistics yet or grew by more than a tenth since its last ANALYZE; bulk loads refresh their own
 * ({@link PlannerStatistics}).
 */
public final class LogStatistics implements AutoCloseable {
    /** How often a running server checks. */
    public static final Duration EVERY = Duration.ofMinutes(10);
    /** The first check after start: soon, so that a database that never had the log's statistics gets them. */
    public static final Duration FIRST = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(LogStatistics.class);

    private final Jdbi jdbi;
    private final ScheduledExecutorService schedule;
    /** Whether the last check failed, so that a database out of reach is said once, not every {@link #EVERY}. */
    private volatile boolean failing;

    private LogStatistics(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "benchmon-log-statistics");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Checks on {@code jdbi} (the primary: an ANALYZE is a write, and a replica gets the statistics by replication)
     * {@link #FIRST} after the call and then every {@link #EVERY}, on a daemon thread, until closed.
     */
    public static LogStatistics keepFresh(Jdbi jdbi) {
        LogStatistics s = new LogStatistics(jdbi);
        s.schedule.scheduleWithFixedDelay(s::check, FIRST.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    /**
     * Analyzes the log when its statistics are missing or stale (see the class comment); whether it did.
     *
     * @throws DatabaseException when the database cannot be reached or refuses the call
     */
    public static boolean refresh(Jdbi jdbi) {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT refresh_benchmark_log_statistics()").mapTo(Boolean.class).one());
        } catch (org.jdbi.v3.core.JdbiException e) {
            throw new DatabaseException("refreshing the log's planner statistics (refresh_benchmark_log_statistics()) "
                    + "failed: " + e.getMessage(), e);
        }
    }

    private void check() {
        try {
            long start = System.nanoTime();
            if (refresh(jdbi)) {
                log.info("analyzed the results log for the planner in {} ms (it had grown by more than a tenth since "
                        + "its last statistics, or had none)", (System.nanoTime() - start) / 1_000_000);
            }
            if (failing) {
                log.info("the log's planner statistics are checked again");
                failing = false;
            }
        } catch (RuntimeException e) { // a thread of the schedule that threw would never run again
            if (!failing) {
                log.warn("{}; tried again every {} minutes", e.getMessage(), EVERY.toMinutes());
                failing = true;
            }
        }
    }

    /** Stops checking; a check under way finishes (an ANALYZE is not cut short). */
    @Override
    public void close() {
        schedule.shutdown();
    }
}
