package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Google Benchmark's {@code --benchmark_format=json} (or {@code --benchmark_out=FILE
 * --benchmark_out_format=json}) report, as its JSON reporter writes it (google/benchmark {@code src/json_reporter.cc};
 * {@code docs/user_guide.md}, "Output Formats"): {@code {"context": {"date", "host_name", "executable", ...},
 * "benchmarks": [{"name": "BM_SetInsert/1024/1", "run_name", "run_type": "iteration" | "aggregate",
 * "aggregate_name": "mean", "repetitions", "iterations", "real_time", "cpu_time", "time_unit": "ns",
 * "bytes_per_second", "items_per_second", ...custom counters}]}}.
 * One result per benchmark ({@code run_name}, else {@code name}, is the dataset_version, shortened when longer than a
 * name may be: {@link DerivedNames}). With
 * {@code --benchmark_repetitions}, the {@code mean} aggregate gives the values, the {@code stddev}
 * aggregate over {@code sqrt(repetitions)} their standard error, and {@code repetitions} their
 * {@code n}; without aggregates, repeated runs are averaged here the same way. {@code real_time} and
 * {@code cpu_time} are stored in nanoseconds, whatever {@code time_unit} ({@code ns}, {@code us},
 * {@code ms} or {@code s}) the benchmark reported them in, which goes to metadata; another {@code time_unit} refuses
 * the input, naming the entry by its place ({@code benchmarks[3].time_unit}) and the benchmark in the message.
 * <p>One statistic is judged: {@code real_time}, lower is better (the "Time" column Google Benchmark prints, and the
 * value github-action-benchmark's {@code googlecpp} tool tracks). {@code cpu_time}, {@code bytes_per_second} and
 * {@code items_per_second} are stated direction {@code none}: stored, charted and compared, never a regression. A
 * slowdown moves them together (the rates are a fixed count over a time), and judging each opened three or four alerts
 * for one change. A user who judges another defines it ({@code benchmon metrics define cpu_time --direction
 * lower_is_better --unit ns}): a stated definition never replaces one the database holds. Custom counters keep their
 * names, undirected.
 * <p>A run
 * that reported an error is dropped with a warning. The executable's file name is the model_version,
 * {@code context.date} run_at (the old {@code 2015/03/17-18:40:25} form has no zone: read as UTC,
 * with a warning; any other value is read as benchmon's JSON reads a run_at, and one that is no point in time, before
 * 1970 or more than a day ahead is refused naming {@code context.date}: {@link Timestamps#toolTime}).
 */
final class GoogleBenchmarkAdapter implements ResultAdapter {
    private static final Set<String> NOT_METRICS = Set.of("name", "family_index", "per_family_instance_index",
            "run_name", "run_type", "repetitions", "repetition_index", "threads", "iterations", "time_unit", "label",
            "aggregate_name", "aggregate_unit", "error_occurred", "error_message");

    /** The fields that hold times in the entry's {@code time_unit} (the last two in a complexity entry, {@code _BigO}). */
    private static final List<String> TIMES = List.of("real_time", "cpu_time", "real_coefficient", "cpu_coefficient");
    /** Each {@code time_unit} Google Benchmark writes (GetTimeUnitString) and its power of ten in nanoseconds. */
    private static final Map<String, Integer> NANOSECOND_DIGITS = Map.of("ns", 0, "us", 3, "ms", 6, "s", 9);

    @Override
    public String name() {
        return "google-benchmark";
    }

    @Override
    public String reads() {
        return "Google Benchmark --benchmark_format=json report: one result per benchmark";
    }

    @Override
    public String shape() {
        return "a Google Benchmark --benchmark_format=json report: one JSON object with \"context\" (an object) and "
                + "\"benchmarks\" (a list)";
    }

    @Override
    public boolean recognizes(String text, JsonNode root) {
        return root != null && root.path("benchmarks").isArray() && root.path("context").isObject();
    }

    @Override
    public AdaptedResults convert(String text) {
        JsonNode root = JsonInput.object(text, "Google Benchmark", "\"context\" and \"benchmarks\" (--benchmark_format=json)");
        if (!root.path("benchmarks").isArray()) {
            throw new ValidationException(Problem.of("benchmarks", "is missing or not an array: expected "
                    + "--benchmark_format=json output"));
        }
        JsonNode context = root.path("context");
        List<IngestWarning> warnings = new ArrayList<>();
        Timestamps.Zoned at = Timestamps.dateTime(JsonInput.text(context, "date"));
        if (at != null && at.zoneless()) {
            warnings.add(new IngestWarning(-1, "context.date", "'" + JsonInput.text(context, "date")
                    + "' has no time zone: read as UTC"));
        }
        Map<Instant, Optional<Instant>> runAtReadBefore = new HashMap<>();
        Instant runAt = Timestamps.toolTime(context.get("date"), at == null ? null : at.instant(), "context.date",
                warnings, runAtReadBefore);
        Map<String, List<JsonNode>> runs = new LinkedHashMap<>();
        Map<String, List<JsonNode>> asReported = new LinkedHashMap<>(); // the times in the file's unit
        List<Problem> badUnits = new ArrayList<>();
        int place = -1; // the entry's place in benchmarks, which a refusal names: many entries share a run_name
        for (JsonNode b : root.get("benchmarks")) {
            place++;
            String name = JsonInput.text(b, "run_name") != null ? JsonInput.text(b, "run_name") : JsonInput.text(b, "name");
            if (b.path("error_occurred").asBoolean(false)) {
                warnings.add(new IngestWarning(-1, "benchmarks." + name, "reported an error ("
                        + JsonInput.text(b, "error_message") + "): dropped"));
            } else if (name != null) {
                runs.computeIfAbsent(name, k -> new ArrayList<>()).add(inNanoseconds(b, place, name, badUnits));
                asReported.computeIfAbsent(name, k -> new ArrayList<>()).add(b);
            }
        }
        if (!badUnits.isEmpty()) {
            throw new ValidationException(badUnits);
        }
        List<JsonNode> results = new ArrayList<>();
        Map<Integer, Map<String, Double>> metricsReadBefore = new LinkedHashMap<>();
        Map<Integer, JsonNode> metadataReadBefore = new LinkedHashMap<>();
        Map<String, MetricDefinition> definitions = new LinkedHashMap<>();
        for (Map.Entry<String, List<JsonNode>> run : runs.entrySet()) {
            Map<String, Double> reported = readBefore(asReported.get(run.getKey()), run.getValue());
            if (!reported.isEmpty()) {
                metricsReadBefore.put(results.size(), reported);
            }
            ResultNode r = new ResultNode(results.size(), warnings)
                    .text("model_version", executableName(JsonInput.text(context, "executable")))
                    .derivedName("dataset_version", run.getKey())
                    .runAt(runAt);
            JsonNode source = values(run.getValue(), r);
            JsonNode iterations = iterations(run.getValue(), source);
            r.metadata("time_unit", JsonInput.text(source, "time_unit")); // as the benchmark reported its times
            r.metadata("threads", source.get("threads"));
            r.metadata("iterations", iterations);
            r.metadata("label", JsonInput.text(source, "label"));
            r.metadata("host", JsonInput.text(context, "host_name"));
            r.metadata("build_type", JsonInput.text(context, "library_build_type"));
            JsonNode iterationsBefore = source.get("iterations");
            if (!java.util.Objects.equals(iterations, iterationsBefore)) {
                // Earlier versions wrote the mean aggregate's iterations: a key derived with metadata keeps them
                ObjectNode before = r.node().path("metadata") instanceof ObjectNode m ? m.deepCopy()
                        : JsonNodeFactory.instance.objectNode();
                if (iterationsBefore == null || iterationsBefore.isNull()) {
                    before.remove("iterations");
                } else {
                    before.set("iterations", iterationsBefore);
                }
                metadataReadBefore.put(results.size(), before);
            }
            results.add(r.node());
        }
        for (JsonNode r : results) {
            JsonNode m = r.path("metrics");
            // One judged statistic per benchmark: a slowdown moves all four at once (see the class comment).
            if (m.has("real_time")) JsonInput.define(definitions, "real_time", MetricDirection.LOWER_IS_BETTER, "ns");
            if (m.has("cpu_time")) JsonInput.define(definitions, "cpu_time", MetricDirection.NONE, "ns");
            if (m.has("bytes_per_second")) JsonInput.define(definitions, "bytes_per_second", MetricDirection.NONE, "B/s");
            if (m.has("items_per_second")) JsonInput.define(definitions, "items_per_second", MetricDirection.NONE, "items/s");
        }
        return new AdaptedResults(results, definitions, warnings,
                AdaptedResults.everyResult(results.size(), runAtReadBefore), metricsReadBefore, Map.of(),
                metadataReadBefore);
    }

    /**
     * The iterations of one repetition of a benchmark, as it ran them ({@code 5000000}): those of the entry its values
     * come from, but where that is an aggregate, whose {@code iterations} counts the repetitions it sums up, those of
     * its first repetition; {@code null} when the report holds aggregates alone
     * ({@code --benchmark_report_aggregates_only}), which say no repetition's count.
     */
    private static JsonNode iterations(List<JsonNode> entries, JsonNode source) {
        if (!"aggregate".equals(JsonInput.text(source, "run_type"))) {
            return source.get("iterations");
        }
        return entries.stream().filter(e -> !"aggregate".equals(JsonInput.text(e, "run_type")))
                .map(e -> e.get("iterations")).findFirst().orElse(null);
    }

    /**
     * The metrics earlier versions read from one benchmark's entries where they differ from what {@code converted}
     * gives now: its times in the unit the file reported, which they stored as they were ({@link AdaptedResults#metricsReadBefore}).
     */
    private static Map<String, Double> readBefore(List<JsonNode> reported, List<JsonNode> converted) {
        if (reported.equals(converted)) {
            return Map.of();
        }
        ResultNode then = new ResultNode(0, new ArrayList<>());
        ResultNode now = new ResultNode(0, new ArrayList<>());
        values(reported, then);
        values(converted, now);
        Map<String, Double> differing = new LinkedHashMap<>();
        then.node().path("metrics").fields().forEachRemaining(e -> {
            JsonNode current = now.node().path("metrics").get(e.getKey());
            if (e.getValue().isNumber() && (current == null || !current.equals(e.getValue()))) {
                differing.put(e.getKey(), e.getValue().doubleValue());
            }
        });
        return differing;
    }

    /**
     * The entry with its times ({@link #TIMES}) in nanoseconds, Google Benchmark's default unit, so that a series
     * compares like with like whatever unit each run reported in: {@code 1.2345} {@code us} is {@code 1234.5}. The
     * decimal the file wrote is shifted, not multiplied as a double ({@code 1.2345 * 1000} is {@code 1234.4999...}).
     * An entry without {@code time_unit} is in nanoseconds already. A value that is not a finite number is left as it
     * is, to validation. A {@code time_unit} Google Benchmark does not write is added to {@code problems}, named by the
     * entry's place {@code at} in {@code benchmarks} ({@code benchmarks[3].time_unit}): its times cannot be read in any
     * unit.
     */
    private static JsonNode inNanoseconds(JsonNode entry, int at, String name, List<Problem> problems) {
        JsonNode unit = entry.get("time_unit");
        if (unit == null || unit.isNull()) {
            return entry;
        }
        Integer digits = unit.isTextual() ? NANOSECOND_DIGITS.get(unit.asText()) : null;
        if (digits == null) {
            problems.add(Problem.of("benchmarks[" + at + "].time_unit", ResultNode.describe(unit) + " is not a time unit "
                    + "Google Benchmark writes (ns, us, ms or s), so the real_time and cpu_time of " + name
                    + " cannot be read"));
            return entry;
        }
        if (digits == 0) {
            return entry;
        }
        ObjectNode copy = entry.deepCopy();
        for (String field : TIMES) {
            JsonNode v = entry.get(field);
            if (v != null && v.isNumber() && Double.isFinite(v.doubleValue())) {
                copy.put(field, JsonInput.written(v).movePointRight(digits).doubleValue());
            }
        }
        return copy;
    }

    /** Adds the metrics of one benchmark to {@code r}; returns the entry whose context fields describe it. */
    private static JsonNode values(List<JsonNode> entries, ResultNode r) {
        JsonNode mean = aggregate(entries, "mean");
        JsonNode stddev = aggregate(entries, "stddev");
        List<JsonNode> iterations = entries.stream().filter(e -> !"aggregate".equals(JsonInput.text(e, "run_type"))).toList();
        if (mean != null) {
            metrics(mean, r);
            long k = mean.path("repetitions").asLong(iterations.size());
            if (stddev != null && k >= 2) {
                mean.fieldNames().forEachRemaining(m -> {
                    JsonNode sd = stddev.get(m);
                    if (sd != null && sd.isNumber() && !NOT_METRICS.contains(m)) {
                        r.stderr(m, sd.doubleValue() / Math.sqrt(k));
                    }
                });
            }
            final long n = k;
            mean.fieldNames().forEachRemaining(m -> r.n(m, n));
            return mean;
        }
        if (iterations.size() <= 1) {
            JsonNode only = iterations.isEmpty() ? entries.get(0) : iterations.get(0);
            metrics(only, r);
            return only;
        }
        // Repetitions without aggregates: their mean, with the standard error of that mean.
        JsonNode first = iterations.get(0);
        int k = iterations.size();
        first.fieldNames().forEachRemaining(m -> {
            if (NOT_METRICS.contains(m) || !first.get(m).isNumber()) {
                return;
            }
            double sum = 0, sumSq = 0;
            for (JsonNode e : iterations) {
                double v = e.path(m).asDouble(Double.NaN);
                sum += v;
                sumSq += v * v;
            }
            double mu = sum / k;
            if (r.metric(m, mu)) {
                r.stderr(m, Math.sqrt(Math.max(0, (sumSq - k * mu * mu) / (k - 1)) / k));
                r.n(m, k);
            }
        });
        return first;
    }

    private static JsonNode aggregate(List<JsonNode> entries, String name) {
        return entries.stream().filter(e -> "aggregate".equals(JsonInput.text(e, "run_type"))
                && name.equals(JsonInput.text(e, "aggregate_name"))).findFirst().orElse(null);
    }

    private static void metrics(JsonNode entry, ResultNode r) {
        entry.fields().forEachRemaining(e -> {
            if (!NOT_METRICS.contains(e.getKey())) {
                r.metric(e.getKey(), e.getValue());
            }
        });
    }

    /** {@code /path/to/bench_x} or {@code C:\b\bench_x.exe} -> {@code bench_x}. */
    static String executableName(String executable) {
        if (executable == null) {
            return null;
        }
        String name = executable.substring(Math.max(executable.lastIndexOf('/'), executable.lastIndexOf('\\')) + 1);
        return name.endsWith(".exe") ? name.substring(0, name.length() - 4) : name;
    }
}
