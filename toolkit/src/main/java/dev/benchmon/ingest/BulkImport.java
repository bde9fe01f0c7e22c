package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.RecordOutcome;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A bulk load in constant memory: results are {@link #add added} one at a time and written in chunks of
 * {@value ResultWriter#CHUNK_SIZE}, each chunk COPYed and moved in its own transaction
 * ({@link ResultWriter#writeChunk}). Holds at most one chunk, plus one result per series touched (what
 * detection needs afterwards). Not thread-safe: one producer.
 */
public final class BulkImport {
    private final ResultWriter writer;
    /** Runs on the first chunk's transaction (the load's metric definitions); {@code null} once it has. */
    private Consumer<Handle> first;
    private final LongConsumer progress;
    private final Consumer<List<RecordOutcome>> outcomes;
    private final List<BenchmarkResult> chunk = new ArrayList<>(ResultWriter.CHUNK_SIZE);
    private final Map<String, BenchmarkResult> newestPerSeries = new LinkedHashMap<>();
    private long written;
    private long created;

    /**
     * @param first    run on the first chunk's transaction, before its write (or alone, when nothing is added)
     * @param progress called after each chunk with the number of results written so far
     * @param outcomes called after each chunk with its outcomes (indexes count from the first result added)
     */
    public BulkImport(ResultWriter writer, Consumer<Handle> first, LongConsumer progress,
                      Consumer<List<RecordOutcome>> outcomes) {
        this.writer = writer;
        this.first = first;
        this.progress = progress;
        this.outcomes = outcomes;
    }

    /** Adds one validated result; writes a chunk when one is full. */
    public void add(BenchmarkResult result) {
        chunk.add(result);
        newestPerSeries.putIfAbsent(result.series(), result);
        if (chunk.size() == ResultWriter.CHUNK_SIZE) {
            flush();
        }
    }

    /** Writes what is left; returns the totals. */
    public Totals finish() {
        flush();
        if (first != null) { // no results: nothing to commit it with
            Consumer<Handle> alone = first;
            first = null;
            writer.writeAll(List.of(), (h, none) -> {
                alone.accept(h);
                return none;
            });
        }
        return new Totals(written, created);
    }

    /** One result of each series the load touched (for detection after the load). */
    public Collection<BenchmarkResult> seriesTouched() {
        return newestPerSeries.values();
    }

    private void flush() {
        if (chunk.isEmpty()) {
            return;
        }
        if (written > Integer.MAX_VALUE - chunk.size()) {
            throw new IllegalStateException("one import may hold at most " + Integer.MAX_VALUE + " results; split the file");
        }
        OneResultPerRun.require(chunk, (int) written); // one chunk is one transaction, which numbers attempts
        List<RecordOutcome> out = writer.writeChunk(List.copyOf(chunk), (int) written, first == null ? h -> { } : first);
        first = null;
        written += chunk.size();
        created += out.stream().filter(RecordOutcome::created).count();
        chunk.clear();
        outcomes.accept(out);
        progress.accept(written);
    }

    /**
     * What a load did.
     *
     * @param results results written (stored or found already present)
     * @param created results stored by this load
     */
    public record Totals(long results, long created) {
        /** Results that were already stored (same idempotency key). */
        public long alreadyPresent() {
            return results - created;
        }
    }
}
