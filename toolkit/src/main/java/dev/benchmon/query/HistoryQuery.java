package dev.benchmon.query;

import dev.benchmon.Filter;
import org.jdbi.v3.core.Jdbi;
import tech.tablesaw.api.Table;

import java.time.Instant;

/**
 * Rows of the log, newest first, with one double column per metric. The idempotency key is included
 * so that clients can check a push was stored exactly once. A result superseded by a later attempt of
 * the same CI run is left out, as {@code benchmark_results_current} leaves it out ({@link FilterSql#ofCurrentLog});
 * {@code attempt} says which attempt each row is.
 */
public final class HistoryQuery {
    /** Rows returned when the filter sets no limit. */
    public static final int DEFAULT_LIMIT = 1000;

    /**
     * The history's columns before the metrics, over the log as {@code t}: tags as {@code key=value} pairs in key
     * order. Most results carry no tags; those skip the per-row subquery.
     */
    static final String COLUMNS = columns("""
            (SELECT string_agg(k.key || '=' || k.value, ', ' ORDER BY k.key) FROM jsonb_each_text(t.tags) k)""");

    /**
     * As {@link #COLUMNS} with tags as the stored JSON object's text, which reads back exactly: the pairs cannot be
     * split back when a key or value holds {@code ", "} or {@code =}. The API's history ({@link ResultStream}) and
     * {@code export --raw} read these.
     */
    static final String COLUMNS_WITH_JSON_TAGS = columns("t.tags::text");

    /**
     * What a CSV of the history ({@link ResultStream#history(Filter, ResultStream.Sink, boolean)}) adds after
     * {@link #COLUMNS}' columns, so that it holds what the JSON export holds ({@link JsonLinesQuery}): {@code stderr}
     * and {@code n} (the stored {@code sample_sizes}) as JSON object text, {@code metadata} as the stored JSON object's
     * text ({@code null} for none). Only the CSVs get them: in the table and the JSON answer they would move a metric
     * named {@code n}, {@code stderr} or {@code metadata} to {@code metric:NAME} ({@link MetricColumns}).
     */
    static final String CSV_COLUMNS = """
            ,
                   t.stderr::text AS stderr, t.sample_sizes::text AS n,
                   CASE WHEN t.metadata <> '{}' THEN t.metadata::text END AS metadata,
                   CASE WHEN %s THEN 'false' END AS run_at_sent""".formatted(HistoryQuery.RUN_KEYED_WITHOUT_RUN_AT);

    /** The names of {@link #CSV_COLUMNS} that hold JSON object text, in order; {@link #RUN_AT_SENT} follows them. */
    static final java.util.List<String> CSV_COLUMN_NAMES = java.util.List.of("stderr", "n", "metadata");

    /**
     * The last of {@link #CSV_COLUMNS}: {@code false} for a result of a CI run keyed without its run_at
     * ({@link #RUN_KEYED_WITHOUT_RUN_AT}), empty otherwise, as the JSON Lines export's {@code "run_at_sent": false}.
     */
    static final String RUN_AT_SENT = "run_at_sent";

    /**
     * Whether the log's row {@code t} names a CI run keyed without run_at, whose run key left its run_at out
     * (benchmark_run_key with a NULL run_at, recomputed here and compared with the stored key; no column says it): one
     * sent without run_at (its run_at is the time it arrived), or a tool's file whose run_id the context gave (its
     * run_at is the time the tool wrote, which a re-run writes anew). The exports say so per result ({@code
     * "run_at_sent": false}), and an import keys the copy's run the same way: each attempt of such a run holds its own
     * time, so keyed with its run_at the attempts of one run would become runs of their own in the copy, the replaced
     * one current again.
     */
    static final String RUN_KEYED_WITHOUT_RUN_AT = "(t.run_id IS NOT NULL AND t.run_key = benchmark_run_key(t.model_version, "
            + "t.dataset_version, t.prompt_version, t.environment, t.run_id, NULL::timestamptz))";

    private static String columns(String tags) {
        return """
                SELECT t.id, t.run_at, t.recorded_at, t.attempt, t.model_version, t.dataset_version, t.prompt_version,
                       t.environment, t.model_provider, t.commit_sha, t.branch, t.run_id, t.triggered_by,
                       CASE WHEN t.tags <> '{}' THEN %s END AS tags,
                       t.notes, t.idempotency_key""".formatted(tags);
    }

    /**
     * {@code FROM} and {@code ORDER BY} of a history file ({@code export history}, the API's {@code format=csv} and
     * {@code format=jsonl}, over the log as {@code t}): the newest {@code :limit} rows the filter selects, as the
     * newest-first history holds them, listed oldest first (results of one run_at in the order they were stored).
     * An import stores a file in its order, so a copy numbers its runs in the original's order; written newest first,
     * its ids ran backwards in time. The database sorts the rows, so a reader of the file holds none of them.
     */
    static String oldestFirstOfNewest(FilterSql where, int limit) {
        if (limit == Filter.ALL_ROWS) {
            // Every row: one sort, oldest first (the newest-first sort before it would order every row twice).
            // PostgreSQL sorts within work_mem and spills the rest to temporary files, and the rows come by cursor:
            // neither the database's memory nor the reader's grows with the log (200,000 results, 2026-12-07: 4.6 s,
            // and the CLI's export ran in a 48 MB heap).
            return "\nFROM benchmark_transactions t" + where.where() + " ORDER BY t.run_at, t.id LIMIT :limit";
        }
        return "\nFROM (SELECT t.* FROM benchmark_transactions t" + where.where()
                + " ORDER BY t.run_at DESC, t.id DESC LIMIT :limit) t\nORDER BY t.run_at, t.id";
    }

    /**
     * {@code FROM} of the rows {@link #oldestFirstOfNewest} lists, in no order (a read of their metric names): every
     * row's, without the sort, for {@link Filter#ALL_ROWS} (its {@code LIMIT :limit} cuts nothing; the statement
     * keeps the parameter every caller binds).
     */
    static String rowsOfNewest(FilterSql where, int limit) {
        if (limit == Filter.ALL_ROWS) {
            return "\nFROM benchmark_transactions t" + where.where() + " LIMIT :limit";
        }
        return "\nFROM benchmark_transactions t" + where.where() + " ORDER BY t.run_at DESC, t.id DESC LIMIT :limit";
    }

    private final Jdbi jdbi;

    public HistoryQuery(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Whether the filter selects more than {@code rows} rows of the log, as a history reads it (superseded attempts
     * left out): a history of {@code rows} rows then left older ones out, where one of exactly {@code rows} left none
     * out. Counts at most {@code rows + 1} of them; the caller checks the filter's names.
     */
    public boolean holdsMoreThan(Filter filter, long rows) {
        FilterSql where = FilterSql.ofCurrentLog(filter, "t", Instant.now());
        long counted = jdbi.withHandle(h -> where.bind(h.createQuery(where.with()
                        + "SELECT count(*) FROM (SELECT 1 FROM benchmark_transactions t" + where.where() + " LIMIT :more) x"))
                .bind("more", rows + 1).mapTo(Long.class).one());
        return counted > rows;
    }

    /**
     * The log rows as a table, metric columns named by {@link MetricColumns#tableColumnNames} (unique ignoring case:
     * {@code F1} and {@code f1} are columns {@code F1} and {@code metric:2:f1}), each followed by its standard errors
     * ({@code acc_stderr}, {@link MetricColumns#stderrColumnNames}) when any row carries one. The caller checks the
     * filter's names ({@link Catalog#requireKnown}).
     */
    public Table history(Filter filter) {
        FilterSql where = FilterSql.ofCurrentLog(filter, "t", Instant.now());
        int limit = filter.limit() == null ? DEFAULT_LIMIT : filter.limit();
        TableReader reader = TableReader.named("history")
                .longs("id").instant("run_at", "recorded_at").ints("attempt")
                .string("model_version", "dataset_version", "prompt_version", "environment", "model_provider",
                        "commit_sha", "branch", "run_id", "triggered_by", "tags", "notes", "idempotency_key")
                .metrics("metrics", filter.metrics()).stderr("stderr_of_metrics");
        long[] rows = {0};
        where.readNewestFirst(jdbi, limit == Integer.MAX_VALUE ? limit : limit + 1, h -> where.bind(h.createQuery(where.with() + COLUMNS + """
                , t.metrics::text AS metrics, t.stderr::text AS stderr_of_metrics
                FROM benchmark_transactions t""" + where.where() + """

                ORDER BY t.run_at DESC, t.id DESC
                LIMIT :limit""")).bind("limit", limit + 1L) // one past the limit: whether older rows match
                .map((rs, ctx) -> {
                    if (rows[0]++ < limit) {
                        reader.row(rs);
                    }
                    return null;
                }).list());
        Table t = reader.table();
        if (rows[0] > limit) {
            // Said in the name, which prints above the rows (as EmptyWindow says an empty window): a mean over a
            // table cut at the limit is a mean of its newest rows only, and nothing else would tell.
            t.setName(t.name() + ": the newest " + limit + " results (the limit" + (filter.limit() == null ? ", by default"
                    : "") + "); older ones match too: give Filter.withLimit(n) for more, or a narrower filter");
        }
        return t;
    }
}
