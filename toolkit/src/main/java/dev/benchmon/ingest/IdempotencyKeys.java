package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Idempotency keys: the one given, or one derived from the run's identity so that a CI retry of the
 * same run never creates a duplicate.
 */
public final class IdempotencyKeys {
    private IdempotencyKeys() {
    }

    /**
     * The key to store for a result: its own key; else, when it names a CI run ({@code run_id}) or an
     * explicit {@code run_at}, a SHA-256 over run id, series, run_at and metrics; else {@code null}
     * (the database then assigns a random key: without any identity there is nothing to deduplicate by).
     */
    public static String keyFor(BenchmarkResult r) {
        if (r.idempotencyKey() != null) {
            return r.idempotencyKey();
        }
        if (r.runId() == null && r.runAt() == null) {
            return null;
        }
        StringBuilder canonical = new StringBuilder("benchmon/v1");
        field(canonical, r.runId());
        field(canonical, r.modelVersion());
        field(canonical, r.datasetVersion());
        field(canonical, r.promptVersion());
        field(canonical, r.environment());
        field(canonical, r.runAt() == null ? null : r.runAt().toString());
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) { // sorted by name
            field(canonical, m.getKey() + "=" + Double.toString(m.getValue()));
        }
        return "sha256:" + sha256(canonical.toString());
    }

    private static void field(StringBuilder sb, String value) {
        // Length-prefixed so that no two different field lists give the same string.
        if (value == null) {
            sb.append("|-");
        } else {
            sb.append('|').append(value.length()).append(':').append(value);
        }
    }

    private static String sha256(String s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
