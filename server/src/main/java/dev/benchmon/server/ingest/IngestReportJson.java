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
 * {"created": 1, "already_present": 0, "regressions": 1, "standing_regressions": 1,
 *  "results": [{"index": 0, "id": 42, "status": "created", "series": "m / d @ci", "verdict": "regression",
 *               "late": false, "attempt": 1,
 *               "regressed_metrics": [{"metric": "f1", "outcome": "regression", "baseline": 0.9, "current": 0.8,
 *                                      "relative_change": -0.111, "z": -9.5, "severity": "critical",
 *                                      "text": "-10.0 points (9.5 sd), since commit abc1234..def5678"}],
 *               "changes": [{"metric": "eval_foo", "outcome": "changed_direction_unknown", ...}],
 *               "judged": [{"metric": "f1", "outcome": "regression", ...}, {"metric": "latency_ms", "outcome": "ok",
 *                           "baseline": 120.0, "current": 121.5, "text": "within noise: +1.50 (+1.3%) (0.4 sd)", ...}]}]}
 * }</pre>
 * {@code judged} holds every metric of a result that stands for its series, ok ones too ({@link ResultReport#judged}).
 * {@code regressions} counts every result whose verdict is {@code regression}; {@code standing_regressions} only those
 * stored now that stand for their series (neither {@code late} nor {@code earlier_in_push}:
 * {@link IngestReport#standingRegressions}), the only regressions that open or follow an alert.
 */
public final class IngestReportJson {
    private IngestReportJson() {
    }

    public static ObjectNode toJson(IngestReport report) {
        ObjectNode root = ResultJson.mapper().createObjectNode();
        root.put("created", report.created());
        root.put("already_present", report.alreadyPresent());
        root.put("regressions", report.regressions());
        root.put("standing_regressions", report.standingRegressions());
        ArrayNode results = root.putArray("results");
        for (ResultReport r : report.results()) {
            ObjectNode o = results.addObject();
            o.put("index", r.index());
            o.put("id", r.id());
            o.put("status", r.created() ? "created" : "already_present");
            o.put("series", r.series());
            o.put("verdict", r.verdict());
            o.put("late", r.late());
            o.put("earlier_in_push", r.earlierInPush());
            o.put("attempt", r.attempt());
            write(o.putArray("regressed_metrics"), r.regressions());
            write(o.putArray("changes"), r.changes());
            write(o.putArray("judged"), r.judged());
        }
        return root;
    }

    private static void write(ArrayNode metrics, List<MetricChange> changes) {
        for (MetricChange m : changes) {
            ObjectNode mo = metrics.addObject();
            mo.put("metric", m.metric());
            mo.put("outcome", m.outcome());
            number(mo, "baseline", m.baseline());
            number(mo, "current", m.current());
            number(mo, "relative_change", m.relativeChange());
            number(mo, "z", m.z());
            mo.put("severity", m.severity());
            mo.put("text", m.text());
            mo.put("change", m.change());
            mo.put("unit", m.unit());
        }
    }

    private static void number(ObjectNode o, String field, Double v) {
        if (v == null || !Double.isFinite(v)) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    private static List<MetricChange> read(JsonNode array) {
        List<MetricChange> metrics = new ArrayList<>();
        for (JsonNode m : array) {
            JsonNode rel = m.get("relative_change");
            JsonNode z = m.get("z");
            metrics.add(new MetricChange(m.path("metric").asText(), m.path("baseline").asDouble(Double.NaN),
                    m.path("current").asDouble(Double.NaN), rel == null || rel.isNull() ? null : rel.asDouble(),
                    m.path("severity").asText(), m.path("outcome").asText("regression"),
                    z == null || z.isNull() ? null : z.asDouble(), m.path("text").asText(""),
                    m.path("change").isTextual() ? m.path("change").asText() : null,
                    m.path("unit").isTextual() ? m.path("unit").asText() : null));
        }
        return metrics;
    }

    /** Reads a report written by {@link #toJson(IngestReport)}: without definitions, which the answer does not carry. */
    public static IngestReport fromJson(JsonNode root) {
        List<ResultReport> reports = new ArrayList<>();
        for (JsonNode o : root.path("results")) {
            reports.add(new ResultReport(o.path("index").asInt(), o.path("id").asLong(),
                    "created".equals(o.path("status").asText()), o.path("series").asText(),
                    o.path("verdict").asText(), read(o.path("regressed_metrics")), read(o.path("changes")),
                    o.path("late").asBoolean(false), o.path("earlier_in_push").asBoolean(false), o.path("attempt").asInt(1),
                    read(o.path("judged")))); // absent from an older server's answer: none
        }
        return new IngestReport(reports);
    }
}
