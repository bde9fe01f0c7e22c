package dev.benchmon.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.benchmon.BenchmarkResult;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Idempotency keys: the one given, or one derived from the result so that sending the same result
 * again (a CI retry, a re-sent file, the README's curl example run twice) never stores it twice.
 */
public final class IdempotencyKeys {
    private IdempotencyKeys() {
    }

    /**
     * The key to store for a result, never {@code null}:
     * <ol>
     *   <li>its own {@code idempotency_key};</li>
     *   <li>else, when it names a CI run ({@code run_id}) or an explicit {@code run_at}, a SHA-256 over
     *       run id, series, run_at and metrics ({@code sha256:...}; unchanged since version 1, so keys
     *       of results stored before stay the same);</li>
     *   <li>else a SHA-256 over its whole content ({@code content:sha256:...}): series, metrics, stderr,
     *       n, provider, commit, branch, triggered_by, tags, notes and metadata. An identical re-send is
     *       recognised; two results that differ in anything are both stored. The price: two separate
     *       runs with exactly the same numbers and context and no run_id or run_at are stored once; give
     *       them a run_id or run_at to keep both.</li>
     * </ol>
     * A key given in the stored form ({@link #storedForm}, a UUID, as history and exports show every key) of the key
     * benchmon derives (2 or 3) for this very result is that derived key: an exported result imported into a database
     * holds the key its first push derived, and is judged as a re-send of a derived key (not compared), wherever it
     * was stored first. The run_at an export adds to a result pushed without one is left out of that derivation, and a
     * key derived with run_at a microsecond earlier is that key too ({@link #keyedAsReadBefore}).
     */
    public static String keyFor(BenchmarkResult r) {
        if (r.idempotencyKey() != null) {
            return derivedOrGiven(r);
        }
        // run_at_sent false: a run keyed without its run_at (runKeyRunAt null), its key derived without it too (a tool's
        // file with a context run id has its key fixed beforehand, AdaptedResults.ciRunOfToolTime)
        return derived(r, r.runKeyRunAt());
    }

    /**
     * The result's own key, or the key benchmon derives for it when the own key is that key's stored form: derived
     * with the result's run_at, or without it (a result pushed without run_at got one from the database, which its
     * export holds).
     */
    private static String derivedOrGiven(BenchmarkResult r) {
        String given = r.idempotencyKey();
        if (!UUID_TEXT.matcher(given).matches()) {
            return given;
        }
        String stored = given.toLowerCase(Locale.ROOT);
        if (r.runId() != null || r.runAt() != null) {
            String withRunAt = derived(r, r.runAt());
            if (storedForm(withRunAt).equals(stored)) {
                return withRunAt;
            }
        }
        // Also for a whole second: .9999996 is read up to the next second now, and was read as .999999 before.
        if (r.runAt() != null) {
            String readBefore = derived(r, r.runAt().minus(1, ChronoUnit.MICROS));
            if (storedForm(readBefore).equals(stored)) {
                return readBefore;
            }
        }
        String withoutRunAt = derived(r, null);
        return storedForm(withoutRunAt).equals(stored) ? withoutRunAt : given;
    }

    /**
     * {@code r}, which has no key of its own, with the stored form of the key versions before this one derived for it,
     * where they read its file as {@code asReadBefore} (the same result with the run_at or metrics they read) and that
     * key differs; otherwise {@code r} itself. What they read otherwise: a microsecond earlier, about half of the epoch
     * seconds with a fraction that lm-evaluation-harness ({@code date}) and W&amp;B ({@code _timestamp}) write (double
     * arithmetic cut {@code 1716392345.123} to {@code .122999}); no run_at at all for a text date or {@code 0}, which
     * they ignored (the key derived without run_at). (Google Benchmark times in the unit the file reported, now in ns,
     * take {@link #keyedAsDerivedBefore}.)
     *
     * <p>Why: run_at and metrics are part of the key derived for a result without key or run id (these tools name no
     * run). Derived from the values read now, the key of such a result would differ from the one stored before, and
     * re-importing a file imported before would store it a second time. So the result keeps the key derived from what
     * was read before, whether or not the database holds it: the same file gives the same key in every version and
     * every database (an export moved between databases, {@code push --verify}, a push over HTTP, which sends the key),
     * without a lookup and without rewriting stored rows, which keep what they were stored with. The key is given as
     * its stored form (a UUID, as an export holds it). {@link #keyFor} reads one derived with run_at a microsecond
     * earlier, or with none, as that derived key: re-sent, it is answered "already present" like any derived key.
     * A copy changed afterwards ({@code withMetric}) no longer derives it, and is compared with the stored result. A
     * result every version reads the same derives its key as before, at no cost.
     */
    public static BenchmarkResult keyedAsReadBefore(BenchmarkResult r, BenchmarkResult asReadBefore) {
        if (r.idempotencyKey() != null || asReadBefore.idempotencyKey() != null) {
            return r;
        }
        String before = derived(asReadBefore, asReadBefore.runAt());
        return before.equals(derived(r, r.runAt())) ? r : r.toBuilder().idempotencyKey(storedForm(before)).build();
    }

    /**
     * {@code r}, which has no key of its own, with the key versions before this one derived for it where they read its
     * file as {@code asReadBefore}, and that key differs; otherwise {@code r} itself. What they read otherwise: Google
     * Benchmark's times in the unit the file reported (now in ns) and its {@code iterations} (now one repetition's, then
     * the mean aggregate's; metadata is part of the key only of a result without run_id or run_at, keyed by its whole
     * content). Unlike {@link #keyedAsReadBefore} the key is given as derived ({@code sha256:...},
     * {@code content:sha256:...}), not in its stored form, which {@link #keyFor} could not tell from a key of the
     * sender's (it derives with the values read now): a derived key is not compared with its stored result. So the
     * same report pushed again is answered "already present" also when its context changed (a CI re-run's
     * {@code triggered_by}), as a report in ns is, and the file an earlier version stored, with its times in the unit
     * reported and the old iterations, is answered "already present" (the same measurement), not refused, never stored
     * twice.
     */
    public static BenchmarkResult keyedAsDerivedBefore(BenchmarkResult r, BenchmarkResult asReadBefore) {
        if (r.idempotencyKey() != null || asReadBefore.idempotencyKey() != null) {
            return r;
        }
        String before = derived(asReadBefore, asReadBefore.runAt());
        return before.equals(derived(r, r.runAt())) ? r : r.toBuilder().idempotencyKey(before).build();
    }

    /**
     * The key of a result object, as read, that has no key of its own and whose metrics a selection is about to trim
     * ({@code benchmon push} and {@code import} with {@code --metrics}): derived from its run id, names, run_at as
     * written and every metric it holds before the trim (names and values as written), so that the same file read with
     * another selection gives the same key. Re-sent with fewer metrics it is then answered "already present", with
     * more it is refused as a key re-sent with other values: a result is never stored twice for being trimmed
     * otherwise. (Read without a selection, a result derives its usual key, which differs.)
     *
     * @param result a result object in benchmon's JSON shape ({@code ResultJson#FIELDS})
     * @return {@code selected:sha256:} and 64 hex digits
     */
    public static String beforeSelection(com.fasterxml.jackson.databind.JsonNode result) {
        StringBuilder canonical = new StringBuilder("benchmon/selected/v1");
        for (String f : new String[] {"run_id", "model_version", "dataset_version", "prompt_version", "environment", "run_at"}) {
            com.fasterxml.jackson.databind.JsonNode v = result.get(f);
            field(canonical, v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString());
        }
        Map<String, String> metrics = new TreeMap<>();
        result.path("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().toString()));
        metrics.forEach((name, value) -> field(canonical, name + "=" + value));
        return "selected:sha256:" + sha256(canonical.toString());
    }

    /** The key benchmon derives for the result as if it had no key of its own and {@code runAt} as its run_at. */
    private static String derived(BenchmarkResult r, Instant runAt) {
        if (r.runId() == null && runAt == null) {
            return contentKey(r);
        }
        StringBuilder canonical = new StringBuilder("benchmon/v1");
        field(canonical, r.runId());
        field(canonical, r.modelVersion());
        field(canonical, r.datasetVersion());
        field(canonical, r.promptVersion());
        field(canonical, r.environment());
        field(canonical, runAt == null ? null : runAt.toString());
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) { // sorted by name
            field(canonical, m.getKey() + "=" + Double.toString(m.getValue()));
        }
        return "sha256:" + sha256(canonical.toString());
    }

    /**
     * The form in which the database stores a key (schema v2, {@code benchmark_key_uuid} in
     * {@code V13__log_v2.sql}) and shows it in {@code idempotency_key}: a key that is a UUID, as that
     * UUID in lower case; any other key, as the first 16 bytes of the SHA-256 of its UTF-8 bytes,
     * written as a UUID. Re-sending a stored key in this form finds the same result.
     */
    public static String storedForm(String key) {
        if (UUID_TEXT.matcher(key).matches()) {
            return key.toLowerCase(Locale.ROOT);
        }
        String hex = sha256(key).substring(0, 32);
        return hex.substring(0, 8) + '-' + hex.substring(8, 12) + '-' + hex.substring(12, 16) + '-'
                + hex.substring(16, 20) + '-' + hex.substring(20);
    }

    private static final Pattern UUID_TEXT =
            Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * Whether {@code key} (as {@link #keyFor} gives it) is one benchmon derives ({@code sha256:...},
     * {@code content:sha256:...}): re-sent, such a key is not compared with its stored result (see
     * {@code ingest_staged_results}).
     */
    public static boolean isDerived(String key) {
        return key.startsWith("sha256:") || key.startsWith("content:sha256:");
    }

    /**
     * {@code true} when this result carries a key of its own: one its sender chose, which a re-send of it is compared
     * under (refused with other values: {@link OneResultPerRun}, {@code ingest_staged_results}). Not a key benchmon
     * derives ({@link #isDerived} of {@link #keyFor}): neither the stored form of a derived key (an export's copy, the
     * key an adapter gives a result whose run_at earlier versions read a microsecond earlier, {@link #keyedAsReadBefore})
     * nor a derived key given as it is, such as the one an adapter fixes for a tool's result of a CI run keyed without
     * the tool's time ({@code AdaptedResults.ciRunOfToolTime}) or the key of a file as versions before read it
     * ({@link #keyedAsDerivedBefore}).
     */
    public static boolean hasOwnKey(BenchmarkResult r) {
        return r.idempotencyKey() != null && !isDerived(keyFor(r));
    }

    /** {@code true} when the key of this result comes from its content alone (no key, run_id or run_at). */
    public static boolean isContentKeyed(BenchmarkResult r) {
        return r.idempotencyKey() == null && r.runId() == null && r.runKeyRunAt() == null;
    }

    private static String contentKey(BenchmarkResult r) {
        StringBuilder canonical = new StringBuilder("benchmon/content/v1");
        field(canonical, r.modelVersion());
        field(canonical, r.datasetVersion());
        field(canonical, r.promptVersion());
        field(canonical, r.environment());
        field(canonical, r.modelProvider());
        field(canonical, r.commitSha());
        field(canonical, r.branch());
        field(canonical, r.triggeredBy());
        field(canonical, r.notes());
        map(canonical, "metrics", r.metrics());
        map(canonical, "stderr", r.stderr());
        map(canonical, "n", r.sampleSizes());
        map(canonical, "tags", r.tags());
        // Metadata as canonical JSON: keys sorted at every level, so key order does not matter.
        field(canonical, r.metadata().isEmpty() ? null : canonicalJson(r.metadata()));
        return "content:sha256:" + sha256(canonical.toString());
    }

    private static void map(StringBuilder sb, String name, Map<String, ?> values) {
        field(sb, name + "#" + values.size());
        new TreeMap<>(values).forEach((k, v) -> {
            field(sb, k);
            field(sb, v instanceof Double d ? Double.toString(d) : String.valueOf(v));
        });
    }

    private static String canonicalJson(Map<String, Object> metadata) {
        try {
            return ResultJson.mapper().copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                    .writeValueAsString(ResultJson.mapper().convertValue(metadata, TreeMap.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata is not JSON: " + e.getMessage(), e);
        }
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
