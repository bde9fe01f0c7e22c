package dev.benchmon.detect;

import dev.benchmon.MetricDirection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded, labelled synthetic corpus: series whose truth is known (noise only, a step of a known
 * size at a known run, a slow drift, one outlier, missing runs, late arrivals), used by the corpus
 * test (targets asserted) and the corpus benchmark (figures printed). Noise is normal, log-normal (a latency's
 * right skew) or binomial (an accuracy over {@code n} examples, sent with its {@code n}); young series
 * ({@link #young}) are judged only while they have {@value #YOUNG_FROM} to {@value #YOUNG_TO} runs of history.
 */
final class LabelledCorpus {
    /** Series per scenario: 200, so that one miss moves a rate by 0.5% and "at least 99%" is measurable. */
    static final int SERIES = Integer.getInteger("detect.corpusSeries", 200);
    static final int RUNS = 100;
    static final int STEP_AT = 60;
    /** Young series: runs are counted while they have this many to {@link #YOUNG_TO} runs of history (the minimum history up). */
    static final int YOUNG_FROM = 8;
    static final int YOUNG_TO = 14;
    /** Young series per scenario: five times {@link #SERIES} (they are short), so one false alert moves FA/100 by 0.014. */
    static final int YOUNG_SERIES = 5 * SERIES;

    /** How a run's value scatters around the series' level. */
    enum Noise {
        /** level + sd * Z. */
        NORMAL,
        /** level * exp(cv * Z - cv^2 / 2), cv = sd / level: a latency's right skew, its mean at the level. */
        LOGNORMAL,
        /** Binomial(examples, level) / examples, sent with {@code n = examples} (an accuracy over a test set). */
        BINOMIAL
    }

    /** One scenario: how to make a series, and where (if anywhere) a real bad shift starts. */
    record Scenario(String name, MetricDirection direction, MetricKind kind, double level, double sd,
                    double stepSds, int stepAt, double driftSdsPerRun, int outlierAt, double outlierSds,
                    double missingShare, double lateShare, Noise noise, int examples, int runs, int countFrom,
                    int stepSpread) {
        Scenario(String name, MetricDirection direction, MetricKind kind, double level, double sd, double stepSds,
                 int stepAt, double driftSdsPerRun, int outlierAt, double outlierSds, double missingShare, double lateShare) {
            this(name, direction, kind, level, sd, stepSds, stepAt, driftSdsPerRun, outlierAt, outlierSds, missingShare,
                    lateShare, Noise.NORMAL, 0, RUNS, 0, 0);
        }

        /** Whether this is a young-series scenario: only runs with {@code countFrom} or more runs of history are scored. */
        boolean young() {
            return countFrom > 0;
        }

        /** Series per scenario. */
        int series() {
            return young() ? YOUNG_SERIES : SERIES;
        }

        /**
         * The scenario as series {@code s} of it is generated: a young step starts after {@value #YOUNG_FROM} +
         * ({@code s} mod {@code stepSpread}) runs of history, and the series ends 3 runs after it.
         */
        Scenario forSeries(int s) {
            if (stepSpread <= 0) {
                return this;
            }
            int at = stepAt + s % stepSpread;
            return new Scenario(name, direction, kind, level, sd, stepSds, at, driftSdsPerRun, outlierAt, outlierSds,
                    missingShare, lateShare, noise, examples, at + 4, countFrom, 0);
        }

        /** Whether the run at arrival {@code k} is scored (young series: only with enough history). */
        boolean scored(int k) {
            return k >= countFrom;
        }

        boolean noiseOnly() {
            return stepSds == 0 && driftSdsPerRun == 0 && outlierAt < 0;
        }

        /** The series' arrivals: values with run_at one hour apart, arriving in "recorded" order. */
        List<Observation> generate(long seed) {
            Random rnd = new Random(seed);
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            List<Observation> runs = new ArrayList<>();
            for (int i = 0; i < runs(); i++) {
                double mean = level;
                int bad = direction == MetricDirection.LOWER_IS_BETTER ? 1 : -1;
                if (stepAt >= 0 && i >= stepAt) {
                    mean += bad * stepSds * sd;
                }
                mean += bad * driftSdsPerRun * sd * i;
                double v = switch (noise) {
                    case NORMAL -> mean + sd * rnd.nextGaussian();
                    case LOGNORMAL -> {
                        double cv = sd / level;
                        yield mean * Math.exp(cv * rnd.nextGaussian() - cv * cv / 2);
                    }
                    case BINOMIAL -> {
                        int hits = 0;
                        for (int e = 0; e < examples; e++) {
                            hits += rnd.nextDouble() < mean ? 1 : 0;
                        }
                        yield (double) hits / examples;
                    }
                };
                if (i == outlierAt) {
                    v = mean + bad * outlierSds * sd;
                }
                boolean missing = rnd.nextDouble() < missingShare && i != outlierAt && (stepAt < 0 || i < stepAt || i > stepAt + 3);
                if (!missing) {
                    runs.add(new Observation(i + 1, t0.plusSeconds(3600L * i), v, Double.NaN, examples, String.format("%07x", seed * 1000 + i)));
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

    /** Noise only, {@value #YOUNG_TO} + 1 runs: scored while the history has {@value #YOUNG_FROM} to {@value #YOUNG_TO} runs. */
    static Scenario youngNoise(String name, MetricDirection d, MetricKind kind, double level, double sd, Noise noise, int examples) {
        return new Scenario(name, d, kind, level, sd, 0, -1, 0, -1, 0, 0, 0, noise, examples, YOUNG_TO + 1, YOUNG_FROM, 0);
    }

    /** A bad step of {@code sds} sd at the run with {@value #YOUNG_FROM} to {@value #YOUNG_TO} runs of history, 3 runs after it. */
    static Scenario youngStep(String name, MetricDirection d, MetricKind kind, double level, double sd, double sds,
                              Noise noise, int examples) {
        return new Scenario(name, d, kind, level, sd, sds, YOUNG_FROM, 0, -1, 0, 0, 0, noise, examples, YOUNG_TO + 4,
                YOUNG_FROM, YOUNG_TO - YOUNG_FROM + 1);
    }

    /** The binomial sd of an accuracy {@code p} over {@code n} examples. */
    static double binomialSd(double p, int n) {
        return Math.sqrt(p * (1 - p) / n);
    }

    static List<Scenario> scenarios() {
        List<Scenario> all = new ArrayList<>(matureScenarios());
        all.addAll(otherNoiseScenarios());
        all.addAll(youngScenarios());
        all.addAll(spikeScenarios());
        return all;
    }

    /** The run of a short series at which {@link #spikeScenarios} put their outlier (its 16th run). */
    static final int SPIKE_AT = 15;

    /**
     * Short series (under the detector's 30-run window, where the noise sd is the plain successive-difference sd) with
     * one flaky run far off the level (20 sd the bad way, a timeout or a broken runner) at their 16th run: noise only
     * for 30 runs, or a bad step of 5 sd 3 runs after the flaky run, 3 runs before the series ends. Runs are scored
     * from 8 runs of history; the flaky run's own alert is neither a false alert nor a detection.
     */
    static List<Scenario> spikeScenarios() {
        MetricDirection up = MetricDirection.HIGHER_IS_BETTER;
        MetricDirection down = MetricDirection.LOWER_IS_BETTER;
        double acc = binomialSd(0.85, 1000);
        List<Scenario> out = new ArrayList<>();
        Object[][] kinds = {
                {"accuracy sd 0.01", up, MetricKind.SCORE, 0.85, 0.01, Noise.NORMAL, 0},
                {"acc binom n=1000", up, MetricKind.SCORE, 0.85, acc, Noise.BINOMIAL, 1000},
                {"latency logn CV 10%", down, MetricKind.TIME, 400.0, 40.0, Noise.LOGNORMAL, 0}};
        for (Object[] k : kinds) {
            out.add(new Scenario("flaky run, noise: " + k[0], (MetricDirection) k[1], (MetricKind) k[2], (double) k[3],
                    (double) k[4], 0, -1, 0, SPIKE_AT, 20, 0, 0, (Noise) k[5], (int) k[6], 30, YOUNG_FROM, 0));
        }
        for (Object[] k : kinds) {
            out.add(new Scenario("flaky run, 5 sd step: " + k[0], (MetricDirection) k[1], (MetricKind) k[2], (double) k[3],
                    (double) k[4], 5, SPIKE_AT + 3, 0, SPIKE_AT, 20, 0, 0, (Noise) k[5], (int) k[6], SPIKE_AT + 7,
                    YOUNG_FROM, 0));
        }
        return out;
    }

    /** Log-normal latency and binomial accuracy at 100 runs: the mature counterparts of the young rows. */
    static List<Scenario> otherNoiseScenarios() {
        MetricDirection up = MetricDirection.HIGHER_IS_BETTER;
        MetricDirection down = MetricDirection.LOWER_IS_BETTER;
        double acc = binomialSd(0.85, 1000);
        return List.of(
                new Scenario("noise: latency lognormal CV 10%", down, MetricKind.TIME, 400, 40, 0, -1, 0, -1, 0, 0, 0,
                        Noise.LOGNORMAL, 0, RUNS, 0, 0),
                new Scenario("noise: accuracy binomial n=1000", up, MetricKind.SCORE, 0.85, acc, 0, -1, 0, -1, 0, 0, 0,
                        Noise.BINOMIAL, 1000, RUNS, 0, 0),
                new Scenario("step: latency lognormal 4 sd up", down, MetricKind.TIME, 400, 40, 4, STEP_AT, 0, -1, 0, 0, 0,
                        Noise.LOGNORMAL, 0, RUNS, 0, 0),
                new Scenario("step: accuracy binomial 4 sd down", up, MetricKind.SCORE, 0.85, acc, 4, STEP_AT, 0, -1, 0, 0, 0,
                        Noise.BINOMIAL, 1000, RUNS, 0, 0));
    }

    /**
     * Young series: noise only, and a bad step of 3 and 5 sd at the run with 8 to 14 runs of history, for the noise
     * kinds above (the newest run of a series that has just passed the minimum history, sent alone).
     */
    static List<Scenario> youngScenarios() {
        MetricDirection up = MetricDirection.HIGHER_IS_BETTER;
        MetricDirection down = MetricDirection.LOWER_IS_BETTER;
        double acc = binomialSd(0.85, 1000);
        List<Scenario> out = new ArrayList<>(List.of(
                youngNoise("young noise: accuracy sd 0.01", up, MetricKind.SCORE, 0.85, 0.01, Noise.NORMAL, 0),
                youngNoise("young noise: accuracy binom n=1000", up, MetricKind.SCORE, 0.85, acc, Noise.BINOMIAL, 1000),
                youngNoise("young noise: latency CV 5%", down, MetricKind.TIME, 400, 20, Noise.NORMAL, 0),
                youngNoise("young noise: latency logn CV 10%", down, MetricKind.TIME, 400, 40, Noise.LOGNORMAL, 0),
                youngNoise("young noise: cost CV 10%", down, MetricKind.COST, 0.004, 0.0004, Noise.NORMAL, 0)));
        for (double sds : new double[] {3, 5}) {
            String k = String.format(java.util.Locale.ROOT, "%.0f sd", sds);
            out.add(youngStep("young step: accuracy " + k + " down", up, MetricKind.SCORE, 0.85, 0.01, sds, Noise.NORMAL, 0));
            out.add(youngStep("young step: acc binom " + k + " down", up, MetricKind.SCORE, 0.85, acc, sds, Noise.BINOMIAL, 1000));
            out.add(youngStep("young step: latency logn " + k + " up", down, MetricKind.TIME, 400, 40, sds, Noise.LOGNORMAL, 0));
        }
        return out;
    }

    /** The original scenarios: normal noise, 100 runs. */
    static List<Scenario> matureScenarios() {
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
