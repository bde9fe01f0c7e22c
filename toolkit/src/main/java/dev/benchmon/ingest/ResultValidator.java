package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.ResultPlace;
import dev.benchmon.ValidationException.Problem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The rules a result must meet before it is stored. One problem per rule broken, each naming its field. */
public final class ResultValidator {
    /** Longest accepted name (model, dataset, prompt, provider, environment, branch, run id, ...). */
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_NOTES_LENGTH = 10_000;
    /**
     * Most metrics of one result: each metric name is a column of the query tables (a history's columns are its
     * rows' metric names) and a chart of the Trends page, and a history answer holds up to 5,000 rows of metrics in
     * memory (about 28 MB at 200 each; see {@code ResultStream}). A tool's summary that holds more (a W&B run's, with
     * its system and gradient metrics) is sent with the metrics to track: {@code push} and {@code import} select them
     * with {@code --metrics}.
     */
    public static final int MAX_METRICS = 200;
    public static final int MAX_TAGS = 50;
    /**
     * Largest magnitude of a metric value or standard error: the daily rollups keep sums of squares in double
     * precision, which overflow beyond about 1e154 (and then refuse every later value of the series and fail the
     * trends over it); 1e100 leaves room for the sums of millions of results and any unit ML work measures in.
     */
    public static final double MAX_MAGNITUDE = 1e100;
    /** Longest metric name, in characters (code points). */
    public static final int MAX_METRIC_NAME_LENGTH = TextRules.MAX_NAME_LENGTH;
    /** Clock skew tolerated for run_at in the future. */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofDays(1);


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
        // "" is the stored form of "no prompt" (what an absent prompt_version becomes), so it is not refused as blank.
        text(problems, "prompt_version", promptVersion, MAX_NAME_LENGTH);
        optional(problems, "model_provider", modelProvider, "omit it or give the provider");
        optional(problems, "environment", environment, environmentAdvice(BenchmarkResult.DEFAULT_ENVIRONMENT));
        optional(problems, "commit_sha", commitSha, "omit it or give the commit");
        optional(problems, "branch", branch, "omit it or give the branch");
        optional(problems, "run_id", runId, "omit it or give the run's id");
        optional(problems, "triggered_by", triggeredBy, "omit it or give who started the run");
        text(problems, "notes", notes, MAX_NOTES_LENGTH);
        optional(problems, "idempotency_key", idempotencyKey, "leave it out to have one derived");
        visible(problems, "model_version", modelVersion);
        visible(problems, "dataset_version", datasetVersion);
        visible(problems, "prompt_version", promptVersion);
        visible(problems, "environment", environment);
        metrics(problems, metrics);
        tags(problems, tags);
        String when = runAtProblem(runAt);
        if (when != null) {
            problems.add(Problem.of("run_at", when));
        }
        return problems;
    }

    /**
     * How a blank {@code environment} is refused, naming the environment a result that leaves it out is stored in:
     * {@link BenchmarkResult#DEFAULT_ENVIRONMENT} for this validator (the toolkit, the API), which a caller that
     * gives results another default (push's {@code ci} where {@code CI=true}) puts in its place.
     */
    public static String blankEnvironment(String defaultEnvironment) {
        return blank(environmentAdvice(defaultEnvironment));
    }

    private static String environmentAdvice(String defaultEnvironment) {
        return "leave it out for the default environment, " + defaultEnvironment;
    }

    /**
     * What is wrong with a run_at, or null when nothing (or when it is null): more than {@link #MAX_FUTURE_SKEW} in
     * the future, or before 1970. Also for a tool's own time field that becomes run_at, so that the refusal names it.
     */
    public static String runAtProblem(Instant runAt) {
        if (runAt == null) {
            return null;
        }
        if (runAt.isAfter(Instant.now().plus(MAX_FUTURE_SKEW))) {
            return "is more than a day in the future (" + runAt + "); send UTC times, e.g. 2026-01-31T12:00:00Z";
        }
        return runAt.isBefore(Instant.EPOCH) ? "is before 1970 (" + runAt + ")" : null;
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
                problems.add(Problem.of(ResultPlace.key("stderr", name), "names no metric of this result (metrics: "
                        + (metrics == null ? "" : String.join(", ", metrics.keySet().stream().map(ResultPlace::name).toList())) + ")"));
            } else if (value == null || value.isNaN() || value.isInfinite() || value < 0) {
                problems.add(Problem.of(ResultPlace.key("stderr", name), "must be a finite number >= 0, got " + value));
            } else if (value > MAX_MAGNITUDE) {
                problems.add(tooLarge(ResultPlace.key("stderr", name), value));
            }
        });
        sampleSizes.forEach((name, value) -> {
            if (metrics == null || !metrics.containsKey(name)) {
                problems.add(Problem.of(ResultPlace.key("n", name), "names no metric of this result (metrics: "
                        + (metrics == null ? "" : String.join(", ", metrics.keySet().stream().map(ResultPlace::name).toList())) + ")"));
            } else if (value == null || value < 1) {
                problems.add(Problem.of(ResultPlace.key("n", name), "must be a whole number >= 1, got " + value));
            }
        });
        return problems;
    }

    /**
     * Problems with a metric name alone: the {@link TextRules} name rule (any Unicode text of 1 to 200
     * characters without control characters, lone surrogates or surrounding whitespace). Names are kept
     * exactly as sent; a name that equals a fixed column of a query table ({@code run_at}, ...) is allowed
     * and gets a prefixed column name there (see {@code dev.benchmon.query.MetricColumns}).
     */
    public static List<Problem> metricNameProblems(String field, String name) {
        return TextRules.nameProblems(field, name);
    }

    /**
     * Problems with a metric name as a push checks it: {@link #metricNameProblems} and no invisible format character
     * ({@link TextRules#formatCharacter}, e.g. U+200B). What defining or describing a metric checks, so that a name
     * accepted there can also be pushed.
     */
    public static List<Problem> storableMetricNameProblems(String field, String name) {
        List<Problem> problems = new ArrayList<>(metricNameProblems(field, name));
        visible(problems, field, name);
        return problems;
    }

    private static void metrics(List<Problem> problems, Map<String, Double> metrics) {
        if (metrics == null || metrics.isEmpty()) {
            problems.add(Problem.of("metrics", "must hold at least one metric, e.g. {\"f1\": 0.9}"));
            return;
        }
        if (metrics.size() > MAX_METRICS) {
            problems.add(Problem.of("metrics", "holds " + metrics.size() + " metrics; a result holds at most "
                    + MAX_METRICS + ": send the metrics to track (benchmon push and import keep those matching "
                    + "--metrics PATTERN[,PATTERN...], e.g. --metrics 'eval/*,loss')"));
        }
        Map<String, String> byLowerCase = new HashMap<>();
        metrics.forEach((name, value) -> {
            problems.addAll(storableMetricNameProblems(ResultPlace.key("metrics", name), name));
            String other = byLowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (other != null) {
                problems.add(Problem.of(ResultPlace.key("metrics", name), "differs from " + ResultPlace.key("metrics", other)
                        + " only in case; one result may not hold both (table columns are case-insensitive): use one name"));
            }
            if (value == null) {
                problems.add(Problem.of(ResultPlace.key("metrics", name), "must be a number, got null"));
            } else if (value.isNaN() || value.isInfinite()) {
                problems.add(Problem.of(ResultPlace.key("metrics", name), "must be a finite number, got " + value));
            } else if (Math.abs(value) > MAX_MAGNITUDE) {
                problems.add(tooLarge(ResultPlace.key("metrics", name), value));
            }
        });
    }

    private static Problem tooLarge(String field, double value) {
        return tooLarge(field, String.valueOf(value));
    }

    /** The problem with a value beyond {@link #MAX_MAGNITUDE}, given as {@code value} (as written, where it is known). */
    static Problem tooLarge(String field, String value) {
        return Problem.of(field, "must be at most 1e100 in magnitude, got " + value + " (a value this large is a unit "
                + "or parsing mistake; the rollups could not add it up)");
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
                text(problems, ResultPlace.key("tags", k), k, 64);
                if (v == null) {
                    problems.add(Problem.of(ResultPlace.key("tags", k), "must have a value (use \"\" for none)"));
                } else {
                    text(problems, ResultPlace.key("tags", k), v, MAX_NAME_LENGTH);
                }
            }
        });
    }

    /** Refuses an invisible format character in a name results are stored under ({@link TextRules#formatCharacter}). */
    private static void visible(List<Problem> problems, String field, String value) {
        String format = value == null ? null : TextRules.formatCharacter(value);
        if (format != null) {
            problems.add(Problem.of(field, format));
        }
    }

    private static void required(List<Problem> problems, String field, String value) {
        if (value == null) {
            problems.add(Problem.of(field, "is required"));
        } else if (value.isBlank()) {
            problems.add(Problem.of(field, "must not be blank"));
        } else {
            problems.addAll(TextRules.nameProblems(field, value));
        }
    }

    /**
     * An optional name: absent ({@code null}) is fine, but an empty or whitespace-only one is refused with
     * {@code ifBlank} (what to do instead), not stored: a blank commit, branch or run id names nothing, yet would be
     * filtered, grouped and shown as a value of its own.
     */
    private static void optional(List<Problem> problems, String field, String value, String ifBlank) {
        if (value != null && value.isBlank()) {
            problems.add(Problem.of(field, blank(ifBlank)));
        } else {
            text(problems, field, value, MAX_NAME_LENGTH);
        }
    }

    private static String blank(String ifBlank) {
        return "must not be blank; " + ifBlank;
    }

    private static void text(List<Problem> problems, String field, String value, int maxLength) {
        problems.addAll(TextRules.textProblems(field, value, maxLength, maxLength > MAX_NAME_LENGTH));
    }

}
