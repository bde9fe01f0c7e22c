package dev.benchmon.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.benchmon.BenchmarkResult;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * COPYs a chunk of validated results into the session's staging table
 * ({@code pg_temp.benchmark_ingest_staging}, created by the SECURITY DEFINER function
 * {@code benchmon_open_staging()}; see {@code R__ingest_functions.sql}) in PostgreSQL's text COPY
 * format, one line per result, {@code ord} 1..n; or writes it as the JSON array {@code upsert_benchmark_results}
 * stages ({@code R__benchmark_functions_and_views.sql}). Both take a result's columns and values from {@link #FIELDS},
 * so both paths store the same rows.
 */
final class StagingCopy {
    static final String OPEN = "SELECT benchmon_open_staging()";

    /**
     * A staged column after {@code ord} and its value of a result: text ({@code null} is absent) or a JSON object
     * (empty is absent); {@code key} is the column's key in {@code upsert_benchmark_results}'s JSON.
     */
    private record Field(String column, String key, Function<BenchmarkResult, String> text,
                         Function<BenchmarkResult, Map<String, ?>> object) {
        static Field text(String column, Function<BenchmarkResult, String> value) {
            return new Field(column, column, value, null);
        }

        static Field object(String column, String key, Function<BenchmarkResult, Map<String, ?>> value) {
            return new Field(column, key, null, value);
        }
    }

    /**
     * The staging table's columns after {@code ord}, in the COPY's order, with the keys {@code upsert_benchmark_results}
     * reads them by (each the column's name, but {@code n} for {@code sample_sizes}). An array, so that a result's
     * fields are walked without an iterator (10,000 results a chunk).
     */
    private static final Field[] FIELDS = {
            Field.text("idempotency_key", IdempotencyKeys::keyFor),
            Field.text("model_version", BenchmarkResult::modelVersion),
            Field.text("dataset_version", BenchmarkResult::datasetVersion),
            Field.text("prompt_version", BenchmarkResult::promptVersion),
            Field.text("model_provider", BenchmarkResult::modelProvider),
            Field.text("environment", BenchmarkResult::environment),
            Field.object("metrics", "metrics", BenchmarkResult::metrics),
            Field.object("stderr", "stderr", BenchmarkResult::stderr),
            Field.object("sample_sizes", "n", BenchmarkResult::sampleSizes),
            Field.text("run_at", r -> r.runAt() == null ? null : r.runAt().toString()),
            Field.text("commit_sha", BenchmarkResult::commitSha),
            Field.text("branch", BenchmarkResult::branch),
            Field.text("run_id", BenchmarkResult::runId),
            Field.text("triggered_by", BenchmarkResult::triggeredBy),
            Field.object("tags", "tags", BenchmarkResult::tags),
            Field.text("notes", BenchmarkResult::notes),
            Field.object("metadata", "metadata", BenchmarkResult::metadata),
            // false only for a run keyed without the run_at the result holds (an export's copy); absent otherwise
            Field.text("run_at_sent", r -> r.runAtSent() ? null : "false"),
    };

    /** The statement that stages a big chunk (named by a failure's message). */
    static final String COPY = "COPY pg_temp.benchmark_ingest_staging (ord, "
            + Arrays.stream(FIELDS).map(Field::column).collect(Collectors.joining(", ")) + ") FROM STDIN";

    /**
     * The sessions (physical connections) that hold the staging table {@code benchmon_open_staging} made, as of a
     * commit: a pooled connection opens it once, not once per write (a round trip less per group of single POSTs).
     * A session that dropped it since ({@code DISCARD TEMP}) meets an undefined table at the COPY ({@link Dropped}: the
     * writer runs its transaction again, which opens it). The check that the table is the one the function made is not
     * skipped: {@code ingest_staged_results} makes it before touching the table.
     */
    private static final Map<PGConnection, Boolean> OPENED = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private StagingCopy() {
    }

    /** The staging table was gone from a session that had it: the transaction is to be run again. */
    static final class Dropped extends org.jdbi.v3.core.JdbiException {
        Dropped(Throwable cause) {
            super("the session's staging table was dropped; writing again", cause);
        }
    }

    /** Stages {@code chunk} on the handle's connection (inside the caller's transaction). */
    static void stage(Handle h, List<BenchmarkResult> chunk) {
        PGConnection pg;
        try {
            pg = h.getConnection().unwrap(PGConnection.class);
        } catch (SQLException e) {
            throw new org.jdbi.v3.core.ConnectionException(e);
        }
        boolean opened = OPENED.containsKey(pg);
        if (!opened) {
            h.createQuery(OPEN).mapToMap().list();
            h.afterCommit(() -> OPENED.put(pg, Boolean.TRUE)); // a rollback drops a table it created
        }
        StringBuilder text = new StringBuilder(chunk.size() * 400);
        for (int i = 0; i < chunk.size(); i++) {
            line(text, i + 1, chunk.get(i));
        }
        try {
            pg.getCopyAPI().copyIn(COPY, new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (SQLException e) {
            if (opened && "42P01".equals(e.getSQLState())) { // undefined_table
                OPENED.remove(pg);
                throw new Dropped(e);
            }
            // Only a lost connection is a connection failure (TransientFailures reads a ConnectionException as "the
            // database is unreachable"); anything else the server refused is this statement's failure.
            if (e.getSQLState() == null || e.getSQLState().startsWith("08")) {
                throw new org.jdbi.v3.core.ConnectionException(e);
            }
            throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(COPY + ": " + e.getMessage(), e, null);
        } catch (IOException e) {
            throw new org.jdbi.v3.core.ConnectionException(e);
        }
    }

    /**
     * {@code chunk} as the JSON array {@code upsert_benchmark_results} stages (the function's keys; the values, and the
     * absent ones, as {@link #line} writes them): a small chunk is staged and moved in that one statement, without the
     * COPY's round trips.
     */
    static String json(List<BenchmarkResult> chunk) {
        com.fasterxml.jackson.databind.node.ArrayNode array = ResultJson.mapper().createArrayNode();
        for (BenchmarkResult r : chunk) {
            com.fasterxml.jackson.databind.node.ObjectNode o = array.addObject();
            for (Field f : FIELDS) {
                if (f.text() != null) {
                    o.put(f.key(), f.text().apply(r)); // null as JSON null, which ->> reads as SQL NULL
                } else {
                    object(o, f.key(), f.object().apply(r));
                }
            }
        }
        try {
            return ResultJson.mapper().writeValueAsString(array); // the mapper's settings, as the COPY's values
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a validated result does not serialise: " + e.getMessage(), e);
        }
    }

    // An empty map is absent, as in the COPY (a JSON null reads as SQL NULL through ->> and as JSON null through ->).
    private static void object(com.fasterxml.jackson.databind.node.ObjectNode o, String key, Map<String, ?> values) {
        if (!values.isEmpty()) {
            o.set(key, ResultJson.mapper().valueToTree(values));
        }
    }

    static void line(StringBuilder sb, int ord, BenchmarkResult r) {
        sb.append(ord);
        for (Field f : FIELDS) {
            if (f.text() != null) {
                field(sb, f.text().apply(r));
            } else {
                json(sb, f.object().apply(r));
            }
        }
        sb.append('\n');
    }

    // As ResultJson.toNode writes them (doubles as Double.toString, so jsonb reads the same numbers);
    // an empty map is absent (NULL; the move stores '{}' for tags and metadata, as before).
    private static void json(StringBuilder sb, Map<String, ?> values) {
        try {
            field(sb, values.isEmpty() ? null : ResultJson.mapper().writeValueAsString(values));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a validated result does not serialise: " + e.getMessage(), e);
        }
    }

    // Text COPY format: tab between columns, \N for NULL, backslash escapes for the separators.
    private static void field(StringBuilder sb, String value) {
        sb.append('\t');
        if (value == null) {
            sb.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
    }
}
