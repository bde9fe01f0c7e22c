package dev.benchmon.server.benchmarks;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded generator of the users' shape: 900 series (60 models x 5 datasets x 3 environments, no
 * prompt), 5 metrics per result (precision, recall, f1, latency_ms, cost), run_at spread over the
 * year before {@link #end()} in time order, a 71-character {@code sha256:} idempotency key (what the
 * toolkit derives), a commit and a run id. The same seed gives the same rows.
 */
final class ScaleData {
    static final int MODELS = 60;
    static final int DATASETS = 5;
    static final String[] ENVIRONMENTS = {"ci", "nightly", "gpu"};
    static final int SERIES = MODELS * DATASETS * ENVIRONMENTS.length;
    /** The columns {@link #copyInto} fills, in this order. */
    static final String COLUMNS = "idempotency_key, model_version, dataset_version, prompt_version, environment, "
            + "model_provider, metrics, run_at, recorded_at, commit_sha, branch, run_id, triggered_by";

    private final long seed;
    private final Instant end;
    private final Instant start;

    ScaleData(long seed, Instant end) {
        this.seed = seed;
        this.end = end;
        this.start = end.minus(365, ChronoUnit.DAYS);
    }

    Instant end() {
        return end;
    }

    static String model(int s) {
        return String.format(Locale.ROOT, "model-%03d", s % MODELS);
    }

    static String dataset(int s) {
        return "dataset-" + (s / MODELS) % DATASETS;
    }

    static String environment(int s) {
        return ENVIRONMENTS[s / (MODELS * DATASETS)];
    }

    /** One result: the series index and the five metric values, drawn from {@code rnd}. */
    record Row(long i, int series, Instant runAt, double precision, double recall, double f1, double latency, double cost) {
        String key(String prefix) {
            return "sha256:" + sha256(prefix + i);
        }

        String metricsJson() {
            return String.format(Locale.ROOT,
                    "{\"precision\": %.5f, \"recall\": %.5f, \"f1\": %.5f, \"latency_ms\": %.2f, \"cost\": %.6f}",
                    precision, recall, f1, latency, cost);
        }

        /** The result as the API's JSON. */
        String json(String prefix) {
            return "{\"idempotency_key\":\"" + key(prefix) + "\",\"model_version\":\"" + model(series)
                    + "\",\"dataset_version\":\"" + dataset(series) + "\",\"environment\":\"" + environment(series)
                    + "\",\"run_at\":\"" + runAt + "\",\"commit_sha\":\"" + commit(i) + "\",\"run_id\":\"" + prefix + i
                    + "\",\"metrics\":" + metricsJson() + "}";
        }

        /** The result as a line of COPY text format in {@link #COLUMNS} order. */
        String copyLine(String prefix) {
            return key(prefix) + '\t' + model(series) + '\t' + dataset(series) + "\t\t" + environment(series)
                    + "\tbench\t" + metricsJson() + '\t' + runAt + '\t' + runAt + '\t' + commit(i) + "\tmain\t"
                    + prefix + i + "\tscale\n";
        }
    }

    /** The {@code i}-th of {@code n} results over the year, in time order. */
    Row row(long i, long n) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + i);
        int series = rnd.nextInt(SERIES);
        long span = end.getEpochSecond() - start.getEpochSecond();
        Instant runAt = Instant.ofEpochSecond(start.getEpochSecond() + span * i / n + rnd.nextInt(60));
        // Each series has its own level; runs scatter around it.
        double level = (series % 17) / 200.0;
        double precision = clamp(0.85 + level + rnd.nextGaussian() * 0.01);
        double recall = clamp(0.80 + level + rnd.nextGaussian() * 0.01);
        double f1 = clamp(2 * precision * recall / (precision + recall));
        double latency = 300 + (series % 13) * 20 + Math.abs(rnd.nextGaussian() * 15);
        double cost = 0.002 + (series % 7) / 1000.0 + Math.abs(rnd.nextGaussian() * 0.0002);
        return new Row(i, series, runAt, precision, recall, f1, latency, cost);
    }

    /** A row for a new result at {@code runAt} (for pushes after the bulk). */
    Row fresh(long i, Instant runAt) {
        Row r = row(i, Long.MAX_VALUE);
        return new Row(i, r.series(), runAt, r.precision(), r.recall(), r.f1(), r.latency(), r.cost());
    }

    /** COPYs results {@code from..to-1} of {@code n} into {@code table} ({@link #COLUMNS}) in constant memory. */
    void copyInto(Connection c, String table, long from, long to, long n, String prefix) throws SQLException {
        copyInto(c, table, from, to, i -> row(i, n), prefix);
    }

    /** COPYs the rows {@code rows} gives for {@code from..to-1} into {@code table} ({@link #COLUMNS}) in constant memory. */
    void copyInto(Connection c, String table, long from, long to, java.util.function.LongFunction<Row> rows, String prefix)
            throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " (" + COLUMNS + ") FROM STDIN");
        try {
            StringBuilder buf = new StringBuilder(1 << 20);
            for (long i = from; i < to; i++) {
                buf.append(rows.apply(i).copyLine(prefix));
                if (buf.length() > (1 << 20) - 1024) {
                    byte[] bytes = buf.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    buf.setLength(0);
                }
            }
            byte[] bytes = buf.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    static String commit(long i) {
        return String.format(Locale.ROOT, "%040x", i * 2654435761L);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
