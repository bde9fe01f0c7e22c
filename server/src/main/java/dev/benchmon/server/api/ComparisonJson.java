package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.compare.RunComparison;
import dev.benchmon.compare.RunInfo;
import dev.benchmon.ingest.ResultJson;

/**
 * A paired comparison as JSON: {@code {"a": {result}, "b": {result}, "warnings": [what A and B differ in besides the
 * model], "notes": [rows judged on the model versions' runs, rows without an interval and why], "confidence", "seed", "resamples", "columns",
 * "row_count", "rows"} } (the summary table, one row per metric) with {@code "slices"} and {@code "flips"}, each
 * {@code {"columns", "row_count", "rows"}}. Used by {@code GET /api/v1/compare?paired=true} and {@code benchmon compare --json}.
 */
public final class ComparisonJson {
    private ComparisonJson() {
    }

    public static ObjectNode of(RunComparison c, CompareOptions options) {
        ObjectNode root = ResultJson.mapper().createObjectNode();
        root.set("a", run(c.a()));
        root.set("b", run(c.b()));
        c.warnings().forEach(root.putArray("warnings")::add);
        c.notes().forEach(root.putArray("notes")::add);
        root.put("confidence", options.confidence()).put("seed", options.seed()).put("resamples", options.resamples())
                .put("min_slice_size", options.minSliceSize());
        root.setAll(TableResponses.json(c.summary()));
        root.set("slices", TableResponses.json(c.slices()));
        root.set("flips", TableResponses.json(c.flips()));
        return root;
    }

    private static ObjectNode run(RunInfo r) {
        return ResultJson.mapper().createObjectNode().put("transaction_id", r.id()).put("model_version", r.modelVersion())
                .put("dataset_version", r.datasetVersion()).put("prompt_version", r.promptVersion())
                .put("environment", r.environment());
    }
}
