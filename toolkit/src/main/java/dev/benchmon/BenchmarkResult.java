package dev.benchmon;

import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.ingest.ResultValidator;
import dev.benchmon.ingest.adapters.Adapters;
import dev.benchmon.ingest.adapters.ResultOverrides;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One benchmark result: the metrics of one evaluation of a model version on a dataset version
 * (and prompt version) in an environment, with the context of the run. Immutable and always valid:
 * the constructor and {@link #fromJson(String)} refuse bad input with a {@link ValidationException}
 * that names every field at fault.
 *
 * <pre>{@code
 * var r = BenchmarkResult.builder("medgemma-v1.2", "benchmark-set-v3")
 *         .promptVersion("analysis-v4").metric("f1", 0.895).metric("latency_ms", 412)
 *         .build();
 * }</pre>
 *
 * @param modelVersion   the model under test (required)
 * @param datasetVersion the dataset it was evaluated on (required)
 * @param promptVersion  the prompt version, or {@code ""}
 * @param modelProvider  who serves the model (e.g. google), or {@code null}
 * @param environment    where it ran: ci, local, production, ... ({@code local} when not given)
 * @param metrics        metric name to finite value, sorted by name (at least one)
 * @param stderr         optional standard error of some metrics, in the metric's own unit (the
 *                       {@code "stderr"} field: {@code {"acc": 0.012}}); empty when not given
 * @param sampleSizes    optional number of examples each metric was computed over (the {@code "n"}
 *                       field: one integer for all metrics, or {@code {"acc": 1319}}); empty when not given
 * @param runAt          when the benchmark ran, or {@code null} for "now, when recorded"
 * @param commitSha      source commit, or {@code null}
 * @param branch         source branch, or {@code null}
 * @param runId          CI run id, or {@code null}
 * @param triggeredBy    who or what started the run, or {@code null}
 * @param tags           free key/value labels
 * @param notes          free text, or {@code null}
 * @param metadata       any other JSON-compatible context
 * @param idempotencyKey the key that makes re-sending safe, or {@code null} to derive or generate one
 * @param examples       optional per-example outcomes (the {@code "examples"} field), stored in their own table,
 *                       never in the log's row; empty when not given
 * @param runAtSent      {@code false} when the result's CI run is keyed as if no run_at were sent (the {@code
 *                       "run_at_sent": false} an export writes for it), because a re-run writes {@code runAt} anew:
 *                       the time a database gave a result that was sent without one, or the time a tool wrote in its
 *                       file whose run_id the context gave ({@code --run-id}, {@code GITHUB_RUN_ID}, the API's
 *                       {@code run_id} parameter; the tool formats' adapters set it), so that a re-run of it (a later
 *                       attempt, at another time) supersedes it, in a copy too; {@code runAt} is stored as given. Says
 *                       nothing of a result without a run_id ({@link #runKeyRunAt}). {@code true} (the default) for
 *                       every result sent as written
 */
public record BenchmarkResult(
        String modelVersion,
        String datasetVersion,
        String promptVersion,
        String modelProvider,
        String environment,
        Map<String, Double> metrics,
        Map<String, Double> stderr,
        Map<String, Long> sampleSizes,
        Instant runAt,
        String commitSha,
        String branch,
        String runId,
        String triggeredBy,
        Map<String, String> tags,
        String notes,
        Map<String, Object> metadata,
        String idempotencyKey,
        List<ExampleOutcome> examples,
        boolean runAtSent) {

    /** The environment a result belongs to when none is given. */
    public static final String DEFAULT_ENVIRONMENT = "local";

    public BenchmarkResult {
        promptVersion = promptVersion == null ? "" : promptVersion;
        // Only an absent environment is the default: a blank one is refused by the validator, as a blank name is.
        environment = environment == null ? DEFAULT_ENVIRONMENT : environment;
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metrics));
        stderr = stderr == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(stderr));
        sampleSizes = sampleSizes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(sampleSizes));
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        examples = examples == null ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(examples));
        List<ValidationException.Problem> problems = ResultValidator.problems(
                modelVersion, datasetVersion, promptVersion, modelProvider, environment, metrics, runAt,
                commitSha, branch, runId, triggeredBy, tags, notes, idempotencyKey);
        problems.addAll(ResultValidator.uncertaintyProblems(metrics, stderr, sampleSizes));
        problems.addAll(dev.benchmon.ingest.ExamplesJson.problems(examples));
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
    }

    /** A result whose run_at, if any, is as sent ({@code runAtSent} true): the record's form before that field. */
    public BenchmarkResult(String modelVersion, String datasetVersion, String promptVersion, String modelProvider,
                           String environment, Map<String, Double> metrics, Map<String, Double> stderr,
                           Map<String, Long> sampleSizes, Instant runAt, String commitSha, String branch, String runId,
                           String triggeredBy, Map<String, String> tags, String notes, Map<String, Object> metadata,
                           String idempotencyKey, List<ExampleOutcome> examples) {
        this(modelVersion, datasetVersion, promptVersion, modelProvider, environment, metrics, stderr, sampleSizes, runAt,
                commitSha, branch, runId, triggeredBy, tags, notes, metadata, idempotencyKey, examples, true);
    }

    /**
     * The run_at the result's CI run is keyed by ({@code benchmark_run_key}), and its idempotency key derived with:
     * {@code runAt}, or {@code null} when the run was keyed without one ({@link #runAtSent} false) or none was sent. A
     * result without a run_id belongs to no run, so {@code runAtSent} says nothing of it: its {@code runAt} (else a
     * result at another time with the same values would derive the same key and be taken for it).
     */
    public Instant runKeyRunAt() {
        return runAtSent || runId == null ? runAt : null;
    }

    /** Starts a result for a model on a dataset. */
    public static Builder builder(String modelVersion, String datasetVersion) {
        return new Builder().modelVersion(modelVersion).datasetVersion(datasetVersion);
    }

    /** Starts an empty builder (for code that fills fields one by one). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads one result from a JSON object in the documented format, e.g.
     * {@code {"model_version": "m", "dataset_version": "d", "metrics": {"f1": 0.9}}}.
     *
     * @throws ValidationException naming every field at fault
     */
    public static BenchmarkResult fromJson(String json) {
        return ResultJson.parseOne(json);
    }

    /**
     * Reads any number of results: a JSON object, a JSON array, {@code {"results": [...]}} or JSON
     * Lines (one object per line).
     *
     * @throws ValidationException naming every field at fault, with the index of each result
     */
    public static List<BenchmarkResult> listFromJson(String json) {
        return ResultJson.parseMany(json);
    }

    /**
     * Reads results from a tool's own output file, e.g.
     * {@code BenchmarkResult.from("lm-eval", Files.readString(Path.of("results_2026-01-31T12-00-00.json")))}.
     * Formats: {@code json} (this class's format), {@code lm-eval}, {@code hf-trainer}, {@code mlflow},
     * {@code wandb}, {@code pytest-benchmark}, {@code google-benchmark}, {@code auto} (detected from
     * the content); see {@link dev.benchmon.ingest.adapters}. Lenient like {@code benchmon push} and
     * {@code import}: a metric value that is not a finite number (NaN, Infinity, null, text) is dropped, the
     * rest of the result kept; use {@link #from(String, String, ResultOverrides)} to see the warnings and the
     * directions the tool states. ({@link #fromJson} and {@link #listFromJson} refuse such a value instead.)
     *
     * @throws ValidationException naming every problem, e.g. a model_version the file does not say, or (field
     *         {@code format}) a file that is not of the named format's shape, with the format it looks like
     */
    public static List<BenchmarkResult> from(String format, String text) {
        return from(format, text, ResultOverrides.NONE).results();
    }

    /**
     * Reads results from a tool's own output file, with model, dataset or prompt version set by the
     * caller (replacing what the file says), and returns them with the metric definitions the tool
     * states and a warning for every value dropped (or read from text), e.g.
     * {@code metrics.f1: value NaN dropped: ...}.
     *
     * @throws ValidationException naming every problem
     */
    public static ParsedResults from(String format, String text, ResultOverrides overrides) {
        return Adapters.parse(format, text, overrides);
    }

    /** This result as a JSON object in the documented format. */
    public String toJson() {
        return ResultJson.write(this);
    }

    /** A copy with the given metric added or replaced. */
    public BenchmarkResult withMetric(String name, double value) {
        return toBuilder().metric(name, value).build();
    }

    /** A builder holding this result's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.modelVersion = modelVersion;
        b.datasetVersion = datasetVersion;
        b.promptVersion = promptVersion;
        b.modelProvider = modelProvider;
        b.environment = environment;
        b.metrics.putAll(metrics);
        b.stderr.putAll(stderr);
        b.sampleSizes.putAll(sampleSizes);
        b.runAt = runAt;
        b.commitSha = commitSha;
        b.branch = branch;
        b.runId = runId;
        b.triggeredBy = triggeredBy;
        b.tags.putAll(tags);
        b.notes = notes;
        b.metadata.putAll(metadata);
        b.idempotencyKey = idempotencyKey;
        b.examples.addAll(examples);
        b.runAtSent = runAtSent;
        return b;
    }

    /** The series this result belongs to: {@code model / dataset / prompt @environment} (as {@code Verdict.series()}). */
    public String series() {
        return SeriesLabel.of(modelVersion, datasetVersion, promptVersion, environment);
    }

    /** One line: series, metrics and when it ran. */
    @Override
    public String toString() {
        String series = series();
        String values = metrics.entrySet().stream()
                .map(e -> e.getKey() + "=" + formatNumber(e.getValue()))
                .collect(Collectors.joining(", "));
        return "BenchmarkResult[" + series + ": " + values
                + (runAt == null ? "" : ", run_at=" + runAt)
                + (commitSha == null ? "" : ", commit=" + dev.benchmon.detect.CommitRange.shortRef(commitSha))
                + "]";
    }

    private static String formatNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Fills a {@link BenchmarkResult} field by field; {@link #build()} validates everything at once. */
    public static final class Builder {
        private String modelVersion;
        private String datasetVersion;
        private String promptVersion;
        private String modelProvider;
        private String environment;
        private final Map<String, Double> metrics = new TreeMap<>();
        private final Map<String, Double> stderr = new TreeMap<>();
        private final Map<String, Long> sampleSizes = new TreeMap<>();
        private Long sampleSizeForAll;
        private Instant runAt;
        private String commitSha;
        private String branch;
        private String runId;
        private String triggeredBy;
        private final Map<String, String> tags = new TreeMap<>();
        private String notes;
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private String idempotencyKey;
        private final List<ExampleOutcome> examples = new java.util.ArrayList<>();
        private boolean runAtSent = true;

        private Builder() {
        }

        public Builder modelVersion(String v) { this.modelVersion = v; return this; }
        public Builder datasetVersion(String v) { this.datasetVersion = v; return this; }
        public Builder promptVersion(String v) { this.promptVersion = v; return this; }
        public Builder modelProvider(String v) { this.modelProvider = v; return this; }
        public Builder environment(String v) { this.environment = v; return this; }
        public Builder metric(String name, double value) { this.metrics.put(name, value); return this; }
        public Builder metrics(Map<String, ? extends Number> values) {
            values.forEach((k, v) -> this.metrics.put(k, v == null ? null : v.doubleValue()));
            return this;
        }
        /** The standard error of one metric, in the metric's unit. */
        public Builder stderr(String metric, double value) { this.stderr.put(metric, value); return this; }
        public Builder stderr(Map<String, ? extends Number> values) {
            values.forEach((k, v) -> this.stderr.put(k, v == null ? null : v.doubleValue()));
            return this;
        }
        /** The number of examples one metric was computed over. */
        public Builder sampleSize(String metric, long n) { this.sampleSizes.put(metric, n); return this; }
        /** The number of examples every metric without its own {@link #sampleSize(String, long)} was computed over. */
        public Builder sampleSize(long n) { this.sampleSizeForAll = n; return this; }
        public Builder runAt(Instant v) { this.runAt = v; return this; }
        /**
         * {@code false}: its CI run is keyed as if no run_at were sent ({@link BenchmarkResult#runAtSent}), the run_at
         * being the time a database gave a result sent without one (an export's copy) or the time a tool wrote in a file
         * whose run_id the context gave; default {@code true}.
         */
        public Builder runAtSent(boolean v) { this.runAtSent = v; return this; }
        public Builder commitSha(String v) { this.commitSha = v; return this; }
        public Builder branch(String v) { this.branch = v; return this; }
        public Builder runId(String v) { this.runId = v; return this; }
        public Builder triggeredBy(String v) { this.triggeredBy = v; return this; }
        public Builder tag(String key, String value) { this.tags.put(key, value); return this; }
        public Builder tags(Map<String, String> values) { this.tags.putAll(values); return this; }
        public Builder notes(String v) { this.notes = v; return this; }
        public Builder metadata(String key, Object value) { this.metadata.put(key, value); return this; }
        public Builder metadata(Map<String, ?> values) { this.metadata.putAll(values); return this; }
        public Builder idempotencyKey(String v) { this.idempotencyKey = v; return this; }
        /** Adds the outcome of one evaluation item (0/1 correctness or a per-item score). */
        public Builder example(String id, double score) { this.examples.add(ExampleOutcome.of(id, score)); return this; }
        /** Adds the outcome of one evaluation item with its slice labels, e.g. {@code Map.of("topic", "cardiology")}. */
        public Builder example(String id, double score, Map<String, String> slice) {
            this.examples.add(new ExampleOutcome(id, score, slice));
            return this;
        }
        /** Replaces the per-example outcomes. */
        public Builder examples(List<ExampleOutcome> values) {
            this.examples.clear();
            this.examples.addAll(values);
            return this;
        }

        /** {@code true} while no metric has been added. */
        public boolean hasNoMetrics() {
            return metrics.isEmpty();
        }

        /** @throws ValidationException naming every field at fault */
        public BenchmarkResult build() {
            Map<String, Long> n = new TreeMap<>(sampleSizes);
            if (sampleSizeForAll != null) {
                metrics.keySet().forEach(m -> n.putIfAbsent(m, sampleSizeForAll));
            }
            return new BenchmarkResult(modelVersion, datasetVersion, promptVersion, modelProvider, environment,
                    metrics, stderr, n, runAt, commitSha, branch, runId, triggeredBy, tags, notes, metadata, idempotencyKey,
                    examples, runAtSent);
        }
    }
}
