package dev.benchmon.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.benchmon.BenchmarkResult;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * COPYs a chunk of validated results into the session's staging table
 * ({@code pg_temp.benchmark_ingest_staging}, created by the SECURITY DEFINER function
 * {@code benchmon_open_staging()}; see {@code R__ingest_functions.sql}) in PostgreSQL's text COPY
 * format, one line per result, {@code ord} 1..n. The values are those {@code upsert_benchmark_results}
 * received as JSON before, so both paths store the same rows.
 */
final class StagingCopy {
    static final String OPEN = "SELECT benchmon_open_staging()";
    private static final String COPY = "COPY pg_temp.benchmark_ingest_staging (ord, idempotency_key, model_version, "
            + "dataset_version, prompt_version, model_provider, environment, metrics, stderr, sample_sizes, run_at, "
            + "commit_sha, branch, run_id, triggered_by, tags, notes, metadata) FROM STDIN";

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
            throw new org.jdbi.v3.core.ConnectionException(e);
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
            o.put("idempotency_key", IdempotencyKeys.keyFor(r));
            o.put("model_version", r.modelVersion());
            o.put("dataset_version", r.datasetVersion());
            o.put("prompt_version", r.promptVersion());
            o.put("model_provider", r.modelProvider());
            o.put("environment", r.environment());
            object(o, "metrics", r.metrics());
            object(o, "stderr", r.stderr());
            object(o, "n", r.sampleSizes());
            o.put("run_at", r.runAt() == null ? null : r.runAt().toString());
            o.put("commit_sha", r.commitSha());
            o.put("branch", r.branch());
            o.put("run_id", r.runId());
            o.put("triggered_by", r.triggeredBy());
            object(o, "tags", r.tags());
            o.put("notes", r.notes());
            object(o, "metadata", r.metadata());
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
        field(sb, IdempotencyKeys.keyFor(r));
        field(sb, r.modelVersion());
        field(sb, r.datasetVersion());
        field(sb, r.promptVersion());
        field(sb, r.modelProvider());
        field(sb, r.environment());
        json(sb, r.metrics());
        json(sb, r.stderr());
        json(sb, r.sampleSizes());
        field(sb, r.runAt() == null ? null : r.runAt().toString());
        field(sb, r.commitSha());
        field(sb, r.branch());
        field(sb, r.runId());
        field(sb, r.triggeredBy());
        json(sb, r.tags());
        field(sb, r.notes());
        json(sb, r.metadata());
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
