package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.IngestWarning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * pytest-benchmark's {@code --benchmark-json=FILE} report (also its saved runs under
 * {@code .benchmarks/}): {@code {"machine_info": {...}, "commit_info": {"id", "branch", "project", ...},
 * "benchmarks": [{"group", "name", "fullname": "tests/test_x.py::test_y[param]", "params",
 * "stats": {"min", "max", "mean", "stddev", "median", "iqr", "q1", "q3", "ops", "rounds",
 * "iterations", ...}}], "datetime": "2026-01-31T12:00:00.123456", "version": "4.0.0"}}.
 * One result per benchmark: its {@code fullname} is the dataset_version (a test id longer than a name may be is
 * shortened, {@link DerivedNames}); its numeric stats are metrics under their own names (times in seconds).
 * <p>One stat is judged: {@code mean}, lower is better. Every other stat is stated direction {@code none}: stored,
 * charted and compared, never a regression. Why: a slowdown moves every timing stat at once ({@code min} ...
 * {@code hd15iqr}, {@code ops}), and judging each opened nine alerts per benchmark for one change. {@code mean} is the
 * one with a noise model ({@code rounds} is its {@code n}, {@code stddev / sqrt(rounds)} its standard error), and the
 * stat Conbench judges; {@code ops} is {@code 1 / mean}, the same signal again, so it is {@code none} too (unit
 * {@code ops/s}). {@code total} (the wall time of all rounds) depends on how many rounds pytest-benchmark calibrated,
 * not on the code's speed: {@code none}, as are the spreads and counts ({@code stddev}, {@code iqr}, outlier
 * counts). A user who judges another stat defines it ({@code benchmon metrics define min --direction
 * lower_is_better}): a stated definition never replaces one the database holds.
 * <p>{@code rounds} is {@code n} of {@code mean}, the one stat that is a mean of
 * the rounds, and gives its standard error; the other stats (order statistics,
 * spreads, counts, {@code total}, {@code ops}) get no {@code n}: it is not the sample size of a mean or proportion,
 * and read as one it gave timings a binomial noise floor. {@code iterations} goes to metadata.
 * {@code commit_info} fills commit_sha, branch and (from {@code project}) model_version; {@code datetime}
 * (UTC, as pytest-benchmark writes it) is run_at; another form is read as benchmon's JSON reads a run_at, and one
 * that is no point in time, before 1970 or more than a day ahead is refused naming {@code datetime}
 * ({@link Timestamps#toolTime}).
 */
final class PytestBenchmarkAdapter implements ResultAdapter {
    /** The one stat judged (see the class comment); the other times are tracked. */
    private static final String JUDGED = "mean";
    private static final Set<String> TIMES = Set.of("min", "max", "mean", "median", "q1", "q3", "ld15iqr", "hd15iqr",
            "total", "stddev", "iqr");
    private static final Set<String> NOT_METRICS = Set.of("data", "outliers", "rounds", "iterations");

    @Override
    public String name() {
        return "pytest-benchmark";
    }

    @Override
    public String reads() {
        return "pytest-benchmark --benchmark-json report: one result per benchmark";
    }

    @Override
    public String shape() {
        return "a pytest --benchmark-json report: one JSON object with \"benchmarks\" (a list) and \"machine_info\" "
                + "or \"commit_info\"";
    }

    @Override
    public boolean recognizes(String text, JsonNode root) {
        return root != null && root.path("benchmarks").isArray()
                && (root.has("machine_info") || root.has("commit_info"));
    }

    @Override
    public AdaptedResults convert(String text) {
        JsonNode root = JsonInput.object(text, "pytest-benchmark", "\"benchmarks\" (pytest --benchmark-json=FILE)");
        if (!root.path("benchmarks").isArray()) {
            throw new ValidationException(Problem.of("benchmarks", "is missing or not an array: expected "
                    + "pytest --benchmark-json output"));
        }
        JsonNode commit = root.path("commit_info");
        Timestamps.Zoned at = Timestamps.dateTime(JsonInput.text(root, "datetime"));
        List<JsonNode> results = new ArrayList<>();
        List<IngestWarning> warnings = new ArrayList<>();
        Map<Instant, Optional<Instant>> runAtReadBefore = new HashMap<>();
        Instant runAt = Timestamps.toolTime(root.get("datetime"), at == null ? null : at.instant(), "datetime",
                warnings, runAtReadBefore);
        Map<String, MetricDefinition> definitions = new LinkedHashMap<>();
        for (JsonNode b : root.get("benchmarks")) {
            String name = JsonInput.text(b, "fullname") != null ? JsonInput.text(b, "fullname") : JsonInput.text(b, "name");
            ResultNode r = new ResultNode(results.size(), warnings)
                    .text("model_version", JsonInput.text(commit, "project"))
                    .derivedName("dataset_version", name)
                    .text("commit_sha", JsonInput.text(commit, "id"))
                    .text("branch", JsonInput.text(commit, "branch"))
                    .runAt(runAt)
                    .tag("group", JsonInput.text(b, "group"));
            JsonNode stats = b.path("stats");
            stats.fields().forEachRemaining(e -> {
                if (!NOT_METRICS.contains(e.getKey()) && r.metric(e.getKey(), e.getValue())) {
                    define(e.getKey(), definitions);
                }
            });
            JsonNode rounds = stats.get("rounds");
            if (rounds != null && rounds.canConvertToLong() && rounds.longValue() >= 1) {
                r.n("mean", rounds.longValue());
                JsonNode sd = stats.get("stddev");
                if (rounds.longValue() >= 2 && sd != null && sd.isNumber() && Double.isFinite(sd.doubleValue())) {
                    r.stderr("mean", sd.doubleValue() / Math.sqrt(rounds.longValue()));
                }
            }
            r.metadata("iterations", stats.get("iterations"));
            r.metadata("params", b.get("params"));
            r.metadata("extra_info", b.path("extra_info").isEmpty() ? null : b.get("extra_info"));
            r.metadata("machine", JsonInput.text(root.path("machine_info"), "node"));
            r.metadata("python", JsonInput.text(root.path("machine_info"), "python_version"));
            r.metadata("pytest_benchmark_version", JsonInput.text(root, "version"));
            if (commit.path("dirty").asBoolean(false)) {
                r.tag("dirty", "true");
            }
            results.add(r.node());
        }
        return new AdaptedResults(results, definitions, warnings,
                AdaptedResults.everyResult(results.size(), runAtReadBefore));
    }

    private static void define(String stat, Map<String, MetricDefinition> definitions) {
        MetricDirection direction = stat.equals(JUDGED) ? MetricDirection.LOWER_IS_BETTER : MetricDirection.NONE;
        if (TIMES.contains(stat)) {
            JsonInput.define(definitions, stat, direction, "s");
        } else if (stat.equals("ops")) {
            JsonInput.define(definitions, stat, direction, "ops/s");
        } else if (stat.endsWith("outliers")) {
            JsonInput.define(definitions, stat, direction, null);
        }
    }
}
