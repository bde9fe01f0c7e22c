package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.ByteOrderMark;
import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.ResultJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The adapters by name, and detection of the format from content ({@code auto}). A tool's format named
 * explicitly reads only input of that tool's shape (the shape {@code auto} recognizes it by): other input
 * is refused as a whole, saying what the format reads and which format the input looks like. A tool's output
 * read in benchmon's own format, the default, is refused naming its format ({@link #defaultFormatRefusal}).
 *
 * <pre>{@code
 * ParsedResults parsed = Adapters.parse("lm-eval", Files.readString(path), ResultOverrides.NONE);
 * }</pre>
 */
public final class Adapters {
    /** The native format, used when no format is given. */
    public static final String DEFAULT = "json";
    /** The name that detects the format from the content. */
    public static final String AUTO = "auto";

    /** Who reads the input, so that advice names a format the way that caller takes one. */
    public enum Caller {
        /** {@code benchmon push} and {@code import}: {@code --format lm-eval}. */
        CLI("--format %s", "leave --format out"),
        /** {@code POST /api/v1/results}: the query parameter {@code format=lm-eval}. */
        API("format=%s", "leave format out"),
        /** {@code BenchmarkResult.from}: the format argument. */
        TOOLKIT("BenchmarkResult.from(\"%s\", text)", "Benchmon.recordFile(path)"),
        /**
         * {@code Benchmon.recordFile}: its format argument. Advice worded for BenchmarkResult.from, which returns a
         * list, did not compile where it was followed ({@code bm.record(BenchmarkResult.from("lm-eval", text))}).
         */
        RECORD_FILE("bm.recordFile(path, \"%s\")", "bm.recordFile(path)");

        private final String naming;
        private final String defaultFormat;

        Caller(String naming, String defaultFormat) {
            this.naming = naming;
            this.defaultFormat = defaultFormat;
        }

        /** The format as this caller names it: {@code --format lm-eval}, {@code format=lm-eval}, ... */
        String naming(String format) {
            return String.format(Locale.ROOT, naming, format);
        }

        /** The other way to read a format: {@code auto} for a tool's, no format at all for benchmon's own. */
        String alternative(String format) {
            return format.equals(DEFAULT) ? defaultFormat : naming(AUTO);
        }
    }

    private static final Map<String, ResultAdapter> BY_NAME = new LinkedHashMap<>();

    static {
        // Order matters for detection: the most specific shapes first, the native format before the
        // loose shapes of flat metric objects (Trainer results, W&B summaries).
        for (ResultAdapter a : List.of(new LmEvalAdapter(), new PytestBenchmarkAdapter(), new GoogleBenchmarkAdapter(),
                new MlflowAdapter(), new NativeJsonAdapter(), new HfTrainerAdapter(), new WandbAdapter())) {
            BY_NAME.put(a.name(), a);
        }
    }

    private Adapters() {
    }

    /** Every name {@code --format} takes: {@code json}, the tools' formats, and {@code auto}. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(List.of(DEFAULT));
        BY_NAME.keySet().stream().filter(n -> !n.equals(DEFAULT)).sorted().forEach(names::add);
        names.add(AUTO);
        return names;
    }

    /** As {@link #forName(String, Caller)}, its advice worded for the toolkit. */
    public static ResultAdapter forName(String name) {
        return forName(name, Caller.TOOLKIT);
    }

    /**
     * The adapter of a format name (case-insensitive); {@code auto} detects it from the content. The
     * {@link ResultAdapter#convert} of a tool's format got here refuses input its
     * {@link ResultAdapter#recognizes} does not accept (field {@code format}), naming what the format reads
     * and the format the input looks like, as {@code caller} names formats.
     *
     * @throws ValidationException (field {@code format}) listing the known names
     */
    public static ResultAdapter forName(String name, Caller caller) {
        String key = name == null ? DEFAULT : name.trim().toLowerCase(Locale.ROOT);
        if (key.equals(AUTO)) {
            return new AutoDetect(caller);
        }
        ResultAdapter a = BY_NAME.get(key);
        if (a == null) {
            throw new ValidationException(Problem.of("format", "unknown format '" + name + "' (known: "
                    + String.join(", ", names()) + ")"));
        }
        // The native format is not checked here: its own validation names every missing field, and a
        // result may leave model or dataset to the overrides.
        return key.equals(DEFAULT) ? a : new Named(a, caller);
    }

    /**
     * The format of this content, if one adapter recognizes it. Several JSON values (JSON Lines) are
     * the native format; text that is not JSON is only recognized as MLflow's metric CSV.
     */
    public static Optional<ResultAdapter> detect(String text) {
        return detect(text, roots(text));
    }

    /** As {@link #detect(String)}, with the text's JSON values already read ({@code null}: not JSON). */
    private static Optional<ResultAdapter> detect(String text, List<JsonNode> roots) {
        if (roots != null && roots.size() > 1) {
            return Optional.of(BY_NAME.get(DEFAULT));
        }
        JsonNode root = roots == null || roots.isEmpty() ? null : roots.get(0);
        for (ResultAdapter a : BY_NAME.values()) {
            if (a.recognizes(text, root)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The text's JSON values, or {@code null} when it is not JSON (CSV or other text). */
    private static List<JsonNode> roots(String text) {
        try {
            return ResultJson.readRoots(text);
        } catch (ValidationException notJson) {
            return null;
        }
    }

    /**
     * Refuses input that a format named explicitly does not recognize, so that a file of another tool is
     * not half-read into results with warnings. Text that is not JSON and that no format recognizes is
     * left to the adapter, whose error says where the JSON breaks.
     *
     * @throws ValidationException (field {@code format}) naming the format, the shape it reads, what the
     *                             input is instead, and the format auto-detection recognizes in it, if any
     */
    static void requireShape(ResultAdapter adapter, String text, Caller caller) {
        List<JsonNode> roots = roots(text);
        JsonNode root = roots != null && roots.size() == 1 ? roots.get(0) : null;
        if (adapter.recognizes(text, root)) {
            return;
        }
        Optional<ResultAdapter> other = detect(text, roots);
        if (roots == null && other.isEmpty()) {
            refuseRunsTable(text, caller);
            return;
        }
        String name = adapter.name();
        throw new ValidationException(Problem.of("format", "is not " + name + " input: " + caller.naming(name)
                + " reads " + adapter.shape() + "; this input " + describe(roots) + other.map(a -> ". This looks like "
                + (a.name().equals(DEFAULT) ? "benchmon's own JSON" : a.name() + " output") + "; use "
                + caller.naming(a.name()) + " or " + caller.alternative(a.name())).orElse("")));
    }

    /**
     * Refuses a runs table the MLflow or W&B UI exports as CSV (one row per run, parameters beside metrics), which no
     * format reads: {@code auto} names it instead of reading it as benchmon's own CSV, whose reader took its
     * hyperparameters for metrics; a tool's format named explicitly says the same instead of what it reads.
     *
     * @throws ValidationException (field {@code format}) naming the table and what to export and read instead, as
     *                             {@code caller} names formats; nothing for any other text
     */
    public static void refuseRunsTable(String text, Caller caller) {
        Optional<ValidationException> refusal = RunsTables.refusal(text, caller);
        if (refusal.isPresent()) {
            throw refusal.get();
        }
    }

    /**
     * The refusal to report for input that benchmon's own format (the default) refused with {@code refusal}: when the
     * input is another tool's output, one problem naming the format to read it with, as {@code caller} names formats,
     * instead of a problem for every field benchmon's format does not know: {@code format: this looks like lm-eval
     * output, which benchmon's own format (the default) does not read: use --format lm-eval (or --format auto)}.
     * Otherwise {@code refusal} itself, whose problems say what is wrong. Called once reading failed, so that valid
     * input pays nothing for it; the CLI, the API ({@code POST /api/v1/results}) and {@link #parse} (so
     * {@code BenchmarkResult.from} and {@code Benchmon.recordFile}, each naming its own format argument) all use it.
     */
    public static ValidationException defaultFormatRefusal(String text, ValidationException refusal, Caller caller) {
        return detect(text).map(ResultAdapter::name).filter(name -> !name.equals(DEFAULT))
                .map(name -> new ValidationException(Problem.of("format", "this looks like " + name + " output, which "
                        + "benchmon's own format (the default) does not read: use " + caller.naming(name) + " (or "
                        + caller.naming(AUTO) + ")")))
                .orElse(refusal);
    }

    /** What the input is, to set beside the shape a format reads: its top-level keys, if an object. */
    private static String describe(List<JsonNode> roots) {
        if (roots == null) {
            return "is not JSON";
        }
        if (roots.size() != 1) {
            return roots.isEmpty() ? "is empty" : "is a list of " + roots.size() + " values (a JSON array or JSON Lines)";
        }
        JsonNode root = roots.get(0);
        if (!root.isObject()) {
            return "is a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT);
        }
        if (root.isEmpty()) {
            return "is an empty object";
        }
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(k -> keys.add("\"" + k + "\""));
        int shown = Math.min(keys.size(), 8);
        return "has the top-level keys " + String.join(", ", keys.subList(0, shown))
                + (keys.size() > shown ? " and " + (keys.size() - shown) + " more" : "");
    }

    /**
     * Reads results in a format, applies the overrides and validates them.
     *
     * @param format    a name of {@link #names()}
     * @param text      the whole file
     * @param overrides fields that replace what the file says
     * @throws ValidationException naming every problem (format, file shape, or result fields)
     */
    public static ParsedResults parse(String format, String text, ResultOverrides overrides) {
        return parse(format, text, overrides, Caller.TOOLKIT);
    }

    /** As {@link #parse(String, String, ResultOverrides)}, its advice worded for {@code caller}. */
    public static ParsedResults parse(String format, String raw, ResultOverrides overrides, Caller caller) {
        return parse(format, raw, overrides, caller, false);
    }

    /**
     * As {@link #parse(String, String, ResultOverrides, Caller)}; with {@code strict}, a metric value that would be
     * dropped with a warning (NaN, Infinity, null, text) refuses the input instead ({@code ?strict=true}).
     */
    public static ParsedResults parse(String format, String raw, ResultOverrides overrides, Caller caller,
                                      boolean strict) {
        String text = ByteOrderMark.skip(raw); // for a caller that read the file itself (Files.readString)
        ResultAdapter adapter = forName(format, caller);
        try {
            return adapter.convert(text).validate(overrides, adapter instanceof AutoDetect
                    ? detect(text).map(ResultAdapter::name).orElse(AUTO) : adapter.name(), strict, caller);
        } catch (ValidationException e) {
            throw adapter.name().equals(DEFAULT) ? defaultFormatRefusal(text, e, caller) : e;
        }
    }

    /** A format named explicitly: converts only input of its shape. */
    private record Named(ResultAdapter adapter, Caller caller) implements ResultAdapter {
        @Override
        public String name() {
            return adapter.name();
        }

        @Override
        public String reads() {
            return adapter.reads();
        }

        @Override
        public String shape() {
            return adapter.shape();
        }

        @Override
        public boolean recognizes(String text, JsonNode root) {
            return adapter.recognizes(text, root);
        }

        @Override
        public AdaptedResults convert(String text) {
            requireShape(adapter, text, caller);
            return adapter.convert(text).asToolOutput(); // Named wraps tools' formats only (forName)
        }
    }

    /** {@code auto}: converts with whichever adapter recognizes the content. */
    static final class AutoDetect implements ResultAdapter {
        private final Caller caller;

        AutoDetect(Caller caller) {
            this.caller = caller;
        }

        @Override
        public String name() {
            return AUTO;
        }

        @Override
        public String reads() {
            return "any of the above, told apart by content";
        }

        @Override
        public String shape() {
            return "the shape of any of the formats";
        }

        @Override
        public boolean recognizes(String text, JsonNode root) {
            return detect(text).isPresent();
        }

        @Override
        public AdaptedResults convert(String text) {
            Optional<ResultAdapter> detected = detect(text);
            if (detected.isEmpty()) {
                refuseRunsTable(text, caller);
            }
            ResultAdapter adapter = detected.orElseThrow(() -> new ValidationException(Problem.of("format",
                    "cannot tell which tool wrote this input; name its format, as " + caller.naming("NAME") + " (one of "
                            + String.join(", ", names().subList(0, names().size() - 1)) + ")")));
            AdaptedResults adapted = adapter.convert(text);
            return adapter.name().equals(DEFAULT) ? adapted : adapted.asToolOutput();
        }
    }
}
