package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.OneResultPerRun;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Results that a series override ({@link ResultOverrides}: {@code --model-version}, {@code --dataset-version},
 * {@code --prompt-version}, {@code --environment}, or the API's parameters of those names) puts into one series though
 * the input names them apart: an lm-eval file's tasks given one {@code --dataset-version}, an MLflow CSV's runs given
 * one {@code --model-version}.
 *
 * <ul>
 *   <li>At the same run_at (or both without one), or in one run keyed without run_at ({@link
 *   BenchmarkResult#runKeyRunAt}: a tool's file with a context run id, whatever times the tool wrote), they would be
 *   one run of the series holding several results: stored
 *   as attempts of one run and judged against each other (an lm-eval file's arc_easy "improving" on its hellaswag). They
 *   cannot be two runs of one series, so {@link #requireNone} refuses the input, naming the override and the results it
 *   merged, before anything is stored.</li>
 *   <li>At different run_at they are runs of the series, each judged against the one before it: maybe what was meant
 *   (one model's nightly runs logged under run names), maybe not (a sweep's configurations), so they are kept and
 *   {@link #warnings} says how many of the input's models (datasets ...) the override put into one series.</li>
 * </ul>
 *
 * <p>{@link #add Added} each result as read, with the series fields its input stated before the overrides
 * ({@link #stated}); keeps, per run and per series (16 bytes of digest each), the first result's index and stated
 * fields (each distinct value once), and only while an override is given ({@link #active}): about 150 bytes a run.
 */
public final class MergedSeries {
    /** The series fields an override may set, by their JSON names. */
    static final List<String> FIELDS = List.of("model_version", "dataset_version", "prompt_version", "environment");
    private static final List<String> KINDS = List.of("models", "datasets", "prompt versions", "environments");
    /** Names listed in a message; beyond this they are counted. */
    static final int MAX_NAMED = 10;

    private final Adapters.Caller caller;
    /** Index into {@link #FIELDS} -> the value every result is given. */
    private final Map<Integer, String> overriding = new LinkedHashMap<>();
    /** Distinct stated values kept once, up to {@link #MAX_STATED_KEPT}. */
    private static final int MAX_STATED_KEPT = 10_000;
    private final Map<List<String>, List<String>> statedOnce = new HashMap<>();
    private final Map<ByteBuffer, First> runs = new HashMap<>();
    private final Map<ByteBuffer, First> series = new HashMap<>();
    private final Map<ByteBuffer, Merge> sameRun = new LinkedHashMap<>();
    private final Map<ByteBuffer, Merge> sameSeries = new LinkedHashMap<>();

    private record First(long index, List<String> stated) {
    }

    /** The results of one run (or one series) that the input stated apart. */
    private static final class Merge {
        final String series;
        /** The run_at the run is keyed by ({@link BenchmarkResult#runKeyRunAt}), and its run_id when that is null. */
        final Instant runAt;
        final String runId;
        final Set<List<String>> stated = new LinkedHashSet<>();
        final List<Long> indexes = new ArrayList<>();
        final Set<Integer> differing = new java.util.TreeSet<>();
        long distinct;

        Merge(String series, Instant runAt, String runId) {
            this.series = series;
            this.runAt = runAt;
            this.runId = runId;
        }

        void add(List<String> fields, long index, List<String> first) {
            if (stated.size() < MAX_NAMED || stated.contains(fields)) {
                if (stated.add(fields)) {
                    distinct++;
                }
            } else {
                distinct++; // counted, not named (a later repeat may count twice: "more than" is said)
            }
            if (indexes.size() < MAX_NAMED) {
                indexes.add(index);
            }
            for (int i = 0; i < fields.size(); i++) {
                if (!java.util.Objects.equals(fields.get(i), first.get(i))) {
                    differing.add(i);
                }
            }
        }
    }

    /**
     * @param overrides the overrides given every result (its context's {@code environment} among them)
     * @param caller    who gave them, for the names of the options or parameters in the messages
     */
    public MergedSeries(ResultOverrides overrides, Adapters.Caller caller) {
        this.caller = caller;
        List<String> values = Arrays.asList(overrides.modelVersion(), overrides.datasetVersion(),
                overrides.promptVersion(), overrides.context().get("environment"));
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
                overriding.put(i, values.get(i));
            }
        }
    }

    /** Whether any series field is overridden: else {@link #add} keeps nothing. */
    public boolean active() {
        return !overriding.isEmpty();
    }

    /**
     * The series fields of a result object as its input states them ({@link #FIELDS}; {@code null} where it states
     * none, or not as text): taken before the overrides are written into it.
     */
    public static List<String> stated(JsonNode result) {
        List<String> out = new ArrayList<>(FIELDS.size());
        for (String field : FIELDS) {
            JsonNode v = result == null ? null : result.get(field);
            out.add(v != null && v.isTextual() ? v.asText() : null);
        }
        return out;
    }

    /**
     * Adds the result at {@code index} of the input (overrides applied), whose input stated {@code stated}
     * ({@link #stated}).
     */
    public void add(List<String> stated, BenchmarkResult result, long index) {
        if (!active()) {
            return;
        }
        List<String> read = new ArrayList<>(overriding.size());
        overriding.keySet().forEach(i -> read.add(stated.get(i)));
        // One list per distinct stated value kept, however many results state it (a big import's few models).
        List<String> own = statedOnce.size() < MAX_STATED_KEPT ? statedOnce.computeIfAbsent(read, k -> k) : read;
        List<String> seriesParts = Arrays.asList(result.modelVersion(), result.datasetVersion(), result.promptVersion(),
                result.environment());
        ByteBuffer seriesKey = OneResultPerRun.digest(seriesParts);
        // A run as OneResultPerRun keys it, so that the override is named before that rule would blame run_id: at the
        // run_at its run is keyed by, and, for a run keyed without one (a tool's file with a context run id), its run_id.
        List<String> runParts = new ArrayList<>(seriesParts);
        Instant runAt = result.runKeyRunAt();
        runParts.add(runAt == null ? null : runAt.toString());
        runParts.add(runAt == null ? result.runId() : null);
        note(runs, sameRun, OneResultPerRun.digest(runParts), own, result, index);
        note(series, sameSeries, seriesKey, own, result, index);
    }

    private static void note(Map<ByteBuffer, First> firsts, Map<ByteBuffer, Merge> merges, ByteBuffer key,
                             List<String> own, BenchmarkResult result, long index) {
        First first = firsts.putIfAbsent(key, new First(index, own));
        if (first == null || (first.stated().equals(own) && !merges.containsKey(key))) {
            return;
        }
        Merge merge = merges.computeIfAbsent(key, k -> {
            Merge m = new Merge(result.series(), result.runKeyRunAt(),
                    result.runKeyRunAt() == null ? result.runId() : null);
            m.add(first.stated(), first.index(), first.stated());
            return m;
        });
        if (!merge.stated.contains(own) || merge.indexes.size() < MAX_NAMED) {
            merge.add(own, index, first.stated());
        }
    }

    /**
     * Refuses the input when an override made two of its results, stated apart, one series at the same run_at, or in
     * one run keyed without run_at ({@code ... one series (...) in one run (run_id 4243, keyed without the results'
     * run_at: ...)}).
     *
     * @throws ValidationException one problem a run, its field the first overridden field that merged them (the API's
     *                             parameter), its message naming the option or parameter, its value and the results:
     *                             {@code --dataset-version harness-v1 would make the datasets hellaswag, arc_easy and
     *                             gsm8k one series (...) at the same run_at ...}
     */
    public void requireNone() {
        List<Problem> problems = new ArrayList<>();
        sameRun.values().stream().filter(m -> !m.differing.isEmpty()).forEach(m -> {
            String field = FIELDS.get(overridden(m.differing.iterator().next()));
            problems.add(Problem.of(field, given(m) + " would make " + merged(m) + " one series (" + m.series + ") "
                    + (m.runId != null ? "in one run (run_id " + m.runId + ", " + OneResultPerRun.KEYED_WITHOUT_RUN_AT
                    + ")" : "at the same run_at " + (m.runAt == null
                    ? "(none given: each is stored at the time it is received)" : m.runAt.toString()))
                    + ", " + indexes(m) + ": one run of a series is one result, so they "
                    + "cannot be two runs of it, and each would be judged against the others. Nothing is stored; "
                    + advice(m)));
        });
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
    }

    /**
     * One warning a series into which an override put results the input stated apart, at different run_at: {@code
     * --model-version distil put 2 of the input's models (run-a, run-b) into one series (...)}.
     */
    public List<IngestWarning> warnings() {
        List<IngestWarning> out = new ArrayList<>();
        sameSeries.values().stream().filter(m -> !m.differing.isEmpty()).forEach(m -> out.add(new IngestWarning(-1,
                FIELDS.get(overridden(m.differing.iterator().next())), given(m) + " put " + m.distinct + " of the input's "
                + kinds(m) + " (" + names(m) + ") into one series (" + m.series + "): their results are stored as runs "
                + "of it at their own run_at, each judged against the one before it. If they are not runs of one "
                + "series, " + advice(m))));
        return out;
    }

    /** {@code --dataset-version harness-v1}, for each overridden field that merged results. */
    private String given(Merge m) {
        List<String> out = new ArrayList<>();
        m.differing.forEach(i -> out.add(name(FIELDS.get(overridden(i))) + switch (caller) {
            case CLI -> " " + overriding.get(overridden(i));
            case API -> "=" + overriding.get(overridden(i));
            case TOOLKIT, RECORD_FILE -> " '" + overriding.get(overridden(i)) + "'";
        }));
        return String.join(" and ", out);
    }

    /** The index into {@link #FIELDS} of the {@code i}-th overridden field. */
    private int overridden(int i) {
        return new ArrayList<>(overriding.keySet()).get(i);
    }

    /** How {@link #caller} names the override of {@code field}. */
    private String name(String field) {
        return switch (caller) {
            case CLI -> "--" + field.replace('_', '-');
            case API -> field;
            case TOOLKIT, RECORD_FILE -> "ResultOverrides " + field;
        };
    }

    private String advice(Merge m) {
        List<String> names = new ArrayList<>();
        m.differing.forEach(i -> names.add(name(FIELDS.get(overridden(i)))));
        String them = String.join(" and ", names);
        return switch (caller) {
            case CLI -> "leave " + them + " out, or push (or import) them separately, each with its own " + them;
            case API -> "leave the " + them + " parameter out, or send them in separate requests, each with its own "
                    + them;
            case TOOLKIT, RECORD_FILE -> "leave " + them + " out, or read them separately, each with its own " + them;
        };
    }

    /** {@code the datasets hellaswag, arc_easy and gsm8k}. */
    private String merged(Merge m) {
        return "the " + kinds(m) + " " + names(m);
    }

    private String kinds(Merge m) {
        List<String> kinds = new ArrayList<>();
        m.differing.forEach(i -> kinds.add(KINDS.get(overridden(i))));
        return String.join(" and ", kinds);
    }

    private static String names(Merge m) {
        List<String> labels = new ArrayList<>();
        for (List<String> stated : m.stated) {
            List<String> parts = new ArrayList<>();
            m.differing.forEach(i -> parts.add(stated.get(i) == null ? "(none)" : stated.get(i)));
            labels.add(String.join(" / ", parts));
        }
        String listed = labels.size() == 1 ? labels.get(0) : String.join(", ", labels.subList(0, labels.size() - 1))
                + " and " + labels.get(labels.size() - 1);
        return m.distinct > labels.size() ? String.join(", ", labels) + " and more" : listed;
    }

    private static String indexes(Merge m) {
        StringBuilder out = new StringBuilder();
        m.indexes.forEach(i -> out.append(out.isEmpty() ? "" : ", ").append(dev.benchmon.ResultPlace.named(i)));
        return out + (m.indexes.size() >= MAX_NAMED ? " ..." : "");
    }

    /**
     * Writes {@code overrides} into every result object of {@code nodes} (an input held in memory: a request body, a
     * tool's file), noting first the series fields each states ({@link #stated}): the one sequence of the API's body
     * and of {@link AdaptedResults#validate}, whose {@link Overridden#check} then judges the results validated from them.
     *
     * @param caller who gave the overrides, for the names of the options or parameters in the messages
     */
    public static Overridden override(List<JsonNode> nodes, ResultOverrides overrides, Adapters.Caller caller) {
        boolean series = new MergedSeries(overrides, caller).active(); // else nothing to note (a request's usual case)
        List<List<String>> stated = new ArrayList<>(series ? nodes.size() : 0);
        for (JsonNode n : nodes) {
            if (series) {
                stated.add(stated(n));
            }
            if (n instanceof ObjectNode o) {
                overrides.applyTo(o);
            }
        }
        return new Overridden(overrides, caller, stated);
    }

    /**
     * Result objects {@link #override overridden}, with the series fields each stated before: {@code stated.get(i)} of
     * the {@code i}-th (none when no series field is overridden: nothing to check).
     */
    public record Overridden(ResultOverrides overrides, Adapters.Caller caller, List<List<String>> stated) {
        public Overridden {
            stated = List.copyOf(stated);
        }

        /**
         * Checks the results validated from the objects, in their order (each named by its place among them).
         *
         * @return the warnings of series merged across run_at
         * @throws ValidationException as {@link #requireNone}
         */
        public List<IngestWarning> check(List<BenchmarkResult> results) {
            MergedSeries merges = new MergedSeries(overrides, caller);
            if (!merges.active()) {
                return List.of();
            }
            for (int i = 0; i < results.size(); i++) {
                merges.add(stated.get(i), results.get(i), i);
            }
            merges.requireNone();
            return merges.warnings();
        }
    }
}
