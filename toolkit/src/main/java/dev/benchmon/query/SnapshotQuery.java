package dev.benchmon.query;

import dev.benchmon.Filter;
import dev.benchmon.ingest.ResultJson;
import org.jdbi.v3.core.Jdbi;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The current result of every series, its newest run that counts (neither excluded nor superseded by a later attempt),
 * from the snapshot table (never a scan of the log).
 */
public final class SnapshotQuery {
    /**
     * Every series' snapshot ({@code s}) with the log row of its latest run ({@code t}). Looked up by id and
     * {@code run_at}, so only the month partition holding the run is probed; LEFT, so a series whose
     * latest run lies in a detached month still shows. A LATERAL subquery with LIMIT 1 stays one probe per
     * series: as a plain join, 5,900 series made the planner hash the whole log (300 ms at 1M results).
     */
    static final String FROM_SNAPSHOTS_WITH_RUN = "FROM benchmark_snapshots s LEFT JOIN LATERAL (SELECT l.* FROM benchmark_log l"
            + " WHERE l.id = s.transaction_id AND l.run_at = s.run_at LIMIT 1) t ON true";

    /**
     * The snapshots as a filter needs them: alone ({@code s}) unless the filter reads the latest run's tags, which
     * only the log holds ({@link #FROM_SNAPSHOTS_WITH_RUN}); the snapshot holds the run's provider, commit,
     * branch and run id itself (V17), so most reads probe no month of the log.
     */
    static String from(Filter filter) {
        return filter.tags().isEmpty() ? "FROM benchmark_snapshots s" : FROM_SNAPSHOTS_WITH_RUN;
    }

    /**
     * The filter's conditions on the snapshots of {@link #from}, the time window on the latest run, and no series
     * whose every run is excluded: a snapshot shows the newest run that counts (V37, kept by ingest and by
     * {@code annotate_run}), and stays on an excluded run only when no run of its series counts, so it has no current
     * value to show (one probe of {@code excluded_runs}' key per series; its names stay known to {@link Catalog}).
     */
    static FilterSql where(Filter filter, Instant now) {
        return FilterSql.of(filter, "s", filter.tags().isEmpty() ? "s" : "t", "s.run_at", now)
                .and(NOTHING_COUNTS_LEFT_OUT, Map.of());
    }

    /** The condition of {@link #where} that leaves out a series whose every run is excluded. */
    private static final String NOTHING_COUNTS_LEFT_OUT = notExcluded("s.transaction_id");

    /**
     * The SQL condition that the run {@code transactionId} names (a column: a snapshot's {@code s.transaction_id}, a
     * log row's {@code t.id}) is not excluded ({@code excluded_runs}), one probe of its key. On a snapshot it is the
     * condition of {@link #where}: a series whose every run is excluded has no current value, so it is no choice
     * either (the compare page's models and dataset versions, {@code dev.benchmon.compare.ResultRefs}).
     */
    public static String notExcluded(String transactionId) {
        return "NOT EXISTS (SELECT 1 FROM excluded_runs x WHERE x.transaction_id = " + transactionId + ")";
    }

    private final Jdbi jdbi;

    public SnapshotQuery(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The same series as {@link #latest}, in the same order, as records whose metrics are maps (read with the
     * streaming JSON parser): memory grows with the metrics the series report, not with series x metric names.
     */
    public List<SnapshotRow> rows(Filter filter) {
        FilterSql where = where(filter, Instant.now());
        Set<String> only = filter.metrics().isEmpty() ? null : Set.copyOf(filter.metrics());
        return jdbi.withHandle(h -> where.bind(h.createQuery("""
                SELECT s.model_version, s.dataset_version, s.prompt_version, s.environment, s.run_at, s.run_count,
                       s.transaction_id, s.commit_sha, s.run_id, s.metrics::text AS metrics
                """ + from(filter) + where.where() + """

                ORDER BY s.model_version, s.dataset_version, s.prompt_version, s.environment"""))
                .map((rs, ctx) -> {
                    Map<String, Double> metrics = ResultJson.readMetrics(rs.getString("metrics"));
                    if (only != null) {
                        metrics.keySet().retainAll(only);
                    }
                    return new SnapshotRow(rs.getString("model_version"), rs.getString("dataset_version"),
                            rs.getString("prompt_version"), rs.getString("environment"),
                            rs.getObject("run_at", OffsetDateTime.class).toInstant(), rs.getLong("run_count"),
                            rs.getLong("transaction_id"), rs.getString("commit_sha"), rs.getString("run_id"), metrics);
                }).list());
    }

    /**
     * One row per series matching the filter (the time window applies to the latest run), with one
     * double column per metric, named by {@link MetricColumns#tableColumnNames} (unique ignoring case: {@code F1} and
     * {@code f1} are columns {@code F1} and {@code metric:2:f1}), each followed by the latest run's standard errors
     * ({@code acc_stderr}, {@link MetricColumns#stderrColumnNames}) when any row carries one. The standard errors are
     * the snapshot's own ({@code stderr}, kept with its metrics since V40): no probe of the log per series.
     */
    public Table latest(Filter filter) {
        FilterSql where = where(filter, Instant.now());
        TableReader reader = TableReader.named("latest snapshots")
                .string("model_version", "dataset_version", "prompt_version", "environment", "model_provider")
                .instant("run_at").longs("run_count")
                .instant("first_seen", "last_seen")
                .longs("transaction_id")
                .string("commit_sha", "branch", "run_id")
                .metrics("metrics", filter.metrics()).stderr("stderr_of_metrics");
        jdbi.useHandle(h -> where.bind(h.createQuery("""
                SELECT s.model_version, s.dataset_version, s.prompt_version, s.environment, s.model_provider,
                       s.run_at, s.run_count, s.first_seen, s.last_seen, s.transaction_id,
                       s.commit_sha, s.branch, s.run_id, s.metrics::text AS metrics, s.stderr::text AS stderr_of_metrics
                """ + from(filter) + where.where() + """

                ORDER BY s.model_version, s.dataset_version, s.prompt_version, s.environment"""))
                .map((rs, ctx) -> {
                    reader.row(rs);
                    return null;
                }).list());
        return reader.table();
    }
}
