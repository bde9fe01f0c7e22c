package dev.benchmon.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.ExampleOutcome;
import dev.benchmon.RecordOutcome;
import org.jdbi.v3.core.Handle;

import java.util.List;

/**
 * Stores the per-example outcomes of newly recorded results through {@code record_example_outcomes},
 * on the caller's handle, so that a result and its examples commit (or roll back) together. A result
 * that was already present keeps the outcomes it has: re-sending changes nothing.
 */
final class ExampleWriter {
    private static final String SQL = "SELECT record_example_outcomes(:id, CAST(:keys AS text[]), "
            + "CAST(:scores AS float8[]), CAST(:slices AS jsonb[]))";

    private ExampleWriter() {
    }

    /** Writes the examples of every result in {@code chunk} that {@code outcomes} reports as created. */
    static void write(Handle h, List<BenchmarkResult> chunk, int offset, List<RecordOutcome> outcomes) {
        for (RecordOutcome o : outcomes) {
            BenchmarkResult r = chunk.get(o.index() - offset);
            if (o.created() && !r.examples().isEmpty()) {
                write(h, o.transactionId(), r.examples());
            }
        }
    }

    private static void write(Handle h, long transactionId, List<ExampleOutcome> examples) {
        String[] keys = new String[examples.size()];
        Double[] scores = new Double[examples.size()];
        String[] slices = new String[examples.size()];
        boolean anySlice = false;
        for (int i = 0; i < keys.length; i++) {
            ExampleOutcome e = examples.get(i);
            keys[i] = e.id();
            scores[i] = e.score();
            if (!e.slice().isEmpty()) {
                ObjectNode labels = ResultJson.mapper().createObjectNode();
                e.slice().forEach(labels::put);
                slices[i] = labels.toString();
                anySlice = true;
            }
        }
        h.createQuery(SQL).bind("id", transactionId).bind("keys", keys).bind("scores", scores)
                .bind("slices", anySlice ? slices : null)
                .mapTo(Integer.class).one();
    }
}
