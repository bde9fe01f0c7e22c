package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.SeriesLabel;
import tech.tablesaw.api.Table;

/**
 * A series by its four names, the one rule by which push's checks tell whether two results, rows or snapshots are of
 * the same series: equal model, dataset, prompt and environment, a missing prompt or environment being {@code ""}
 * (a result says "no prompt" as {@code ""}, a history row or snapshot as {@code null}, as the database's
 * {@code series} does: the same series either way).
 */
record SeriesKey(String model, String dataset, String prompt, String environment) {
    SeriesKey {
        prompt = prompt == null ? "" : prompt;
        environment = environment == null ? "" : environment;
    }

    /** The series of a result. */
    static SeriesKey of(BenchmarkResult r) {
        return new SeriesKey(r.modelVersion(), r.datasetVersion(), r.promptVersion(), r.environment());
    }

    /** The series of a row of a server's answer (history or snapshots: {@code model_version}, ...). */
    static SeriesKey of(JsonNode row) {
        return new SeriesKey(text(row, "model_version"), text(row, "dataset_version"), text(row, "prompt_version"),
                text(row, "environment"));
    }

    /** The series of row {@code row} of the database's history table. */
    static SeriesKey of(Table history, int row) {
        java.util.function.Function<String, String> text = RepushedToolRuns.texts(history, row);
        return new SeriesKey(text.apply("model_version"), text.apply("dataset_version"), text.apply("prompt_version"),
                text.apply("environment"));
    }

    /** {@code model / dataset / prompt @environment} ({@link SeriesLabel}). */
    String label() {
        return SeriesLabel.of(model, dataset, prompt, environment);
    }

    /** A text field of a JSON row, {@code null} when absent or null. */
    static String text(JsonNode row, String field) {
        JsonNode v = row.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
