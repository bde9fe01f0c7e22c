package dev.benchmon;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of one evaluation item in a result (one element of the result format's {@code "examples"}
 * field): {@code {"id": "q-0017", "score": 1, "slice": {"topic": "cardiology"}}}.
 *
 * @param id    the item's id within its dataset version (text, 1 to 200 characters, no control characters)
 * @param score its score: 0/1 for correctness, or a per-item metric (any finite number)
 * @param slice optional labels of the item (label name to value), used to compare per slice; empty when none
 */
public record ExampleOutcome(String id, double score, Map<String, String> slice) {
    public ExampleOutcome {
        slice = slice == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(slice));
    }

    /** An item without slice labels. */
    public static ExampleOutcome of(String id, double score) {
        return new ExampleOutcome(id, score, Map.of());
    }
}
