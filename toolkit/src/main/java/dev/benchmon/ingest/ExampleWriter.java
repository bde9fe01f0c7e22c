package dev.benchmon.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.ExampleOutcome;
import dev.benchmon.RecordOutcome;
import dev.benchmon.ValidationException;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores the per-example outcomes of newly recorded results through {@code record_example_outcomes},
 * on the caller's handle, so that a result and its examples commit (or roll back) together. A result
 * that was already present keeps the outcomes it has: re-sending it with the same examples (or none)
 * changes nothing, and re-sending it with other examples is refused ({@link #refuseChangedExamples}); one stored
 * without examples takes those it is re-sent with (a copy made by CSV, or by a JSON Lines export before exports
 * carried examples, is completed by importing a newer export).
 */
final class ExampleWriter {
    private static final String SQL = "SELECT record_example_outcomes(:id, CAST(:keys AS text[]), "
            + "CAST(:scores AS float8[]), CAST(:slices AS jsonb[]))";

    private ExampleWriter() {
    }

    /**
     * Writes the examples of every result in {@code chunk} that {@code outcomes} reports as created.
     *
     * @throws ValidationException when a result that was already present was sent with examples other than its
     *                             stored ones; the caller's transaction then rolls back, so nothing is stored
     */
    static void write(Handle h, List<BenchmarkResult> chunk, int offset, List<RecordOutcome> outcomes) {
        for (RecordOutcome o : outcomes) {
            BenchmarkResult r = chunk.get(o.index() - offset);
            if (o.created() && !r.examples().isEmpty()) {
                write(h, o.transactionId(), r.examples());
            }
        }
        refuseChangedExamples(h, chunk, offset, outcomes); // after the writes: a key sent twice in the chunk is checked too
    }

    /**
     * Refuses a re-sent result (its idempotency key already stored) whose examples differ from the stored ones. A
     * stored result's examples never change (the table is append-only), so answering "already present" would
     * acknowledge examples that were dropped; refused, the sender learns it and nothing of the request is stored. An
     * identical re-send (a retry) and one without examples stay answered as already present. A result stored without
     * examples is given the ones it is re-sent with (nothing stored is changed, and its metrics already matched:
     * otherwise the key would have been refused before), so that importing an export that carries examples into a
     * copy made without them completes the copy instead of failing. Items and scores are compared; slice labels
     * belong to the item, not to the result, so they are not.
     */
    private static void refuseChangedExamples(Handle h, List<BenchmarkResult> chunk, int offset,
                                              List<RecordOutcome> outcomes) {
        List<RecordOutcome> resent = outcomes.stream()
                .filter(o -> !o.created() && !chunk.get(o.index() - offset).examples().isEmpty()).toList();
        if (resent.isEmpty()) {
            return;
        }
        // One statement for the whole chunk (a bulk re-import re-sends thousands of results): the stored items and
        // scores of every re-sent result, by its log id.
        Map<Long, Map<String, Double>> storedById = new HashMap<>();
        h.createQuery("SELECT transaction_id, item_key, score FROM v_example_outcomes "
                        + "WHERE transaction_id = ANY(CAST(:ids AS bigint[]))")
                .bind("ids", resent.stream().map(RecordOutcome::transactionId).distinct().toArray(Long[]::new))
                .map((rs, ctx) -> storedById.computeIfAbsent(rs.getLong("transaction_id"), id -> new HashMap<>())
                        .put(rs.getString("item_key"), rs.getDouble("score")))
                .list();
        List<ValidationException.Problem> problems = new ArrayList<>();
        for (RecordOutcome o : resent) {
            BenchmarkResult r = chunk.get(o.index() - offset);
            Map<String, Double> stored = storedById.get(o.transactionId());
            if (stored == null) { // stored without examples: these complete it (a later copy in the chunk compares)
                write(h, o.transactionId(), r.examples());
                Map<String, Double> written = new HashMap<>();
                r.examples().forEach(e -> written.put(e.id(), e.score()));
                storedById.put(o.transactionId(), written);
                continue;
            }
            boolean same = stored.size() == r.examples().size() && r.examples().stream()
                    .allMatch(e -> stored.containsKey(e.id()) && stored.get(e.id()) == e.score());
            if (!same) {
                problems.add(new ValidationException.Problem(o.index(), "examples", "result id " + o.transactionId()
                        + " (" + r.series() + ") is already stored under this idempotency key, and its examples were "
                        + "kept as first stored (" + stored.size() + " item(s)); the "
                        + r.examples().size() + " item(s) sent differ from them. A stored result's examples never "
                        + "change: to store these, push them with a result of their own (another run_id, run_at or "
                        + "idempotency_key)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
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
