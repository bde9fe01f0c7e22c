package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.DatabaseException;
import dev.benchmon.RecordOutcome;
import dev.benchmon.ValidationException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Writes validated results in chunks of up to {@value #CHUNK_SIZE}: each chunk is COPYed into the
 * session's staging table ({@link StagingCopy}; a chunk of up to {@value #JSON_CHUNK} is staged from JSON by
 * {@code upsert_benchmark_results} instead, in the statement that moves it) and moved into the log, series, snapshots and rollups
 * by {@code ingest_staged_results()} in set-based statements (SECURITY DEFINER, so the app role keeps
 * V8's least privilege). Re-sending a result with the same idempotency key changes nothing; re-sending it under its
 * own key with other values is refused ({@link ResentResults}); attempts (V4) are numbered exactly as
 * {@code upsert_benchmark_results} numbers them (the same SQL body).
 */
public final class ResultWriter {
    /**
     * Results per COPY and move: the API's largest request in one, and for imports big enough that the
     * per-chunk work (one snapshot rewrite per touched series, the rollup merge) is paid rarely, small
     * enough to keep memory flat (a few MB of COPY text).
     */
    public static final int CHUNK_SIZE = 10_000;
    private static final int MAX_ATTEMPTS = 5;
    /**
     * Most results staged as one JSON parameter of {@code upsert_benchmark_results} (one round trip for staging and move)
     * rather than COPYed (the COPY's two round trips, then the move's): a group of single POSTs; bigger chunks are COPYed,
     * which is faster per row.
     */
    static final int JSON_CHUNK = 64;
    private static final String SQL = "SELECT ordinal, transaction_id, created FROM ingest_staged_results()";
    private static final String SQL_JSON =
            "SELECT ordinal, transaction_id, created FROM upsert_benchmark_results(CAST(:results AS jsonb))";

    private final Jdbi jdbi;

    public ResultWriter(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Writes all results in one transaction: all are stored (or found present), or none. */
    public List<RecordOutcome> writeAll(List<BenchmarkResult> results) {
        return writeAll(results, (h, outcomes) -> outcomes);
    }

    /**
     * Writes all results and then runs {@code then} on the same transaction (the detection that judges
     * what was written), so a push pays one durable commit instead of two; all are stored and judged, or
     * nothing is. A transient failure (deadlock, serialisation) runs both again.
     *
     * @param then given the transaction and the outcomes (by result index); its answer is returned
     */
    public <T> T writeAll(List<BenchmarkResult> results, BiFunction<Handle, List<RecordOutcome>, T> then) {
        if (results.isEmpty()) {
            return jdbi.inTransaction(h -> then.apply(h, List.of()));
        }
        Running running = new Running();
        return withRetry(() -> jdbi.inTransaction(h -> { // READ COMMITTED, the default: the function is written for it
            List<RecordOutcome> out = new ArrayList<>(results.size());
            for (int from = 0; from < results.size(); from += CHUNK_SIZE) {
                out.addAll(writeChunk(h, results.subList(from, Math.min(results.size(), from + CHUNK_SIZE)), from, running));
            }
            running.step = "while judging them at ingest";
            T answer = then.apply(h, out);
            running.step = Running.COMMIT;
            return answer;
        }), results.size(), running);
    }

    /**
     * Writes one chunk of a bulk load in its own transaction: a failure part-way through a load leaves
     * earlier chunks stored, and running the same import again is safe when the results carry
     * idempotency keys (or run ids). Outcome indexes start at {@code offset}.
     *
     * @param first run on the chunk's transaction before the write (the load's metric definitions, with its
     *              first chunk), so that it commits with the chunk or not at all
     */
    public List<RecordOutcome> writeChunk(List<BenchmarkResult> chunk, int offset, Consumer<Handle> first) {
        Running running = new Running();
        return withRetry(() -> jdbi.inTransaction(h -> {
            first.accept(h);
            List<RecordOutcome> outcomes = writeChunk(h, chunk, offset, running);
            running.step = Running.COMMIT;
            return outcomes;
        }), chunk.size(), running);
    }

    private static List<RecordOutcome> writeChunk(Handle h, List<BenchmarkResult> chunk, int offset, Running running) {
        boolean small = chunk.size() <= JSON_CHUNK;
        if (!small) {
            running.step = "with " + StagingCopy.COPY;
            StagingCopy.stage(h, chunk);
        }
        running.step = "with " + (small ? SQL_JSON : SQL);
        List<RecordOutcome> outcomes;
        try {
            outcomes = (small ? h.createQuery(SQL_JSON).bind("results", StagingCopy.json(chunk)) : h.createQuery(SQL))
                    .map((rs, ctx) -> new RecordOutcome(offset + rs.getInt("ordinal") - 1,
                            rs.getLong("transaction_id"), rs.getBoolean("created")))
                    .list();
        } catch (JdbiException e) {
            Optional<ValidationException> refused = ResentResults.refusal(e, offset);
            if (refused.isPresent()) {
                throw refused.get();
            }
            throw e;
        }
        ExampleWriter.write(h, chunk, offset, outcomes); // same transaction as the results
        return outcomes;
    }

    private interface Work<T> {
        T run();
    }

    /**
     * What a write was doing, named by the message of a failure: before its first statement (the connection, the
     * load's metric definitions), a chunk's COPY ({@link StagingCopy#COPY}) and move ({@link #SQL}) or, for a small
     * chunk, {@link #SQL_JSON}, the judgement at ingest, the commit. Set again by each attempt.
     */
    private static final class Running {
        private static final String BEFORE = "before the first write";
        private static final String COMMIT = "at the commit";
        private String step = BEFORE;
    }

    // Concurrent batches touching the same series can deadlock or fail serialisation, and a session may have dropped
    // its staging table (StagingCopy.Dropped); the whole transaction rolled back and every result carries its key, so
    // running it again is safe.
    private static <T> T withRetry(Work<T> work, int size, Running running) {
        for (int attempt = 1; ; attempt++) {
            running.step = Running.BEFORE;
            try {
                return work.run();
            } catch (JdbiException e) {
                String state = DatabaseException.sqlStateOf(e);
                boolean transient_ = "40P01".equals(state) || "40001".equals(state) || e instanceof StagingCopy.Dropped;
                if (!transient_ || attempt >= MAX_ATTEMPTS) {
                    throw new DatabaseException("could not record " + size + " result(s) " + running.step
                            + ": " + rootMessage(e) + (state == null ? "" : " [SQLSTATE " + state + "]"), e);
                }
                try {
                    Thread.sleep(10L * attempt * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new DatabaseException("interrupted while recording results", ie);
                }
            }
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
