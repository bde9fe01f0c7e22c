package dev.benchmon.server.cli;

import dev.benchmon.Benchmon;
import dev.benchmon.MetricDefinition;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
     * The definitions of {@code stated} whose metric the database has no definition for, by name: what the write
     * they come with ({@code Ingestion.record}, {@code Benchmon.importAll}) will define, for the summary line (the
     * toolkit keeps existing definitions itself). Reads the stated metrics' rows only.
     */
    static Map<String, MetricDefinition> unknownTo(Benchmon benchmon, Map<String, MetricDefinition> stated) {
        if (stated.isEmpty()) {
            return Map.of();
        }
        Table known = benchmon.metricDefinitions(stated.keySet());
        Set<String> defined = new HashSet<>();
        for (int i = 0; i < known.rowCount(); i++) {
            if (known.booleanColumn("defined").get(i)) {
                defined.add(known.stringColumn("name").get(i));
            }
        }
        Map<String, MetricDefinition> added = new TreeMap<>();
        stated.values().stream().filter(d -> !defined.contains(d.name())).forEach(d -> added.put(d.name(), d));
        return added;
    }

    /** One line for the summary, once the write stored what {@link #unknownTo} returned; {@code ""} when nothing. */
    static String summary(Map<String, MetricDefinition> added) {
        List<String> lines = new ArrayList<>();
        added.values().forEach(d -> lines.add(d.name() + " " + d.direction().sqlName()
                + (d.unit() == null ? "" : " (" + d.unit() + ")")));
        return lines.isEmpty() ? "" : "defined " + lines.size() + " metric(s) as the file states: " + String.join(", ", lines)
                + System.lineSeparator();
    }
}
