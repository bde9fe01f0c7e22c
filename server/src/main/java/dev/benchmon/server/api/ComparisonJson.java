package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.compare.RunComparison;
import dev.benchmon.compare.RunInfo;
import dev.benchmon.ingest.ResultJson;

/**
 * A paired comparison as JSON: {@code {"a": {result}, "b": {result}, "warnings": [what A and B differ in besides the
 * model], "notes": [rows judged on the model versions' runs, rows without an interval and why], "confidence", "seed", "resamples", "columns",
 * "row_count", "rows"} } (the summary table, one row per metric) with {@code "slices"} and {@code "flips"}, each
 * {@code {"columns", "row_count", "rows"}}. Each side also says which runs its values are the means of, for the rows
 * judged on the runs ({@code "run_means": {"runs", "first_run_at", "last_run_at", "newest_transaction_id", "metrics"}},
 * else {@code null}: its values are the result's own), and {@code "newest_run_alerts"} lists the active alerts (of any
 * kind: regression, change point, ...) a side's newest run is under ({@code side, transaction_id, alert_id, metric, state, severity, change, text}). Used by {@code GET /api/v1/compare?paired=true} and {@code benchmon compare --json}.
 */
public final class ComparisonJson {
    private ComparisonJson() {
    }

    public static ObjectNode of(RunComparison c, CompareOptions options) {
        ObjectNode root = ResultJson.mapper().createObjectNode();
        root.set("a", run(c.a(), c.runsA()));
        root.set("b", run(c.b(), c.runsB()));
        c.warnings().forEach(root.putArray("warnings")::add);
        c.notes().forEach(root.putArray("notes")::add);
        ArrayNode alerts = root.putArray("newest_run_alerts");
        for (RunComparison.NewestRunAlert x : c.alerts()) {
            alerts.addObject().put("side", x.side()).put("transaction_id", x.result()).put("alert_id", x.alertId())
                    .put("metric", x.metric()).put("state", x.state()).put("severity", x.severity())
                    .put("change", x.change()).put("text", x.text());
        }
        root.put("confidence", options.confidence()).put("seed", options.seed()).put("resamples", options.resamples())
                .put("min_slice_size", options.minSliceSize());
        root.setAll(TableResponses.json(c.summary()));
        root.set("slices", TableResponses.json(c.slices()));
        root.set("flips", TableResponses.json(c.flips()));
        return root;
    }

    private static ObjectNode run(RunInfo r, RunComparison.RunMeans means) {
        ObjectNode o = ResultJson.mapper().createObjectNode().put("transaction_id", r.id()).put("model_version", r.modelVersion())
                .put("dataset_version", r.datasetVersion()).put("prompt_version", r.promptVersion())
                .put("environment", r.environment());
        if (means == null) {
            o.putNull("run_means");
        } else {
            ObjectNode m = o.putObject("run_means").put("runs", means.runs())
                    .put("fewest_runs", means.fewestRuns())
                    .put("first_run_at", means.firstRunAt().toString()).put("last_run_at", means.lastRunAt().toString())
                    .put("newest_transaction_id", means.newestResult());
            means.metrics().forEach(m.putArray("metrics")::add);
        }
        return o;
    }
}
