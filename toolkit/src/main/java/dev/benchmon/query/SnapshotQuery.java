package dev.benchmon.query;

import dev.benchmon.Filter;
import org.jdbi.v3.core.Jdbi;
import tech.tablesaw.api.Table;

import java.time.Instant;

/** The latest result of every series, from the snapshot table (never a scan of the log). */
public final class SnapshotQuery {
    /**
     * Every series' snapshot ({@code s}) with the log row of its latest run ({@code t}). Joined by id and
     * {@code run_at}, so only the month partition holding the run is probed; LEFT, so a series whose
     * latest run lies in a detached month still shows.
     */
    static final String FROM_SNAPSHOTS_WITH_RUN =
            "FROM benchmark_snapshots s LEFT JOIN benchmark_log t ON t.id = s.transaction_id AND t.run_at = s.run_at";

    private final Jdbi jdbi;

    public SnapshotQuery(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * One row per series matching the filter (the time window applies to the latest run), with one
     * double column per metric.
     */
    public Table latest(Filter filter) {
        FilterSql where = FilterSql.of(filter, "s", "t", "s.run_at", Instant.now());
        TableReader reader = TableReader.named("latest snapshots")
                .string("model_version", "dataset_version", "prompt_version", "environment", "model_provider")
                .instant("run_at").longs("run_count").instant("first_seen", "last_seen").longs("transaction_id")
                .string("commit_sha", "branch", "run_id")
                .metrics("metrics", filter.metrics());
        jdbi.useHandle(h -> where.bind(h.createQuery("""
                SELECT s.model_version, s.dataset_version, s.prompt_version, s.environment, s.model_provider,
                       s.run_at, s.run_count, s.first_seen, s.last_seen, s.transaction_id,
                       t.commit_sha, t.branch, t.run_id, s.metrics::text AS metrics
                """ + FROM_SNAPSHOTS_WITH_RUN + where.where() + """

                ORDER BY s.model_version, s.dataset_version, s.prompt_version, s.environment"""))
                .map((rs, ctx) -> {
                    reader.row(rs);
                    return null;
                }).list());
        return reader.table();
    }
}
