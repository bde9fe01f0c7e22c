package dev.benchmon.ingest;

import dev.benchmon.ValidationException.Problem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The rules a result must meet before it is stored. One problem per rule broken, each naming its field. */
public final class ResultValidator {
    /** Longest accepted name (model, dataset, prompt, provider, environment, branch, run id, ...). */
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_NOTES_LENGTH = 10_000;
    public static final int MAX_METRICS = 200;
    public static final int MAX_TAGS = 50;
    public static final int MAX_METRIC_NAME_LENGTH = 200;
    /** Clock skew tolerated for run_at in the future. */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofDays(1);

    /**
     * Names of the fixed columns of the query tables (snapshots, history): a metric cannot take one,
     * or its column would collide with it.
     */
    public static final Set<String> RESERVED_METRIC_NAMES = Set.of("id", "run_at", "recorded_at", "model_version",
            "dataset_version", "prompt_version", "environment", "model_provider", "commit_sha", "branch", "run_id",
            "triggered_by", "tags", "notes", "metadata", "idempotency_key", "run_count", "first_seen", "last_seen",
            "transaction_id");

    private ResultValidator() {
    }

    /** Every problem with these values; empty when they make a valid result. */
    public static List<Problem> problems(String modelVersion, String datasetVersion, String promptVersion,
                                         String modelProvider, String environment, Map<String, Double> metrics,
                                         Instant runAt, String commitSha, String branch, String runId,
                                         String triggeredBy, Map<String, String> tags, String notes,
                                         String idempotencyKey) {
        List<Problem> problems = new ArrayList<>();
        required(problems, "model_version", modelVersion);
        required(problems, "dataset_version", datasetVersion);
        text(problems, "prompt_version", promptVersion, MAX_NAME_LENGTH);
        text(problems, "model_provider", modelProvider, MAX_NAME_LENGTH);
        text(problems, "environment", environment, MAX_NAME_LENGTH);
        text(problems, "commit_sha", commitSha, MAX_NAME_LENGTH);
        text(problems, "branch", branch, MAX_NAME_LENGTH);
        text(problems, "run_id", runId, MAX_NAME_LENGTH);
        text(problems, "triggered_by", triggeredBy, MAX_NAME_LENGTH);
        text(problems, "notes", notes, MAX_NOTES_LENGTH);
        if (idempotencyKey != null && idempotencyKey.isBlank()) {
            problems.add(Problem.of("idempotency_key", "must not be blank; leave it out to have one derived"));
        } else {
            text(problems, "idempotency_key", idempotencyKey, MAX_NAME_LENGTH);
        }
        metrics(problems, metrics);
        tags(problems, tags);
        if (runAt != null) {
            if (runAt.isAfter(Instant.now().plus(MAX_FUTURE_SKEW))) {
                problems.add(Problem.of("run_at", "is more than a day in the future (" + runAt
                        + "); send UTC times, e.g. 2026-01-31T12:00:00Z"));
            } else if (runAt.isBefore(Instant.EPOCH)) {
                problems.add(Problem.of("run_at", "is before 1970 (" + runAt + ")"));
            }
        }
        return problems;
    }

    /**
     * Problems with the optional uncertainty of a result: every {@code stderr} and {@code n} entry
     * must name a metric of the result; a standard error is finite and {@code >= 0}; {@code n} is
     * {@code >= 1}.
     */
    public static List<Problem> uncertaintyProblems(Map<String, Double> metrics, Map<String, Double> stderr,
                                                    Map<String, Long> sampleSizes) {
        List<Problem> problems = new ArrayList<>();
        stderr.forEach((name, value) -> {
            if (metrics == null || !metrics.containsKey(name)) {
                problems.add(Problem.of("stderr." + name, "names no metric of this result (metrics: "
                        + (metrics == null ? "" : String.join(", ", metrics.keySet())) + ")"));
            } else if (value == null || value.isNaN() || value.isInfinite() || value < 0) {
                problems.add(Problem.of("stderr." + name, "must be a finite number >= 0, got " + value));
            }
        });
        sampleSizes.forEach((name, value) -> {
            if (metrics == null || !metrics.containsKey(name)) {
                problems.add(Problem.of("n." + name, "names no metric of this result (metrics: "
                        + (metrics == null ? "" : String.join(", ", metrics.keySet())) + ")"));
            } else if (value == null || value < 1) {
                problems.add(Problem.of("n." + name, "must be a whole number >= 1, got " + value));
            }
        });
        return problems;
    }

    /**
     * Problems with a metric name alone (used when defining metrics): any text of 1 to
     * {@value #MAX_METRIC_NAME_LENGTH} characters without control characters, kept exactly as tools
     * write it ({@code acc,none}, {@code eval/loss}, {@code tests/test_x.py::test_y[param]}, {@code 精度}),
     * except the names of the query tables' fixed columns.
     */
    public static List<Problem> metricNameProblems(String field, String name) {
        List<Problem> problems = new ArrayList<>();
        if (name == null || name.isBlank()) {
            problems.add(Problem.of(field, "is required"));
        } else if (name.codePointCount(0, name.length()) > MAX_METRIC_NAME_LENGTH) {
            problems.add(Problem.of(field, "is longer than " + MAX_METRIC_NAME_LENGTH + " characters"));
        } else if (name.codePoints().anyMatch(Character::isISOControl)) {
            problems.add(Problem.of(field, "must not contain control characters (tab, line break, NUL, ...)"));
        } else if (RESERVED_METRIC_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            problems.add(Problem.of(field, "'" + name + "' is reserved: it names a column of the query tables; "
                    + "rename the metric, e.g. " + name + "_value"));
        }
        return problems;
    }

    private static void metrics(List<Problem> problems, Map<String, Double> metrics) {
        if (metrics == null || metrics.isEmpty()) {
            problems.add(Problem.of("metrics", "must hold at least one metric, e.g. {\"f1\": 0.9}"));
            return;
        }
        if (metrics.size() > MAX_METRICS) {
            problems.add(Problem.of("metrics", "holds " + metrics.size() + " metrics; at most " + MAX_METRICS));
        }
        Map<String, String> byLowerCase = new HashMap<>();
        metrics.forEach((name, value) -> {
            problems.addAll(metricNameProblems("metrics." + name, name));
            String other = byLowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (other != null) {
                problems.add(Problem.of("metrics." + name, "differs from metrics." + other
                        + " only in case; metric names are case-insensitive in tables: use one name"));
            }
            if (value == null) {
                problems.add(Problem.of("metrics." + name, "must be a number, got null"));
            } else if (value.isNaN() || value.isInfinite()) {
                problems.add(Problem.of("metrics." + name, "must be a finite number, got " + value));
            }
        });
    }

    private static void tags(List<Problem> problems, Map<String, String> tags) {
        if (tags == null) {
            return;
        }
        if (tags.size() > MAX_TAGS) {
            problems.add(Problem.of("tags", "holds " + tags.size() + " tags; at most " + MAX_TAGS));
        }
        tags.forEach((k, v) -> {
            if (k == null || k.isBlank()) {
                problems.add(Problem.of("tags", "a tag name must not be blank"));
            } else {
                text(problems, "tags." + k, k, 64);
                if (v == null) {
                    problems.add(Problem.of("tags." + k, "must have a value (use \"\" for none)"));
                } else {
                    text(problems, "tags." + k, v, MAX_NAME_LENGTH);
                }
            }
        });
    }

    private static void required(List<Problem> problems, String field, String value) {
        if (value == null) {
            problems.add(Problem.of(field, "is required"));
        } else if (value.isBlank()) {
            problems.add(Problem.of(field, "must not be blank"));
        } else {
            text(problems, field, value, MAX_NAME_LENGTH);
        }
    }

    private static void text(List<Problem> problems, String field, String value, int maxLength) {
        if (value == null) {
            return;
        }
        if (value.length() > maxLength) {
            problems.add(Problem.of(field, "is " + value.length() + " characters long; at most " + maxLength));
        }
        if (value.indexOf('\0') >= 0) {
            problems.add(Problem.of(field, "must not contain the NUL character (\\u0000)"));
        }
    }
}
