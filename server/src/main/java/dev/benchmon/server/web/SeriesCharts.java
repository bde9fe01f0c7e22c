package dev.benchmon.server.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.alert.Alert;
import dev.benchmon.alert.RunAnnotation;
import dev.benchmon.alert.RunRecords;
import dev.benchmon.ingest.ResultJson;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The series page's charts: one Plotly chart per metric, built as JSON here (names are JSON-encoded,
 * never HTML-escaped into scripts) with markers and hover text for what happened to the series:
 * runs (line), excluded runs (grey, with the reason), notes and annotations (stars), alerts (red crosses).
 */
final class SeriesCharts {
    private SeriesCharts() {
    }

    /** The HTML of one chart: a div and the script that draws it. */
    static String chart(String divId, String metric, List<RunRecords.Run> runsNewestFirst, List<Alert> alerts,
                        List<RunAnnotation> annotations) {
        List<RunRecords.Run> runs = new ArrayList<>(runsNewestFirst);
        runs.sort(Comparator.comparing(RunRecords.Run::runAt).thenComparing(RunRecords.Run::id));
        Map<Long, RunRecords.Run> byId = new HashMap<>();
        runs.forEach(r -> byId.put(r.id(), r));
        Map<Long, List<String>> notes = new HashMap<>();
        for (RunRecords.Run r : runs) {
            if (r.notes() != null && !r.notes().isBlank()) {
                notes.computeIfAbsent(r.id(), k -> new ArrayList<>()).add("note: " + r.notes());
            }
        }
        for (RunAnnotation a : annotations) {
            notes.computeIfAbsent(a.transactionId(), k -> new ArrayList<>()).add(a.kind() + " by " + a.actor() + ": " + a.text());
        }
        ArrayNode data = ResultJson.mapper().createArrayNode();
        ObjectNode line = trace(data, metric, "lines+markers", "#2457d6", "circle", 6);
        ObjectNode excluded = trace(data, "excluded runs", "markers", "#9aa0a6", "circle-open", 9);
        ObjectNode marked = trace(data, "notes and annotations", "markers", "#b26a00", "star", 12);
        ObjectNode raised = trace(data, "alerts", "markers", "#d93025", "x", 12);
        for (RunRecords.Run r : runs) {
            Double v = r.metrics().get(metric);
            if (v == null) {
                continue;
            }
            String hover = Formats.minutes(r.runAt()) + "<br>run " + r.id() + (r.commitSha() == null ? "" : " · "
                    + Formats.shortSha(r.commitSha())) + "<br>" + metric + " = " + Formats.number(v);
            if (r.excluded()) {
                add(excluded, r, v, hover + "<br>EXCLUDED: " + r.excludedReason());
            } else {
                add(line, r, v, hover);
            }
            List<String> n = notes.get(r.id());
            if (n != null) {
                add(marked, r, v, hover + "<br>" + String.join("<br>", n));
            }
        }
        for (Alert a : alerts) {
            RunRecords.Run r = byId.get(a.transactionId());
            Double v = r == null ? null : r.metrics().get(metric);
            if (v != null && a.metric().equals(metric)) {
                add(raised, r, v, "alert " + a.id() + " (" + a.state().sqlName() + ")<br>" + a.verdict());
            }
        }
        ObjectNode layout = ResultJson.mapper().createObjectNode();
        layout.put("height", 300).put("hovermode", "closest").put("showlegend", true);
        layout.putObject("title").put("text", metric);
        layout.putObject("margin").put("l", 50).put("r", 20).put("t", 40).put("b", 40);
        layout.putObject("legend").put("orientation", "h");
        String json = "[" + data + "," + layout + "]";
        // JSON inside a script element: no "</script>" can close it early.
        json = json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        return "<div id=\"" + divId + "\" class=\"series-chart\"></div>\n<script>(function(){var f=" + json
                + ";Plotly.newPlot('" + divId + "',f[0],f[1],{displaylogo:false,responsive:true});})();</script>";
    }

    private static ObjectNode trace(ArrayNode data, String name, String mode, String color, String symbol, int size) {
        ObjectNode t = data.addObject();
        t.put("type", "scatter").put("mode", mode).put("name", name).put("hoverinfo", "text");
        t.putArray("x");
        t.putArray("y");
        t.putArray("text");
        t.putObject("marker").put("color", color).put("symbol", symbol).put("size", size);
        t.putObject("line").put("color", color);
        return t;
    }

    private static void add(ObjectNode trace, RunRecords.Run r, double v, String hover) {
        ((ArrayNode) trace.get("x")).add(r.runAt().toString());
        ((ArrayNode) trace.get("y")).add(v);
        ((ArrayNode) trace.get("text")).add(escape(hover));
    }

    /** Plotly renders hover text as HTML-like markup: escape user text, keep our own line breaks. */
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("&lt;br&gt;", "<br>");
    }
}
