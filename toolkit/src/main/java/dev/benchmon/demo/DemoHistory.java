package dev.benchmon.demo;

import dev.benchmon.BenchmarkResult;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A reproducible benchmark history: the same seed and end time give the same results, with the
 * same idempotency keys, so loading it twice stores it once.
 *
 * <p>What it holds: four model versions from three providers, two dataset versions, two prompt
 * versions, and the ci and production environments, over {@code days} days; CI runs twice a day,
 * production once. Quality drifts upwards slowly with noise. Two real regressions sit in the
 * latest runs: medgemma-v1.3 in production on benchmark-set-v3 loses about 9% f1 (recall drops),
 * and gpt-4o-mini in ci gets about 45% slower.
 */
public final class DemoHistory {
    /** The seed {@code serve --demo} and the samples use. */
    public static final long DEFAULT_SEED = 42L;
    /** The length of the history {@code serve --demo} and the samples use. */
    public static final int DEFAULT_DAYS = 90;

    private record Model(String name, String provider, String prompt, double precision, double recall,
                         double latencyMs, double costPer1k) {
    }

    private static final List<Model> MODELS = List.of(
            new Model("medgemma-v1.2", "google", "analysis-v4", 0.905, 0.875, 410, 4.2),
            new Model("medgemma-v1.3", "google", "analysis-v5", 0.925, 0.895, 380, 4.6),
            new Model("gpt-4o-mini", "openai", "analysis-v5", 0.880, 0.860, 520, 1.9),
            new Model("claude-3-5-haiku", "anthropic", "analysis-v4", 0.895, 0.870, 450, 3.1));
    private static final List<String> DATASETS = List.of("benchmark-set-v3", "benchmark-set-v4");
    private static final List<String> USERS = List.of("ci-bot", "ci-bot", "ci-bot", "amira", "jonas");

    private DemoHistory() {
    }

    /** {@value #DEFAULT_SEED}-seeded history of 90 days ending now (rounded down to the hour). */
    public static List<BenchmarkResult> generate() {
        return generate(DEFAULT_SEED, DEFAULT_DAYS, Instant.now().truncatedTo(ChronoUnit.HOURS));
    }

    /**
     * A history of {@code days} days ending at {@code end}, in run_at order.
     *
     * @param seed the random seed: the same seed and end give the same results
     */
    public static List<BenchmarkResult> generate(long seed, int days, Instant end) {
        if (days < 3) {
            throw new IllegalArgumentException("days must be at least 3, got " + days);
        }
        Random rnd = new Random(seed);
        Instant start = end.minus(Duration.ofDays(days));
        List<BenchmarkResult> out = new ArrayList<>();
        int runCounter = 4000;
        for (Model m : MODELS) {
            for (String dataset : DATASETS) {
                double datasetShift = dataset.endsWith("v4") ? -0.015 : 0;
                for (String env : List.of("ci", "production")) {
                    int perDay = env.equals("ci") ? 2 : 1;
                    int total = days * perDay;
                    for (int k = 0; k < total; k++) {
                        Instant runAt = start.plus(Duration.ofMinutes((long) k * 24 * 60 / perDay
                                + 30 + rnd.nextInt(120)));
                        if (!runAt.isBefore(end)) {
                            continue;
                        }
                        double progress = (double) k / total; // slow improvement over the window
                        double p = m.precision + datasetShift + 0.01 * progress + rnd.nextGaussian() * 0.006;
                        double r = m.recall + datasetShift + 0.012 * progress + rnd.nextGaussian() * 0.007;
                        double latency = m.latencyMs * (env.equals("production") ? 1.1 : 1.0) * (1 + rnd.nextGaussian() * 0.04);
                        double cost = m.costPer1k / 1000 * (1 + rnd.nextGaussian() * 0.03);
                        boolean last = k >= total - 1;
                        if (last && m.name.equals("medgemma-v1.3") && env.equals("production") && dataset.equals("benchmark-set-v3")) {
                            r -= 0.16; // a real recall regression in the latest production run
                            p -= 0.01;
                        }
                        if (last && m.name.equals("gpt-4o-mini") && env.equals("ci")) {
                            latency *= 1.45; // a real latency regression in the latest CI run
                        }
                        double f1 = 2 * p * r / (p + r);
                        String runId = env.equals("ci") ? String.valueOf(++runCounter) : null;
                        String sha = sha(rnd);
                        BenchmarkResult.Builder b = BenchmarkResult.builder(m.name, dataset)
                                .promptVersion(m.prompt).modelProvider(m.provider).environment(env)
                                .runAt(runAt.truncatedTo(ChronoUnit.SECONDS))
                                .metric("precision", round(p, 4)).metric("recall", round(r, 4))
                                .metric("f1", round(f1, 4)).metric("latency_ms", round(latency, 1))
                                .metric("analysis_cost", round(cost, 6))
                                .commitSha(sha).branch(env.equals("ci") ? "main" : "release")
                                .triggeredBy(env.equals("ci") ? USERS.get(rnd.nextInt(USERS.size())) : "scheduler")
                                .idempotencyKey("demo-" + seed + "-" + m.name + "-" + dataset + "-" + env + "-" + k
                                        + "-" + runAt.truncatedTo(ChronoUnit.HOURS).getEpochSecond());
                        if (runId != null) {
                            b.runId(runId).tag("suite", "nightly");
                        }
                        out.add(b.build());
                    }
                }
            }
        }
        out.sort(Comparator.comparing(BenchmarkResult::runAt));
        return out;
    }

    private static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    private static String sha(Random rnd) {
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 40; i++) {
            sb.append(Character.forDigit(rnd.nextInt(16), 16));
        }
        return sb.toString();
    }
}
