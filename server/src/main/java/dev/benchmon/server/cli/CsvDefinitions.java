package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.detect.MetricSemantics;
import dev.benchmon.ingest.TextRules;
import dev.benchmon.query.MetricColumns;
import dev.benchmon.query.ResultStream;
import dev.benchmon.server.api.FormulaGuard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a CSV copy of results loses of their metrics' definitions (direction, unit, minimum effect), and the warnings
 * that say so. A history CSV has a column per metric and no place for a definition (the JSON Lines export states them
 * on its first line), so a database that imports the CSV judges the metrics by its own definitions, else by their
 * names: a pytest-benchmark {@code mean} (seconds, lower is better) there is {@code unknown}, and a slower run is no
 * longer a regression. {@code export} names the defined metrics it writes without their definitions; {@code import}
 * names the metrics of a CSV that the database cannot judge, with the command that defines each.
 */
final class CsvDefinitions {
    /** Names listed in one warning; the rest are counted. */
    static final int NAMES_SHOWN = 10;

    private CsvDefinitions() {
    }

    /** A sink that passes everything on and notes the metric columns' metric names (the {@code DOUBLE} columns). */
    static final class MetricColumnsSeen implements ResultStream.Sink {
        private final ResultStream.Sink to;
        private final List<String> metrics = new ArrayList<>();

        MetricColumnsSeen(ResultStream.Sink to) {
            this.to = to;
        }

        @Override
        public void columns(List<ResultStream.Column> columns) throws IOException {
            columns.stream().filter(c -> c.type() == ResultStream.Type.DOUBLE)
                    .forEach(c -> metrics.add(MetricColumns.metricName(c.name())));
            to.columns(columns);
        }

        @Override
        public void row(Object[] values) throws IOException {
            to.row(values);
        }

        List<String> metrics() {
            return metrics;
        }
    }

    /** The history CSV's fixed columns (ResultStream's, then the CSV's own), none of them a metric's. */
    private static final Set<String> FIXED = Set.of("id", "run_at", "recorded_at", "attempt", "model_version",
            "dataset_version", "prompt_version", "environment", "model_provider", "commit_sha", "branch", "run_id",
            "triggered_by", "tags", "notes", "idempotency_key", "stderr", "n", "metadata", "run_at_sent");

    /**
     * The metrics of a server's history CSV by its header: its columns after the fixed ones (unguarded, a metric named
     * like a fixed column being {@code metric:NAME}).
     */
    static List<String> metricsOfHeader(List<String> header) {
        List<String> metrics = new ArrayList<>();
        for (String column : header) {
            String name = FormulaGuard.unguard(column.trim());
            if (!FIXED.contains(name)) {
                metrics.add(MetricColumns.metricName(name));
            }
        }
        return metrics;
    }

    /**
     * Those of {@code metrics} whose definition in {@code definitions} judges them otherwise than their name alone
     * would ({@link #judgedByName}), in their order: what a database without the definition gets wrong. A definition
     * every database starts with ({@code accuracy}, ratio, higher is better) is not among them.
     */
    static List<String> declaredIn(Map<String, MetricDefinition> definitions, Collection<String> metrics) {
        return metrics.stream().distinct().filter(m -> {
            MetricDefinition d = definitions.get(m);
            return d != null && !judgedByName(m, d.direction(), d.unit(), d.statedMinEffect() != null);
        }).toList();
    }

    /**
     * {@link #declaredIn} as a server defines them ({@code GET /api/v1/metrics}: {@code source: declared}, its
     * direction, unit and min_effect); none when the server is of a version without that route.
     */
    static List<String> declaredOnServer(PushClient client, List<String> metrics) {
        if (metrics.isEmpty()) {
            return List.of();
        }
        Set<String> differs = new HashSet<>();
        client.getJsonIfRouted("api/v1/metrics").ifPresent(all -> {
            for (JsonNode m : all.path("metrics")) {
                String name = m.path("name").asText();
                if (m.path("source").asText().equals("declared") && !judgedByName(name,
                        MetricDirection.parse(m.path("direction").asText()),
                        m.path("unit").isTextual() ? m.get("unit").asText() : null, !m.path("min_effect").isNull()
                                && !m.path("min_effect").isMissingNode())) {
                    differs.add(name);
                }
            }
        });
        return metrics.stream().filter(differs::contains).distinct().toList();
    }

    /**
     * Whether a metric so defined is judged as its name alone judges it (the built-in dictionary, no definition): the
     * same direction, kind and proportion, and no minimum effect of its own.
     */
    private static boolean judgedByName(String metric, MetricDirection direction, String unit, boolean minEffect) {
        MetricSemantics byName = MetricSemantics.of(metric, Map.of());
        MetricDefinition defined = new MetricDefinition(metric, direction, unit, null, null);
        return !minEffect && byName.reportedDirection() == direction
                && MetricSemantics.kind(metric, defined) == byName.kind()
                && MetricSemantics.isProportion(metric, defined) == byName.proportion();
    }

    /**
     * What {@code export} says when a CSV history holds metrics whose definitions matter ({@link #declaredIn}): which,
     * what is lost, what keeps them.
     */
    static String exportWarning(List<String> defined) {
        return "warning: CSV has no place for metric definitions: the definition (direction, unit, min_effect) of "
                + names(defined) + " is not in this file, so a database that imports it judges "
                + (defined.size() == 1 ? "that metric" : "those metrics")
                + " by its own definitions, else by name (a name it does not know: direction unknown, no regression). "
                + "Export --format jsonl to copy the results with their definitions (its first line states them, and "
                + "import applies them).";
    }

    /**
     * What {@code import} says after storing CSV results whose metrics the database cannot judge ({@code undefined}:
     * neither defined there nor known by name): which, and the commands that define them.
     */
    static String importWarning(List<String> undefined) {
        StringBuilder sb = new StringBuilder("warning: CSV carries no metric definitions, and this database has none for "
                + names(undefined) + ": a change of " + (undefined.size() == 1 ? "it" : "them") + " is reported as "
                + "direction unknown, never as a regression. Define each (then `benchmon metrics recompute` judges the "
                + "stored runs again):");
        undefined.stream().limit(NAMES_SHOWN).forEach(m -> sb.append(System.lineSeparator()).append("  ")
                .append(MetricSemantics.declareCommand(m)));
        sb.append(System.lineSeparator()).append("  or import a JSON Lines export instead (benchmon export history "
                + "--format jsonl), which carries them");
        return sb.toString();
    }

    /** Those of {@code metrics} that neither {@code definitions} nor the built-in dictionary give a direction. */
    static List<String> unjudged(Collection<String> metrics, Map<String, MetricDefinition> definitions) {
        Set<String> out = new LinkedHashSet<>();
        for (String m : metrics) {
            if (MetricSemantics.of(m, definitions).direction() == null) {
                out.add(m);
            }
        }
        return List.copyOf(out);
    }

    /** {@code 'a', 'b' and 3 more}: the names quoted (long ones cut), at most {@link #NAMES_SHOWN}. */
    private static String names(List<String> metrics) {
        List<String> shown = metrics.stream().limit(NAMES_SHOWN).map(m -> "'" + TextRules.quoted(m) + "'").toList();
        String more = metrics.size() > NAMES_SHOWN ? " and " + (metrics.size() - NAMES_SHOWN) + " more" : "";
        return String.join(", ", shown) + more;
    }
}
