package dev.benchmon.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ingest.ResultJson;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of an {@link IngestReport}, as {@code POST /api/v1/results} answers it:
 * <pre>{@code
 * {"created": 1, "already_present": 0, "regressions": 1,
 *  "results": [{"index": 0, "id": 42, "status": "created", "series": "m / d @ci", "verdict": "regression",
 *               "regressed_metrics": [{"metric": "f1", "baseline": 0.9, "current": 0.8,
 *                                      "relative_change": -0.111, "severity": "major"}]}]}
 * }</pre>
 */
public final class IngestReportJson {
    private IngestReportJson() {
    }

    public static ObjectNode toJson(IngestReport report) {
        ObjectNode root = ResultJson.mapper().createObjectNode();
        root.put("created", report.created());
        root.put("already_present", report.alreadyPresent());
        root.put("regressions", report.regressions());
        ArrayNode results = root.putArray("results");
        for (ResultReport r : report.results()) {
            ObjectNode o = results.addObject();
            o.put("index", r.index());
            o.put("id", r.id());
            o.put("status", r.created() ? "created" : "already_present");
            o.put("series", r.series());
            o.put("verdict", r.verdict());
            ArrayNode metrics = o.putArray("regressed_metrics");
            for (MetricChange m : r.regressions()) {
                ObjectNode mo = metrics.addObject();
                mo.put("metric", m.metric());
                mo.put("baseline", m.baseline());
                mo.put("current", m.current());
                if (m.relativeChange() == null || !Double.isFinite(m.relativeChange())) {
                    mo.putNull("relative_change");
                } else {
                    mo.put("relative_change", m.relativeChange());
                }
                mo.put("severity", m.severity());
            }
        }
        return root;
    }

    /** Reads a report written by {@link #toJson(IngestReport)}. */
    public static IngestReport fromJson(JsonNode root) {
        List<ResultReport> reports = new ArrayList<>();
        for (JsonNode o : root.path("results")) {
            List<MetricChange> metrics = new ArrayList<>();
            for (JsonNode m : o.path("regressed_metrics")) {
                JsonNode rel = m.get("relative_change");
                metrics.add(new MetricChange(m.path("metric").asText(), m.path("baseline").asDouble(),
                        m.path("current").asDouble(), rel == null || rel.isNull() ? null : rel.asDouble(),
                        m.path("severity").asText()));
            }
            reports.add(new ResultReport(o.path("index").asInt(), o.path("id").asLong(),
                    "created".equals(o.path("status").asText()), o.path("series").asText(),
                    o.path("verdict").asText(), metrics));
        }
        return new IngestReport(reports);
    }
}
