package dev.benchmon.detect;

import dev.benchmon.MetricDirection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded, labelled synthetic corpus: series whose truth is known (noise only, a step of a known
 * size at a known run, a slow drift, one outlier, missing runs, late arrivals), used by the corpus
 * test (targets asserted) and the corpus benchmark (figures printed).
 */
final class LabelledCorpus {
    /** Series per scenario: 200, so that one miss moves a rate by 0.5% and "at least 99%" is measurable. */
    static final int SERIES = Integer.getInteger("detect.corpusSeries", 200);
    static final int RUNS = 100;
    static final int STEP_AT = 60;

    /** One scenario: how to make a series, and where (if anywhere) a real bad shift starts. */
    record Scenario(String name, MetricDirection direction, MetricKind kind, double level, double sd,
                    double stepSds, int stepAt, double driftSdsPerRun, int outlierAt, double outlierSds,
                    double missingShare, double lateShare) {
        boolean noiseOnly() {
            return stepSds == 0 && driftSdsPerRun == 0 && outlierAt < 0;
        }

        /** The series' arrivals: values with run_at one hour apart, arriving in "recorded" order. */
        List<Observation> generate(long seed) {
            Random rnd = new Random(seed);
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            List<Observation> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                double mean = level;
                int bad = direction == MetricDirection.LOWER_IS_BETTER ? 1 : -1;
                if (stepAt >= 0 && i >= stepAt) {
                    mean += bad * stepSds * sd;
                }
                mean += bad * driftSdsPerRun * sd * i;
                double v = mean + sd * rnd.nextGaussian();
                if (i == outlierAt) {
                    v = mean + bad * outlierSds * sd;
                }
                boolean missing = rnd.nextDouble() < missingShare && i != outlierAt && (stepAt < 0 || i < stepAt || i > stepAt + 3);
                if (!missing) {
                    runs.add(new Observation(i + 1, t0.plusSeconds(3600L * i), v, Double.NaN, 0, String.format("%07x", seed * 1000 + i)));
                }
            }
            // Late arrivals: a run pushed 1 to 3 positions after it ran.
            for (int i = runs.size() - 2; i >= 1; i--) {
                if (rnd.nextDouble() < lateShare) {
                    int to = Math.min(runs.size() - 1, i + 1 + rnd.nextInt(3));
                    runs.add(to, runs.remove(i));
                }
            }
            return runs;
        }

        /** Arrival position of the first run at or after the labelled step (or -1). */
        int stepArrival(List<Observation> arrivals) {
            if (stepAt < 0) {
                return -1;
            }
            for (int k = 0; k < arrivals.size(); k++) {
                if (arrivals.get(k).transactionId() > stepAt) {
                    return k;
                }
            }
            return -1;
        }
    }

    static Scenario noise(String name, MetricDirection d, MetricKind kind, double level, double sd) {
        return new Scenario(name, d, kind, level, sd, 0, -1, 0, -1, 0, 0, 0);
    }

    static Scenario step(String name, MetricDirection d, MetricKind kind, double level, double sd, double sds) {
        return new Scenario(name, d, kind, level, sd, sds, STEP_AT, 0, -1, 0, 0, 0);
    }

    static List<Scenario> scenarios() {
        MetricDirection up = MetricDirection.HIGHER_IS_BETTER;
        MetricDirection down = MetricDirection.LOWER_IS_BETTER;
        return List.of(
                noise("noise: accuracy sd 0.005", up, MetricKind.SCORE, 0.85, 0.005),
                noise("noise: accuracy sd 0.01", up, MetricKind.SCORE, 0.85, 0.01),
                noise("noise: accuracy sd 0.02", up, MetricKind.SCORE, 0.85, 0.02),
                noise("noise: latency CV 2%", down, MetricKind.TIME, 400, 8),
                noise("noise: latency CV 5%", down, MetricKind.TIME, 400, 20),
                noise("noise: latency CV 10%", down, MetricKind.TIME, 400, 40),
                noise("noise: cost CV 5%", down, MetricKind.COST, 0.004, 0.0002),
                noise("noise: cost CV 10%", down, MetricKind.COST, 0.004, 0.0004),
                new Scenario("noise + 20% missing runs", up, MetricKind.SCORE, 0.85, 0.01, 0, -1, 0, -1, 0, 0.2, 0),
                new Scenario("noise + 15% late arrivals", down, MetricKind.TIME, 400, 20, 0, -1, 0, -1, 0, 0, 0.15),
                step("step: accuracy -3% at sd 0.005", up, MetricKind.SCORE, 0.85, 0.005, 0.85 * 0.03 / 0.005),
                step("step: accuracy 2 sd down", up, MetricKind.SCORE, 0.85, 0.01, 2),
                step("step: accuracy 4 sd down", up, MetricKind.SCORE, 0.85, 0.01, 4),
                step("step: accuracy 6 sd down", up, MetricKind.SCORE, 0.85, 0.01, 6),
                step("step: latency 4 sd up (CV 5%)", down, MetricKind.TIME, 400, 20, 4),
                step("step: latency 6 sd up (CV 5%)", down, MetricKind.TIME, 400, 20, 6),
                step("step: latency 4 sd up (CV 10%)", down, MetricKind.TIME, 400, 40, 4),
                new Scenario("step 4 sd + 15% late arrivals", down, MetricKind.TIME, 400, 20, 4, STEP_AT, 0, -1, 0, 0, 0.15),
                new Scenario("improvement: accuracy 6 sd up", up, MetricKind.SCORE, 0.85, 0.01, -6, STEP_AT, 0, -1, 0, 0, 0),
                new Scenario("drift: accuracy -0.05 sd/run", up, MetricKind.SCORE, 0.85, 0.01, 0, -1, 0.05, -1, 0, 0, 0),
                new Scenario("one outlier (8 sd) at run 50", up, MetricKind.SCORE, 0.85, 0.01, 0, -1, 0, 50, 8, 0, 0));
    }
}
