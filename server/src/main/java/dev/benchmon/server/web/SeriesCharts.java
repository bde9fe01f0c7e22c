package dev.benchmon.server.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.alert.Alert;
import dev.benchmon.alert.RunAnnotation;
import dev.benchmon.alert.RunRecords;
import dev.benchmon.chart.MetricUnits;
import dev.benchmon.chart.PlotlyText;
import dev.benchmon.chart.TimeAxis;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.query.ChartMark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The series page's charts: one Plotly chart per metric, built as JSON here (names are JSON-encoded,
 * never HTML-escaped into scripts) with markers and hover text for what happened to the series:
 * runs (line), excluded runs (grey, with the reason), notes and annotations (stars), alerts (red crosses),
 * expected changes (diamonds) and the detector's change points (triangles on dotted vertical lines, with
 * magnitude, commit range and confidence).
 */
final class SeriesCharts {
    private SeriesCharts() {
    }

    /** The HTML of one chart: a div and the script that draws it; its value axis and hover text say {@code units}' unit. */
    static String chart(String divId, String metric, MetricUnits units, List<RunRecords.Run> runsNewestFirst,
                        List<Alert> alerts, List<RunAnnotation> annotations, List<ChartMark> marks) {
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
        // A long metric name is shortened in the legend and the title (it would squeeze the plot); each point's hover
        // text names it whole.
        ObjectNode line = trace(data, PlotlyText.escape(PlotlyText.legend(metric)), "lines+markers", "#2457d6", "circle", 6);
        ObjectNode excluded = trace(data, "excluded runs", "markers", "#9aa0a6", "circle-open", 9);
        ObjectNode marked = trace(data, "notes and annotations", "markers", "#b26a00", "star", 12);
        ObjectNode raised = trace(data, "alerts", "markers", "#d93025", "x", 12);
        ObjectNode expected = trace(data, ChartMark.Kind.EXPECTED.label(), "markers", "#7b61ff", "diamond", 11);
        ObjectNode changes = trace(data, ChartMark.Kind.CHANGE_POINT.label(), "markers", "#009E73", "triangle-down", 12);
        ObjectNode changeLines = trace(data, ChartMark.Kind.CHANGE_POINT.label(), "lines", "#009E73", "circle", 1);
        changeLines.put("showlegend", false).put("hoverinfo", "skip").put("legendgroup", "cp");
        changes.put("legendgroup", "cp");
        ((ObjectNode) changeLines.get("line")).put("dash", "dot").put("width", 1.5);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (RunRecords.Run r : runs) {
            Double v = r.metrics().get(metric);
            if (v != null) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        for (RunRecords.Run r : runs) {
            Double v = r.metrics().get(metric);
            if (v == null) {
                continue;
            }
            // The whole SHA: a chart has no tooltip or CSV cell where a short one could be read in full.
            String hover = Formats.minutes(r.runAt()) + "<br>run " + r.id() + (r.commitSha() == null ? "" : " · commit "
                    + r.commitSha()) + "<br>" + metric + " = " + units.withUnit(Formats.number(v), metric);
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
                add(raised, r, v, "alert " + a.id() + " (" + a.state().sqlName() + ")<br>" + a.verdictWithUnit());
            }
        }
        for (ChartMark m : marks) {
            if (!Double.isFinite(m.value())) {
                continue;
            }
            if (m.kind() == ChartMark.Kind.EXPECTED) {
                add(expected, m.at(), m.value(), m.text());
            } else if (m.kind() == ChartMark.Kind.CHANGE_POINT) {
                add(changes, m.at(), m.value(), m.text());
                // A vertical segment per change point; null breaks the line between them.
                ArrayNode x = (ArrayNode) changeLines.get("x");
                ArrayNode y = (ArrayNode) changeLines.get("y");
                x.add(m.at().toString()).add(m.at().toString()).addNull();
                y.add(Math.min(lo, m.value())).add(Math.max(hi, m.value())).addNull();
            }
        }
        ObjectNode layout = ResultJson.mapper().createObjectNode();
        layout.put("height", 300).put("hovermode", "closest").put("showlegend", true);
        layout.putObject("title").put("text", PlotlyText.escape(PlotlyText.legend(metric)));
        layout.putObject("yaxis").putObject("title").put("text", PlotlyText.escape(units.axisTitle(metric)));
        List<java.time.Instant> range = TimeAxis.singlePointRange(runs.stream()
                .filter(r -> r.metrics().get(metric) != null).map(RunRecords.Run::runAt).toList());
        if (!range.isEmpty()) {
            layout.putObject("xaxis").putArray("range").add(range.get(0).toString()).add(range.get(1).toString());
        }
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
        add(trace, r.runAt(), v, hover);
    }

    private static void add(ObjectNode trace, java.time.Instant at, double v, String hover) {
        ((ArrayNode) trace.get("x")).add(at.toString());
        ((ArrayNode) trace.get("y")).add(v);
        ((ArrayNode) trace.get("text")).add(escape(hover));
    }

    /** Plotly renders hover text as HTML-like markup: escape user text, keep our own line breaks. */
    private static String escape(String s) {
        return PlotlyText.escape(s).replace("&lt;br&gt;", "<br>");
    }
}
