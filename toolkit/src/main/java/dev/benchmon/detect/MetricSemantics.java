package dev.benchmon.detect;

import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.MinEffect;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the detector knows about one metric: its direction (declared, else from the built-in
 * dictionary, else unknown), its kind and its declared minimum effect.
 *
 * @param direction the direction, or {@code null} when neither declared nor known
 * @param minEffect the declared minimum effect (in the metric's unit or relative), or {@code null} for the kind's
 *                  default
 * @param declared  whether the direction comes from a definition (not the dictionary)
 */
public record MetricSemantics(String metric, MetricDirection direction, MetricKind kind, MinEffect minEffect,
                              boolean declared) {

    /** Resolves a metric against declared definitions (by exact name) and the dictionary. */
    public static MetricSemantics of(String metric, Map<String, MetricDefinition> definitions) {
        MetricKind kind = MetricDictionary.kind(metric);
        MetricDefinition d = definitions.get(metric);
        if (d != null) {
            return new MetricSemantics(metric, d.direction(), kind, d.statedMinEffect(), true);
        }
        return new MetricSemantics(metric, kind.direction(), kind, null, false);
    }

    /**
     * The direction as benchmon reports it everywhere (tables, API, CLI): the declared or dictionary direction, else
     * {@link MetricDirection#UNKNOWN}, never a default of higher-is-better.
     */
    public MetricDirection reportedDirection() {
        return direction == null ? MetricDirection.UNKNOWN : direction;
    }

    /** Where the direction comes from: {@code declared}, {@code dictionary} or {@code unknown}. */
    public String source() {
        return declared ? "declared" : direction != null ? "dictionary" : "unknown";
    }

    /**
     * The reported direction name ({@code higher_is_better}, {@code lower_is_better}, {@code none} or {@code unknown})
     * of each of {@code metrics}, by this rule, in their order.
     */
    public static Map<String, String> directionNames(Collection<String> metrics, Map<String, MetricDefinition> definitions) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String m : metrics) {
            out.put(m, of(m, definitions).reportedDirection().sqlName());
        }
        return out;
    }

    /** The detection settings for this metric: the kind's defaults, the declared minimum effect, then the request's overrides. */
    public DetectionSettings settings(DetectionOverrides overrides) {
        DetectionSettings s = DetectionSettings.forKind(kind);
        if (minEffect != null) {
            s = minEffect.relative() ? s.withRelativeMinEffect(minEffect.value()) : s.withMinEffect(minEffect.value());
        }
        return overrides.apply(s);
    }

    /** The command that declares this metric's direction: {@code benchmon metrics define NAME --direction ...}. */
    public static String declareCommand(String metric) {
        String quoted = metric.matches("[A-Za-z0-9_.@:/+-]+") ? metric : "'" + metric.replace("'", "'\\''") + "'";
        return "benchmon metrics define " + quoted + " --direction higher_is_better|lower_is_better|none";
    }
}
