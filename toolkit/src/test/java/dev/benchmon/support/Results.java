package dev.benchmon.support;

import dev.benchmon.BenchmarkResult;

import java.time.Instant;

/** Small builders of known results for tests. */
public final class Results {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Results() {
    }

    /** A result of model m on dataset d at T0 + hours, with f1 and latency_ms. */
    public static BenchmarkResult result(String model, String dataset, int hours, double f1, double latencyMs) {
        return BenchmarkResult.builder(model, dataset).environment("ci")
                .runAt(T0.plusSeconds(hours * 3600L))
                .metric("f1", f1).metric("latency_ms", latencyMs)
                .idempotencyKey(model + "|" + dataset + "|" + hours)
                .build();
    }
}
