package dev.benchmon.query;

import dev.benchmon.Filter;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.Function;

/**
 * Results as the native JSON format, one object per line, built by the database from the stored
 * columns: metric names, stderr, n, tags and metadata exactly as stored (no table columns in
 * between, so no prefix or rename), with each result's idempotency key so that importing the file
 * again adds nothing, and its per-example outcomes last as the {@code "examples"} array the result format takes
 * (left out when it has none), so that a copy compares item by item as the original does. A field without a value is left out, as {@code ResultJson} writes results: tags and metadata
 * stored as {@code {}} (none) too, where the history API answers {@code null}, so both say "none" the same way
 * ({@code benchmon import} reads a missing field, {@code null} and {@code {}} alike). An optional name stored blank
 * ({@code commit_sha}, {@code branch}, {@code run_id}, {@code triggered_by}, {@code model_provider}: accepted before
 * 2026-12-02, refused since, as it names nothing) is left out too, so that an older database's export imports.
 * A result of a CI run keyed without its run_at has {@code "run_at_sent": false} ({@link
 * HistoryQuery#RUN_KEYED_WITHOUT_RUN_AT}: sent without run_at, its run_at the time it arrived, or a tool's file whose
 * run_id the context gave, its run_at the tool's time): an import keys its run without it, so that a re-run's later
 * attempt, at another time, still supersedes it in the copy. A result whose run is excluded carries its exclusion,
 * {@code "excluded": {"reason", "actor", "since"}} ({@link dev.benchmon.ingest.RunExclusion}), which an import applies
 * to the copy. A history's first line states the definitions of its metrics ({@code {"metric_definitions": {...}}},
 * left out when none is defined), which an import reads before the results.
 */
public final class JsonLinesQuery {
    /** Whether the log's row {@code t} carries per-example outcomes, a boolean column {@code has_examples}. */
    static final String HAS_EXAMPLES = "EXISTS (SELECT 1 FROM example_outcomes o WHERE o.transaction_id = t.id) AS has_examples";

    /**
     * A result's object is built by the database in two parts, the fields PostgreSQL's {@code jsonb} orders before
     * {@code run_at} and those after it ({@code jsonb} orders an object's keys by length, then byte by byte: {@code n},
     * {@code tags}, {@code notes}, {@code branch}, then {@code run_at}, then the rest), and {@link #line} puts
     * {@code run_at} between them as {@link InstantText} writes it, which every export writes a time with. The
     * timestamptz's own JSON form ({@code 2026-01-31T12:00:00.123456+00:00}) differed from the CSV's cell.
     */
    private static final String PARTS = """
            jsonb_strip_nulls(jsonb_build_object(
                'n', t.sample_sizes, 'tags', nullif(t.tags, '{}'), 'notes', t.notes, 'branch', %s))::text AS before_run_at,
            t.run_at,
            jsonb_strip_nulls(jsonb_build_object(
                'model_version', t.model_version, 'dataset_version', t.dataset_version,
                'prompt_version', t.prompt_version, 'model_provider', %s, 'environment', t.environment,
                'metrics', t.metrics, 'stderr', t.stderr,
                'commit_sha', %s, 'run_id', %s, 'triggered_by', %s,
                'metadata', nullif(t.metadata, '{}'), 'idempotency_key', t.idempotency_key,
                'run_at_sent', CASE WHEN %s THEN false END,
                'excluded', (SELECT jsonb_build_object('reason', x.reason, 'actor', x.actor, 'since', iso_instant(x.since))
                             FROM excluded_runs x WHERE x.transaction_id = t.id)))::text AS after_run_at,
            t.id, %s"""
            .formatted(unlessBlank("t.branch"), unlessBlank("t.model_provider"), unlessBlank("t.commit_sha"),
                    unlessBlank("t.run_id"), unlessBlank("t.triggered_by"), HistoryQuery.RUN_KEYED_WITHOUT_RUN_AT,
                    HAS_EXAMPLES);

    /**
     * One result's examples as the result format's {@code "examples"} items, one row each, in the stored order (by
     * interned item id): {@code {"id", "score", "slice"}}, the slice the item's labels in its dataset version (left out
     * when it has none). A score is a {@code float8}, which {@code jsonb} writes at its shortest exact text.
     */
    private static final String EXAMPLES = """
            SELECT jsonb_strip_nulls(jsonb_build_object('id', i.item_key, 'score', u.score, 'slice', i.slice))::text
            FROM example_outcomes o
            CROSS JOIN LATERAL unnest(o.item_ids, o.scores) WITH ORDINALITY AS u(item_id, score, k)
            JOIN example_items i ON i.id = u.item_id
            WHERE o.transaction_id = :id
            ORDER BY u.k""";

    /** {@code column}, or SQL null where it is empty or only white space ({@code [[:space:]]}: the ASCII white space that the validator's blank check refuses). */
    private static String unlessBlank(String column) {
        return "CASE WHEN " + column + " ~ '^[[:space:]]*$' THEN NULL ELSE " + column + " END";
    }

    private final Jdbi jdbi;

    public JsonLinesQuery(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Writes the log's results for the filter (the latest attempt of each run), oldest first (those of one run_at in
     * the order they were stored: {@link #historySelect}), the newest of them up to the filter's
     * limit (default 1000; every one for {@link Filter#ALL_ROWS}), to {@code out}: one object a line, each line ending in {@code \n}, as the driver fetches
     * them by cursor ({@link #write}). Returns the number of lines. The caller checks the filter's names.
     *
     * @throws UncheckedIOException when writing to {@code out} fails
     */
    public long history(Filter filter, Writer out) {
        FilterSql where = FilterSql.ofCurrentLog(filter, "t", Instant.now());
        int limit = filter.limit() == null ? HistoryQuery.DEFAULT_LIMIT : filter.limit();
        return write(h -> {
            where.boundToNewest(h, limit);
            definitionsLine(h, where, limit, out);
            return where.bind(h.createQuery(where.with() + historySelect(PARTS, where, limit))).bind("limit", limit);
        }, out);
    }

    /**
     * The first line of a history: {@code {"metric_definitions": {...}}}, the definitions of the metrics its results
     * hold (direction, unit, min_effect, description, as a file's {@code metric_definitions} states them), so that a
     * copy imported from it judges them as the original does; nothing when none of them is defined. The metric names
     * are those of the rows the history selects (one more read of their metrics, bounded by the limit).
     */
    private static void definitionsLine(Handle h, FilterSql where, int limit, Writer out) {
        java.util.List<String> names = where.bind(h.createQuery(where.with() + "SELECT DISTINCT k.name FROM (SELECT t.metrics"
                        + HistoryQuery.rowsOfNewest(where, limit) + ") r CROSS JOIN LATERAL jsonb_object_keys(r.metrics) AS k(name)"))
                .bind("limit", limit).mapTo(String.class).list();
        java.util.Map<String, dev.benchmon.MetricDefinition> defined = new java.util.TreeMap<>(
                dev.benchmon.detect.DetectionService.definitionsIn(h, names));
        if (defined.isEmpty()) {
            return;
        }
        var line = dev.benchmon.ingest.ResultJson.mapper().createObjectNode();
        line.set("metric_definitions", dev.benchmon.ingest.ResultJson.definitionsNode(defined));
        try {
            out.write(line.toString() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The history's results as {@link #history} selects them (the newest {@code :limit}, oldest first:
     * {@link HistoryQuery#oldestFirstOfNewest}), with these columns. Runs of one {@code run_at} come in the order they
     * were stored (by id): a line carries no id, and an import stores a file's results in its order, so a copy stores
     * them in the original's order too (its ids follow the original's), its history and its export list them as the
     * original's do, and its snapshot is the same run's.
     */
    private static String historySelect(String columns, FilterSql where, int limit) {
        return "SELECT " + columns + HistoryQuery.oldestFirstOfNewest(where, limit);
    }

    /**
     * Writes the snapshot of every series matching the filter (its newest run that counts) to {@code out}, as
     * {@link #history} writes; a series whose every run is excluded has none ({@link SnapshotQuery#where}, as
     * {@link SnapshotQuery#latest} answers).
     */
    public long latest(Filter filter, Writer out) {
        FilterSql where = SnapshotQuery.where(filter, Instant.now()); // a filter on tags reads them from t, as named here
        return write(h -> where.bind(h.createQuery("SELECT " + PARTS
                + " FROM benchmark_snapshots s JOIN benchmark_transactions t ON t.id = s.transaction_id" + where.where()
                + " ORDER BY s.model_version, s.dataset_version, s.prompt_version, s.environment")), out);
    }

    /**
     * The query's lines to {@code out} as they arrive: in a transaction with a fetch size, since PgJDBC reads by
     * cursor only with autocommit off (else it holds the whole result), so memory does not grow with the row count.
     */
    private long write(Function<Handle, Query> query, Writer out) {
        InstantText times = new InstantText();
        StringBuilder line = new StringBuilder(512);
        try {
            // One snapshot for the statements before the rows (a history's bound and definitions) and the rows.
            return OneSnapshot.read(jdbi, h -> {
                return query.apply(h).setFetchSize(ResultStream.FETCH_SIZE).scanResultSet((supplier, ctx) -> {
                    long count = 0;
                    try (ResultSet rs = supplier.get()) {
                        while (rs.next()) {
                            line.setLength(0);
                            line(rs, times, line);
                            if (rs.getBoolean("has_examples")) {
                                out.write(line.append(", \"examples\": [").toString());
                                examples(h, rs.getLong("id"), out);
                                line.setLength(0);
                                line.append(']');
                            }
                            out.write(line.append("}\n").toString());
                            count++;
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return count;
                });
            });
        } catch (org.jdbi.v3.core.JdbiException e) {
            // as the CSV export's read (ResultStream): a lost connection is the database's failure, not a bug
            throw new dev.benchmon.DatabaseException("reading results as JSON Lines failed: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the items of result {@code id} to {@code out}, comma-separated, as the database fetches them by cursor on
     * the export's own transaction (the results' cursor stays open beside it): one result's items at most
     * {@link ResultStream#FETCH_SIZE} at a time, however many it has.
     */
    private static void examples(Handle h, long id, Writer out) {
        // Closed here: scanResultSet leaves the statement open until the handle closes, one per result of the export.
        try (Query q = h.createQuery(EXAMPLES)) {
            q.bind("id", id).setFetchSize(ResultStream.FETCH_SIZE).scanResultSet((supplier, ctx) -> {
                try (ResultSet rs = supplier.get()) {
                    boolean first = true;
                    while (rs.next()) {
                        if (!first) {
                            out.write(", ");
                        }
                        out.write(rs.getString(1));
                        first = false;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            });
        }
    }

    /**
     * The row's object without its closing brace: the fields before {@code run_at}, {@code run_at}, the fields after
     * it ({@link #PARTS}).
     */
    private static void line(ResultSet rs, InstantText times, StringBuilder line) throws SQLException {
        String before = rs.getString("before_run_at");
        String after = rs.getString("after_run_at");
        line.append(before, 0, before.length() - 1); // without its '}'
        if (before.length() > 2) { // not {}
            line.append(", ");
        }
        line.append("\"run_at\": \"");
        times.appendTo(line, rs.getObject("run_at", OffsetDateTime.class).toInstant());
        line.append('"');
        if (after.length() > 2) {
            line.append(", ").append(after, 1, after.length() - 1); // without its braces
        }
    }
}
