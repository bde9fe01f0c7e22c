package dev.benchmon.server.web;

import dev.benchmon.Benchmon;

import java.util.List;
import java.util.function.Predicate;

/**
 * What the filter bar offers: the names the database knows (read once per page). A page checks its URL's names
 * against these same lists ({@link KnownNames}), as it has read them anyway.
 */
record Choices(List<String> environments, List<String> models, List<String> datasets, List<String> prompts,
               List<String> metrics, Predicate<String> definedMetric) implements KnownNames {

    static Choices of(Benchmon benchmon) {
        return new Choices(benchmon.environments(), benchmon.models(), benchmon.datasets(), benchmon.prompts(),
                benchmon.metrics(), benchmon::isDefinedMetric); // asked only of a name not listed
    }

    @Override
    public boolean isDefinedMetric(String metric) {
        return definedMetric.test(metric);
    }

    /** {@code true} before anything has been recorded. */
    boolean empty() {
        return models.isEmpty();
    }

    @Override
    public boolean isKnown(Kind kind, String name) {
        return listed(kind).contains(name);
    }

    /** Every known name of the kind: a page's notice lists them. */
    @Override
    public List<String> listed(Kind kind) {
        return switch (kind) {
            case ENVIRONMENT -> environments;
            case MODEL -> models;
            case DATASET -> datasets;
            case PROMPT -> prompts;
            case METRIC -> metrics;
        };
    }

    /** f1 when present (the usual headline metric), else the first metric. */
    @Override
    public String defaultMetric() {
        if (metrics.contains("f1")) {
            return "f1";
        }
        return metrics.isEmpty() ? null : metrics.get(0);
    }
}
