package dev.benchmon.query;

import dev.benchmon.Filter;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.List;

/**
 * Results as the native JSON format, one object per line, built by the database from the stored
 * columns: metric names, stderr, n, tags and metadata exactly as stored (no table columns in
 * between, so no prefix or rename), with each result's idempotency key so that importing the file
 * again adds nothing. A field without a value is left out, as {@code ResultJson} writes results: tags and metadata
 * stored as {@code {}} (none) too, where the history API answers {@code null}, so both say "none" the same way
 * ({@code benchmon import} reads a missing field, {@code null} and {@code {}} alike).
 */
public final class JsonLinesQuery {
    private static final String OBJECT = """
            jsonb_strip_nulls(jsonb_build_object(
                'model_version', t.model_version, 'dataset_version', t.dataset_version,
                'prompt_version', t.prompt_version, 'model_provider', t.model_provider, 'environment', t.environment,
                'metrics', t.metrics, 'stderr', t.stderr, 'n', t.sample_sizes, 'run_at', %s,
                'commit_sha', t.commit_sha, 'branch', t.branch, 'run_id', t.run_id, 'triggered_by', t.triggered_by,
                'tags', nullif(t.tags, '{}'), 'notes', t.notes, 'metadata', nullif(t.metadata, '{}'),
                'idempotency_key', t.idempotency_key))::text""".formatted(instantText("t.run_at"));

    /**
     * SQL for the text {@link Instant#toString()} writes of a {@code timestamptz} column, which the CSV export writes
     * too: UTC with {@code Z}, the fraction at the stored precision (none, milliseconds or microseconds). The
     * timestamptz's own JSON form ({@code 2026-01-31T12:00:00.123456+00:00}) differed from the CSV's cell.
     */
    private static String instantText(String column) {
        return """
                (to_char(%1$s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
                 || CASE WHEN extract(microseconds FROM %1$s AT TIME ZONE 'UTC')::bigint %% 1000000 = 0 THEN ''
                         WHEN extract(microseconds FROM %1$s AT TIME ZONE 'UTC')::bigint %% 1000 = 0
                             THEN to_char(%1$s AT TIME ZONE 'UTC', '.MS')
                         ELSE to_char(%1$s AT TIME ZONE 'UTC', '.US') END || 'Z')""".formatted(column);
    }

    private final Jdbi jdbi;

    public JsonLinesQuery(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The log's results for the filter (the latest attempt of each run), newest first, at most the filter's limit (default 1000). */
    public List<String> history(Filter filter) {
        FilterSql where = FilterSql.ofCurrentLog(filter, "t", Instant.now());
        int limit = filter.limit() == null ? HistoryQuery.DEFAULT_LIMIT : filter.limit();
        return jdbi.withHandle(h -> where.bind(h.createQuery(where.with() + "SELECT " + OBJECT + " FROM benchmark_transactions t"
                + where.where() + " ORDER BY t.run_at DESC, t.id DESC LIMIT :limit")).bind("limit", limit)
                .mapTo(String.class).list());
    }

    /** The latest result of every series matching the filter. */
    public List<String> latest(Filter filter) {
        FilterSql where = FilterSql.of(filter, "s", "t", "s.run_at", Instant.now());
        return jdbi.withHandle(h -> where.bind(h.createQuery("SELECT " + OBJECT
                + " FROM benchmark_snapshots s JOIN benchmark_transactions t ON t.id = s.transaction_id" + where.where()
                + " ORDER BY s.model_version, s.dataset_version, s.prompt_version, s.environment"))
                .mapTo(String.class).list());
    }
}
