package dev.benchmon.query;

import dev.benchmon.DatabaseException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Says why a query over the last {@code window} of known models came back empty, in the table's name (what a terminal
 * prints above it, as the dashboard says "Widen the time range"): {@code f1 by day: no results in the last 30 days;
 * the newest is 2025-11-02: widen the range}. Data imported from old files is the common case. One query, and only
 * for an empty table: the newest {@code run_at} among the models' series; of any metric, their latest run
 * ({@code benchmark_snapshots}, one row a series); of one metric, the newest daily cell of it in each series
 * ({@code benchmark_rollups_daily}, one index probe a series), since a series' latest run may lack the metric that
 * older runs reported.
 */
public final class EmptyWindow {
    /** The newest run of the models' series: each series' latest run. */
    private static final String NEWEST_RUN = """
            SELECT max(run_at) FROM benchmark_snapshots WHERE model_version = ANY (CAST(:models AS text[]))""";
    /**
     * The newest run of the models' series that reported {@code :metric}: the last run of each series' newest day
     * with the metric (a backward probe of the rollups' key, series, metric and day), the newest of those.
     */
    private static final String NEWEST_OF_METRIC = """
            SELECT max(c.last_run_at)
            FROM series s
            CROSS JOIN LATERAL (SELECT r.last_run_at FROM benchmark_rollups_daily r
                                WHERE r.series_id = s.id
                                  AND r.metric_id = (SELECT mn.id FROM metric_names mn WHERE mn.name = CAST(:metric AS text))
                                ORDER BY r.day DESC LIMIT 1) c
            WHERE s.model_version = ANY (CAST(:models AS text[]))""";

    private final Jdbi jdbi;

    public EmptyWindow(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * {@code table}, renamed with the reason when it is empty and the newest result of {@code models} (reporting
     * {@code metric}, when not null) is older than the window; otherwise {@code table} as it was.
     */
    public Table explain(Table table, List<String> models, String metric, Duration window) {
        if (table.rowCount() > 0) {
            return table;
        }
        Instant since = Instant.now().minus(window);
        Instant newest;
        try {
            newest = jdbi.withHandle(h -> (metric == null ? h.createQuery(NEWEST_RUN)
                            : h.createQuery(NEWEST_OF_METRIC).bind("metric", metric))
                    .bind("models", models.toArray(String[]::new))
                    .mapTo(OffsetDateTime.class).findOne().map(OffsetDateTime::toInstant).orElse(null));
        } catch (JdbiException e) {
            throw new DatabaseException("reading the newest result of " + models + " failed: " + e.getMessage(), e);
        }
        if (newest != null && !newest.isBefore(since)) {
            return table; // the window holds results; something else left it empty
        }
        table.setName(table.name() + ": " + reason(window, newest));
        return table;
    }

    /**
     * The newest run reporting {@code metric} among the series {@code filter} names (its environments, models, datasets
     * and prompts; its time range, providers and tags are left aside): what a view left empty by its range could show
     * instead. The last run of each such series' newest daily cell of the metric, as {@link #explain} reads it (one
     * index probe a series; the rollups count excluded runs too).
     *
     * @return its {@code run_at}, or {@code null} when none of those series reported {@code metric}
     * @throws DatabaseException when the read fails
     */
    public Instant newest(dev.benchmon.Filter filter, String metric) {
        FilterSql names = FilterSql.of(FilterSql.seriesOnly(filter), "s", "s", "NULL", Instant.now());
        try {
            return jdbi.withHandle(h -> names.bind(h.createQuery("""
                            SELECT max(c.last_run_at)
                            FROM series s
                            CROSS JOIN LATERAL (SELECT r.last_run_at FROM benchmark_rollups_daily r
                                                WHERE r.series_id = s.id
                                                  AND r.metric_id = (SELECT mn.id FROM metric_names mn WHERE mn.name = CAST(:metric AS text))
                                                ORDER BY r.day DESC LIMIT 1) c""" + names.where()))
                    .bind("metric", metric)
                    .mapTo(OffsetDateTime.class).findOne().map(OffsetDateTime::toInstant).orElse(null));
        } catch (JdbiException e) {
            throw new DatabaseException("reading the newest " + metric + " result of " + filter + " failed: " + e.getMessage(), e);
        }
    }

    /** {@code no results in the last 30 days; the newest is 2025-11-02: widen the range} (or {@code ...; none older either}). */
    static String reason(Duration window, Instant newest) {
        return "no results in the last " + describe(window) + (newest == null ? "; none older either"
                : "; the newest is " + newest.atOffset(ZoneOffset.UTC).toLocalDate() + ": widen the range");
    }

    /** The units {@link #describe} words a window in, largest first: their length, singular and plural name. */
    private static final List<Object[]> UNITS = List.of(
            new Object[] {Duration.ofDays(1), "day", "days"},
            new Object[] {Duration.ofHours(1), "hour", "hours"},
            new Object[] {Duration.ofMinutes(1), "minute", "minutes"},
            new Object[] {Duration.ofSeconds(1), "second", "seconds"},
            new Object[] {Duration.ofMillis(1), "millisecond", "milliseconds"},
            new Object[] {Duration.ofNanos(1000), "microsecond", "microseconds"});

    /**
     * The window in the largest unit that measures it whole, as "in the last ..." reads: {@code 30 days}, {@code day}
     * ("in the last day"), {@code 6 hours}, {@code hour}, {@code 90 minutes}, {@code minute}, {@code 45 seconds},
     * {@code 5 milliseconds}; else in nanoseconds. Never ISO-8601 ({@code PT0.005S}).
     */
    static String describe(Duration window) {
        if (window.isNegative()) {
            return "-" + describe(window.negated());
        }
        for (Object[] unit : UNITS) {
            Duration length = (Duration) unit[0];
            long n = window.dividedBy(length);
            if (n > 0 && length.multipliedBy(n).equals(window)) {
                return n == 1 ? (String) unit[1] : n + " " + unit[2];
            }
        }
        if (window.isZero()) {
            return "0 seconds";
        }
        java.math.BigInteger nanos = java.math.BigInteger.valueOf(window.getSeconds())
                .multiply(java.math.BigInteger.valueOf(1_000_000_000)).add(java.math.BigInteger.valueOf(window.getNano()));
        return nanos.equals(java.math.BigInteger.ONE) ? "nanosecond" : nanos + " nanoseconds";
    }
}
