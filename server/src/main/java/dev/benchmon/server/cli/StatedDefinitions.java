package dev.benchmon.server.cli;

import dev.benchmon.Benchmon;
import dev.benchmon.MetricDefinition;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metric definitions an input file states (a tool's directions and units, e.g. pytest-benchmark's
 * {@code mean} is lower-is-better in seconds): stored for metrics that have no definition yet, so that
 * a definition someone made on purpose is never replaced by what a file implies.
 */
final class StatedDefinitions {
    private StatedDefinitions() {
    }

    /**
     * Defines every metric of {@code stated} that the database has no definition for.
     *
     * @return one line for the summary, or {@code ""} when nothing was defined
     */
    static String storeNew(Benchmon benchmon, Map<String, MetricDefinition> stated) {
        if (stated.isEmpty()) {
            return "";
        }
        Table known = benchmon.metricDefinitions();
        Set<String> defined = new HashSet<>();
        for (int i = 0; i < known.rowCount(); i++) {
            if (known.booleanColumn("defined").get(i)) {
                defined.add(known.stringColumn("name").get(i));
            }
        }
        List<String> added = new ArrayList<>();
        stated.values().stream().filter(d -> !defined.contains(d.name())).sorted(java.util.Comparator.comparing(MetricDefinition::name))
                .forEach(d -> {
                    benchmon.defineMetric(d.name(), d.direction(), d.unit(), d.description());
                    added.add(d.name() + " " + d.direction().sqlName() + (d.unit() == null ? "" : " (" + d.unit() + ")"));
                });
        return added.isEmpty() ? "" : "defined " + added.size() + " metric(s) as the file states: " + String.join(", ", added)
                + System.lineSeparator();
    }
}
