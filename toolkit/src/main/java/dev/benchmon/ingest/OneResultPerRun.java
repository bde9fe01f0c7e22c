package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Refuses two different results of one run of a series in one delivery (a request, a pushed or imported file, an
 * import chunk). A run is its run key: series, {@code run_id} and {@code run_at} (or none); a result without a run_id
 * has none. The database numbers a run's attempts per transaction, so both would be stored as attempt 1 and the
 * second judged against the first: a run compared with itself (a CSV appended to twice, a re-run logged into the same
 * file). Which of them is the run cannot be told from one delivery, so neither is stored, as a key re-sent with other
 * values is refused (docs/INPUT.md). A re-run sent in a delivery of its own is the run's next attempt and supersedes it.
 * The same result twice (the same idempotency key) is no conflict: it is stored once.
 */
public final class OneResultPerRun {
    private final Map<List<String>, Seen> runs = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    private record Seen(int index, String key) {
    }

    /**
     * Refuses {@code results} (one delivery) when two of them are different results of one run.
     *
     * @param offset the index of {@code results}' first result in the delivery, for the problems
     * @throws ValidationException naming each later result (field {@code run_id}) and the one before it
     */
    public static void require(List<BenchmarkResult> results, int offset) {
        OneResultPerRun check = new OneResultPerRun();
        for (int i = 0; i < results.size(); i++) {
            check.add(results.get(i), offset + i);
        }
        check.requireNone();
    }

    private void add(BenchmarkResult result, int index) {
        if (result.runId() == null) {
            return;
        }
        List<String> run = Arrays.asList(result.modelVersion(), result.datasetVersion(), result.promptVersion(),
                result.environment(), result.runId(), result.runAt() == null ? null : result.runAt().toString());
        Seen now = new Seen(index, IdempotencyKeys.storedForm(IdempotencyKeys.keyFor(result)));
        Seen before = runs.putIfAbsent(run, now);
        if (before != null && !before.key().equals(now.key())) {
            problems.add(new Problem(index, "run_id", "result [" + index + "] and result [" + before.index()
                    + "] are two different results of one run (" + result.series() + ", run_id " + result.runId()
                    + (result.runAt() == null ? "" : ", run_at " + result.runAt()) + "): a run has one result per "
                    + "series, and the second would be judged against the first. Keep the one that is the run; send a "
                    + "re-run on its own (it is stored as the run's next attempt), or give each result its own run_id "
                    + "or run_at"));
        }
    }

    private void requireNone() {
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
    }
}
