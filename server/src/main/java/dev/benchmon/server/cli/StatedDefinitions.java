package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.MetricDefinition;
import dev.benchmon.server.ingest.Ingestion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metric definitions an input file states (a tool's directions and units, e.g. pytest-benchmark's
 * {@code mean} is lower-is-better in seconds): stored for metrics that have no definition yet, so that
 * a definition someone made on purpose is never replaced by what a file implies.
 */
final class StatedDefinitions {
    private StatedDefinitions() {
    }

    /**
     * One line for the summary, once the write stored what {@link Ingestion#undefined} returned (the definitions the
     * write, {@code Ingestion.record} or {@code Benchmon.importAll}, defines); {@code ""} when nothing.
     */
    static String summary(Map<String, MetricDefinition> added) {
        List<String> lines = new ArrayList<>();
        added.values().forEach(d -> lines.add(d.name() + " " + d.direction().sqlName()
                + (d.unit() == null ? "" : " (" + d.unit() + ")")));
        return line(lines);
    }

    /**
     * The same line from the server's answers: their {@code defined_metrics} ({@code {"name": {"direction", "unit",
     * ...}}}, as a file's {@code metric_definitions}), merged over a push's requests; {@code ""} when none (or from an
     * older server, whose answer lacks them: missing nodes).
     */
    static String summary(List<JsonNode> definedMetrics) {
        Map<String, String> lines = new TreeMap<>();
        for (JsonNode defined : definedMetrics) {
            defined.fields().forEachRemaining(e -> lines.put(e.getKey(), e.getKey() + " "
                    + e.getValue().path("direction").asText()
                    + (e.getValue().hasNonNull("unit") ? " (" + e.getValue().get("unit").asText() + ")" : "")));
        }
        return line(new ArrayList<>(lines.values()));
    }

    private static String line(List<String> lines) {
        return lines.isEmpty() ? "" : "defined " + lines.size() + " metric(s) as the file states: " + String.join(", ", lines)
                + System.lineSeparator();
    }
}
