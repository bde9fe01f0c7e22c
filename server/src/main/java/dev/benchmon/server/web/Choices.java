package dev.benchmon.server.web;

import dev.benchmon.Benchmon;

import java.util.List;

/** What the filter bar offers: the names the database knows (read once per page). */
record Choices(List<String> environments, List<String> models, List<String> datasets, List<String> prompts,
               List<String> metrics) {

    static Choices of(Benchmon benchmon) {
        return new Choices(benchmon.environments(), benchmon.models(), benchmon.datasets(), benchmon.prompts(),
                benchmon.metrics());
    }

    /** {@code true} before anything has been recorded. */
    boolean empty() {
        return models.isEmpty();
    }
}
