package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;

/**
 * Refuses two different results of one run of a series in one delivery (a request, a pushed or imported file, an
 * import chunk). A run is its run key: series, {@code run_id} and {@code run_at} (or none, also for a result an export
 * marks {@code "run_at_sent": false}: its run was keyed without the run_at it holds); a result without a run_id has
 * none. The database numbers a run's attempts per transaction, so both would be stored as attempt 1 and the second
 * judged against the first: a run compared with itself (a CSV appended to twice, a re-run logged into the same
 * file). Which of them is the run cannot be told from one delivery, so neither is stored, as a key re-sent with other
 * values is refused (docs/INPUT.md). A re-run sent in a delivery of its own is the run's next attempt and supersedes it.
 * The same result twice (the same idempotency key) is no conflict: it is stored once.
 *
 * <p>{@link #require} also refuses two results of one delivery that share their own {@code idempotency_key} (one given,
 * not derived) when the later one states a value the earlier does not hold: the rule {@code ingest_staged_results}
 * (R__ingest_functions.sql) applies to a key re-sent with other values, checked here before anything is written, so
 * that the refusal names both results instead of a stored result that the rolled-back write had only numbered. The
 * same result twice under one key, or the later with fewer fields (a retry), is stored once, as before.
 *
 * <p>A delivery held in memory is checked at once ({@link #require}); one read a result at a time (an import of any
 * size), or whose results keep numbers of their own (a push whose {@code --metrics} skipped some of its results), is
 * checked by an instance, {@link #add added} each result with its number, which keeps 16 bytes per run key and the run's
 * first result's stored key ({@link #requireNone}), and each idempotency key's stored form with its first result's
 * index, so that results sharing a key of their own are found wherever they are ({@link #sharedKeys}) and compared
 * before anything is written. An instance names the results of its refusals as its caller names them
 * ({@link #OneResultPerRun(LongFunction)}: the CLI by their files).
 */
public final class OneResultPerRun {
    /** Conflicts kept to report; beyond this they are counted ({@link #conflicts()}). */
    public static final int MAX_KEPT = 200;

    /**
     * Pairs of results sharing their own key that {@link #add} keeps for the caller to compare (the comparison needs both
     * results, which a delivery read one at a time no longer holds); the rest is compared by the database as each
     * chunk is written, as before.
     */
    public static final int MAX_SHARED_KEYS_COMPARED = 10_000;

    /**
     * Why a run is keyed without its results' run_at: {@code keyed without the results' run_at: a tool's file whose
     * run_id comes from --run-id, ...}, for the refusals that name such a run.
     */
    public static final String KEYED_WITHOUT_RUN_AT = "keyed without the results' run_at: a tool's file whose run_id "
            + "comes from --run-id, GITHUB_RUN_ID or the run_id parameter is one CI run, whatever times the tool wrote";

    private final Map<ByteBuffer, Seen> runs = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private long conflicts;
    /** Each idempotency key's stored form -> the index of its first result ({@link #add}). */
    private final Map<UUID, Long> keyed = new HashMap<>();
    private final List<SharedKey> sharedKeyPairs = new ArrayList<>();
    /** How the refusals' messages name the result at an index of the delivery. */
    private final LongFunction<String> place;

    /** Names the results of the delivery as every refusal does ({@link dev.benchmon.ResultPlace#named}). */
    public OneResultPerRun() {
        this(OneResultPerRun::place);
    }

    /**
     * @param place how the refusals' messages name the result at an index of the delivery: {@code result 3
     *              (results[2])} by default; a delivery of several files names the file too. The problems stay placed
     *              at the index ({@link Problem#index}) for the caller to place.
     */
    public OneResultPerRun(LongFunction<String> place) {
        this.place = java.util.Objects.requireNonNull(place, "place");
    }

    /**
     * Two results of one delivery under one idempotency key of their own (not one benchmon derives): the later one is
     * refused when it states a value the first does not hold ({@link #sharedKeyConflict}).
     *
     * @param first the index of the key's first result in the delivery
     * @param again the index of a later result under the same key
     */
    public record SharedKey(long first, long again) {
    }

    private record Seen(long index, UUID key) {
    }

    /**
     * Refuses {@code results} (one delivery) when two of them are different results of one run, or share their own
     * idempotency key with other values ({@link ResentValues}). Run keys are computed only for a run seen twice, and a
     * shared key is compared only when seen twice: a delivery of distinct runs (a single POST among them) costs no
     * hashing beyond that of keys that are no UUID.
     *
     * @param offset the index of {@code results}' first result in the delivery, for the problems
     * @throws ValidationException naming each later result (field {@code run_id}, or {@code idempotency_key}) and the
     *                             one before it
     */
    public static void require(List<BenchmarkResult> results, int offset) {
        if (results.size() < 2) {
            return;
        }
        Map<List<String>, Integer> first = new HashMap<>();
        Map<String, Integer> firstOfKey = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            BenchmarkResult result = results.get(i);
            // Only a key of the sender's own is compared (IdempotencyKeys.hasOwnKey; a derived key's stored form is not):
            // told only for a key seen twice, as a UUID's stored form costs no hashing.
            Integer keyedBefore = result.idempotencyKey() == null ? null
                    : firstOfKey.putIfAbsent(IdempotencyKeys.storedForm(result.idempotencyKey()), i);
            if (keyedBefore != null && IdempotencyKeys.hasOwnKey(result)) {
                sharedKeyConflict(results.get(keyedBefore), (long) offset + keyedBefore, result, (long) offset + i,
                        OneResultPerRun::place).ifPresent(problems::add);
            }
            if (result.runId() == null) {
                continue;
            }
            Integer before = first.putIfAbsent(runOf(result), i);
            if (before != null && !storedKey(results.get(before)).equals(storedKey(result))) {
                problems.add(conflict(result, (long) offset + i, (long) offset + before, OneResultPerRun::place));
            }
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
    }

    /**
     * Refuses {@code again} when it shares its own idempotency key with {@code first} (an earlier result of the same
     * delivery) and states a value {@code first} does not hold ({@link ResentValues}); empty when it is the same
     * result, or a retry holding fewer fields.
     *
     * @param place how the message names the result at an index ({@link #OneResultPerRun(LongFunction)})
     * @return the problem, naming {@code again} at {@code againIndex} (field {@code idempotency_key}) and {@code first}
     */
    public static java.util.Optional<Problem> sharedKeyConflict(BenchmarkResult first, long firstIndex,
                                                                 BenchmarkResult again, long againIndex,
                                                                 LongFunction<String> place) {
        List<String> fields = ResentValues.notHeld(first, again);
        if (fields.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Problem((int) Math.min(againIndex, Integer.MAX_VALUE), "idempotency_key",
                place.apply(firstIndex) + " and " + place.apply(againIndex) + " share idempotency_key '"
                        + TextRules.quoted(again.idempotencyKey()) + "' with different " + String.join(", ", fields)
                        + ": a key names one result, so neither is stored. Give each result its own idempotency_key "
                        + "(or leave it out to have one derived), or send only the one to keep"));
    }

    /**
     * Adds the result at {@code index} of a delivery read one result at a time.
     *
     * @return whether it is the later of a pair a refusal may name: a second result of a run ({@link #problems}), or a
     *         result under an idempotency key of its own that an earlier one has ({@link #sharedKeys}, refused if their
     *         values differ); its reader may note where it is (a file's line) for that refusal
     */
    public boolean add(BenchmarkResult result, long index) {
        if (result.idempotencyKey() == null && result.runId() == null) {
            return false;
        }
        boolean later = false;
        // The stored form (16 bytes) of the key, as the database keeps it: two spellings of one UUID are one key. Of a
        // key sent it is the sent key's (keyFor keeps a key sent, or finds it is the stored form of the derived one).
        UUID stored = storedKey(result);
        if (result.idempotencyKey() != null) {
            Long before = keyed.putIfAbsent(stored, index);
            if (before != null && IdempotencyKeys.hasOwnKey(result)
                    && sharedKeyPairs.size() < MAX_SHARED_KEYS_COMPARED) {
                sharedKeyPairs.add(new SharedKey(before, index));
                later = true;
            }
        }
        if (result.runId() == null) {
            return later;
        }
        Seen now = new Seen(index, stored);
        Seen before = runs.putIfAbsent(digest(runOf(result)), now);
        if (before != null && !before.key().equals(now.key())) {
            conflicts++;
            if (problems.size() < MAX_KEPT) {
                problems.add(conflict(result, index, before.index(), place));
                later = true;
            }
        }
        return later;
    }

    /**
     * The first {@value #MAX_SHARED_KEYS_COMPARED} later results {@link #add added} under an idempotency key of their
     * own that an earlier result of the delivery already has, each with that earlier result's index: to be compared
     * with {@link #sharedKeyConflict} once both are read again.
     */
    public List<SharedKey> sharedKeys() {
        return List.copyOf(sharedKeyPairs);
    }

    /**
     * {@link #sharedKeys} compared ({@link #sharedKeyConflict}), for a delivery its caller still holds, added with
     * the indexes it names its results by (a selection may have skipped some, which keep their numbers).
     *
     * @param resultAt the result {@link #add added} at an index
     */
    public List<Problem> sharedKeyConflicts(java.util.function.LongFunction<BenchmarkResult> resultAt) {
        List<Problem> out = new ArrayList<>();
        sharedKeyPairs.forEach(pair -> sharedKeyConflict(resultAt.apply(pair.first()), pair.first(),
                resultAt.apply(pair.again()), pair.again(), place).ifPresent(out::add));
        return out;
    }

    /** How many results {@link #add added} so far are a second result of a run. */
    public long conflicts() {
        return conflicts;
    }

    /** The first {@value #MAX_KEPT} conflicts found by {@link #add}, each naming {@code run_id}. */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /**
     * Refuses the delivery {@link #add added} so far when two of its results are different results of one run.
     *
     * @throws ValidationException naming the first {@value #MAX_KEPT} later results (field {@code run_id})
     */
    public void requireNone() {
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
    }

    private static List<String> runOf(BenchmarkResult result) {
        return Arrays.asList(result.modelVersion(), result.datasetVersion(), result.promptVersion(),
                result.environment(), result.runId(), result.runKeyRunAt() == null ? null : result.runKeyRunAt().toString());
    }

    private static UUID storedKey(BenchmarkResult result) {
        return UUID.fromString(IdempotencyKeys.storedForm(IdempotencyKeys.keyFor(result)));
    }

    /** The first 16 bytes of the SHA-256 of a run key's parts (each length-prefixed; none is -1): a key kept per run. */
    public static ByteBuffer digest(List<String> run) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : run) {
                byte[] bytes = part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(part == null ? -1 : bytes.length).array());
                sha.update(bytes);
            }
            return ByteBuffer.wrap(Arrays.copyOf(sha.digest(), 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static Problem conflict(BenchmarkResult result, long index, long before, LongFunction<String> place) {
        int at = (int) Math.min(index, Integer.MAX_VALUE);
        return new Problem(at, "run_id", place.apply(index) + " and " + place.apply(before)
                + " are two different results of one run (" + result.series() + ", run_id " + result.runId()
                + (result.runKeyRunAt() == null ? "" : ", run_at " + result.runKeyRunAt()) + "): a run has one result per "
                + "series, and the second would be judged against the first. Keep the one that is the run; send a "
                + "re-run on its own (it is stored as the run's next attempt), or give each result its own run_id "
                + "or run_at" + (result.runAtSent() ? "" : " (this run is " + KEYED_WITHOUT_RUN_AT + "; results an export "
                + "marks \"run_at_sent\": false are attempts of one CI run copied by exports taken at different times: "
                + "import each export on its own, the older first)"));
    }

    /** {@code result 3 (results[2])}: a result of the delivery as every refusal names one ({@link dev.benchmon.ResultPlace}). */
    private static String place(long index) {
        return dev.benchmon.ResultPlace.named(index);
    }
}
