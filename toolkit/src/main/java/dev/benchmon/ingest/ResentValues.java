package dev.benchmon.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a result sent again under the key of another states a value the other does not hold: the comparison
 * {@code ingest_staged_results} (R__ingest_functions.sql) makes with a stored result, made here between two results of
 * one delivery ({@link OneResultPerRun#require}), before anything is written. A value left out is no difference (a
 * retry may hold fewer fields); metrics, stderr, n and tags are compared by name, each name sent with the value the
 * other holds; metadata by its top-level keys, null object fields stripped at every level; numbers as numbers.
 */
final class ResentValues {
    private ResentValues() {
    }

    /** The fields of {@code again} whose values {@code first} does not hold, in the order the database names them. */
    static List<String> notHeld(BenchmarkResult first, BenchmarkResult again) {
        List<String> fields = new ArrayList<>();
        differs(fields, "model_version", !again.modelVersion().equals(first.modelVersion()));
        differs(fields, "dataset_version", !again.datasetVersion().equals(first.datasetVersion()));
        differs(fields, "prompt_version", !again.promptVersion().equals(first.promptVersion()));
        differs(fields, "environment", !again.environment().equals(first.environment()));
        differs(fields, "model_provider", stated(again.modelProvider(), first.modelProvider()));
        differs(fields, "metrics", !holds(first.metrics(), again.metrics()));
        differs(fields, "stderr", !holds(first.stderr(), again.stderr()));
        differs(fields, "n", !holds(first.sampleSizes(), again.sampleSizes()));
        differs(fields, "run_at", again.runAt() != null && !sameRunAt(first.runAt(), again.runAt()));
        differs(fields, "commit_sha", stated(again.commitSha(), first.commitSha()));
        differs(fields, "branch", stated(again.branch(), first.branch()));
        differs(fields, "run_id", stated(again.runId(), first.runId()));
        differs(fields, "triggered_by", stated(again.triggeredBy(), first.triggeredBy()));
        differs(fields, "tags", !holds(first.tags(), again.tags()));
        differs(fields, "notes", stated(again.notes(), first.notes()));
        differs(fields, "metadata", !metadataHolds(first.metadata(), again.metadata()));
        return fields;
    }

    private static void differs(List<String> fields, String field, boolean differs) {
        if (differs) {
            fields.add(field);
        }
    }

    private static boolean stated(String again, String first) {
        return again != null && !again.equals(first);
    }

    /** Every entry of {@code again} is in {@code first}, numbers compared as jsonb compares them (-0.0 is 0, 0.10 is 0.1). */
    private static boolean holds(Map<String, ?> first, Map<String, ?> again) {
        return fieldsHeld(tree(first), tree(again));
    }

    /** As stored, or cut to milliseconds (as a CSV export writes it); a first without run_at gets the time of the write. */
    private static boolean sameRunAt(Instant first, Instant again) {
        return first != null && (again.equals(first) || again.equals(first.truncatedTo(ChronoUnit.MILLIS)));
    }

    /**
     * Each top-level entry of {@code again} equals {@code first}'s, both with null object fields stripped at every level
     * as {@code jsonb_strip_nulls} strips them (null array elements stay), as the database compares metadata.
     */
    private static boolean metadataHolds(Map<String, Object> first, Map<String, Object> again) {
        return fieldsHeld(stripNulls(tree(first)), stripNulls(tree(again)));
    }

    /** Each top-level field of {@code sent} equals {@code stored}'s field of that name ({@link #compare}). */
    private static boolean fieldsHeld(JsonNode stored, JsonNode sent) {
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) sent::fields) {
            if (!e.getValue().equals(ResentValues::compare, stored.path(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode tree(Map<String, ?> values) {
        return ResultJson.mapper().valueToTree(values);
    }

    /** {@code node} without its null object fields, at every level (PostgreSQL's {@code jsonb_strip_nulls}). */
    private static JsonNode stripNulls(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ObjectNode stripped = o.objectNode();
            o.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    stripped.set(e.getKey(), stripNulls(e.getValue()));
                }
            });
            return stripped;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode stripped = a.arrayNode();
            a.forEach(v -> stripped.add(stripNulls(v)));
            return stripped;
        }
        return node;
    }

    /** JsonNode equality with numbers compared by value (1 and 1.0 are one number in jsonb, -0.0 is 0). */
    private static int compare(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    }
}
