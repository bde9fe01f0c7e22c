package dev.benchmon.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One recorded result as the comparisons need it.
 *
 * @param id          its transaction id
 * @param metrics     metric values
 * @param stderr      standard errors it gave (may be empty)
 * @param sampleSizes {@code n} it gave per metric (may be empty)
 * @param directions  each metric's direction (higher_is_better, lower_is_better, none, unknown)
 * @param proportions the metrics that are proportions ({@link dev.benchmon.detect.MetricSemantics#isProportion}):
 *                    their {@code n} alone gives a standard error
 * @param excludedReason why it was excluded through triage ({@code excluded_runs}), or null when it counts: the model
 *                    comparison leaves it out, a comparison naming it explicitly warns ({@link RunComparison#warnings()})
 */
public record RunInfo(long id, String modelVersion, String datasetVersion, String promptVersion, String environment,
                      Map<String, Double> metrics, Map<String, Double> stderr, Map<String, Long> sampleSizes,
                      Map<String, String> directions, Set<String> proportions, String excludedReason) {

    /** Whether it was excluded through triage, so it is not among the results that count. */
    public boolean excluded() {
        return excludedReason != null;
    }

    /** Reads the JSON columns of the log ({@code metrics}, {@code stderr}, {@code sample_sizes}). */
    static Map<String, Double> doubles(String json) {
        Map<String, Double> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : fields(json).entrySet()) {
            if (e.getValue().isNumber()) {
                out.put(e.getKey(), e.getValue().doubleValue());
            }
        }
        return out;
    }

    static Map<String, Long> longs(String json) {
        Map<String, Long> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : fields(json).entrySet()) {
            if (e.getValue().isNumber()) {
                out.put(e.getKey(), e.getValue().longValue());
            }
        }
        return out;
    }

    private static Map<String, JsonNode> fields(String json) {
        Map<String, JsonNode> out = new TreeMap<>();
        if (json == null) {
            return out;
        }
        try {
            ResultJson.mapper().readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the log holds invalid JSON: " + json, e);
        }
        return out;
    }

    /**
     * The metric the examples' scores make up: the metric whose value equals the mean score (within 1e-4,
     * as reported metrics are often rounded; the closest wins), else {@code examples_mean}.
     */
    public String examplesMetric(double meanScore) {
        return examplesMetric(metrics, meanScore);
    }

    /** {@link #examplesMetric(double)} for any metrics map. */
    public static String examplesMetric(Map<String, Double> metrics, double meanScore) {
        String best = EXAMPLES_MEAN;
        double bestGap = 1e-4 * Math.max(1, Math.abs(meanScore));
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            double gap = Math.abs(m.getValue() - meanScore);
            if (gap <= bestGap) {
                best = m.getKey();
                bestGap = gap;
            }
        }
        return best;
    }

    /** The metric name used for the mean per-item score when no reported metric matches it. */
    public static final String EXAMPLES_MEAN = "examples_mean";
}
