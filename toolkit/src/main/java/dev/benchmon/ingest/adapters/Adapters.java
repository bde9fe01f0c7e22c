package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
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
 * is refused as a whole, saying what the format reads and which format the input looks like.
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

    /**
     * The adapter of a format name (case-insensitive); {@code auto} detects it from the content. The
     * {@link ResultAdapter#convert} of a tool's format got here refuses input its
     * {@link ResultAdapter#recognizes} does not accept (field {@code format}), naming what the format reads
     * and the format the input looks like.
     *
     * @throws ValidationException (field {@code format}) listing the known names
     */
    public static ResultAdapter forName(String name) {
        String key = name == null ? DEFAULT : name.trim().toLowerCase(Locale.ROOT);
        if (key.equals(AUTO)) {
            return new AutoDetect();
        }
        ResultAdapter a = BY_NAME.get(key);
        if (a == null) {
            throw new ValidationException(Problem.of("format", "unknown format '" + name + "' (known: "
                    + String.join(", ", names()) + ")"));
        }
        // The native format is not checked here: its own validation names every missing field, and a
        // result may leave model or dataset to the overrides.
        return key.equals(DEFAULT) ? a : new Named(a);
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
    static void requireShape(ResultAdapter adapter, String text) {
        List<JsonNode> roots = roots(text);
        JsonNode root = roots != null && roots.size() == 1 ? roots.get(0) : null;
        if (adapter.recognizes(text, root)) {
            return;
        }
        Optional<ResultAdapter> other = detect(text, roots);
        if (roots == null && other.isEmpty()) {
            return;
        }
        String name = adapter.name();
        throw new ValidationException(Problem.of("format", "is not " + name + " input: --format " + name + " reads "
                + adapter.shape() + "; this input " + describe(roots) + other.map(a -> ". This looks like "
                + (a.name().equals(DEFAULT) ? "benchmon's own JSON" : a.name() + " output") + "; use --format "
                + a.name() + (a.name().equals(DEFAULT) ? " or leave --format out" : " or --format auto")).orElse("")));
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
        ResultAdapter adapter = forName(format);
        return adapter.convert(text).validate(overrides, adapter instanceof AutoDetect
                ? detect(text).map(ResultAdapter::name).orElse(AUTO) : adapter.name());
    }

    /** A format named explicitly: converts only input of its shape. */
    private record Named(ResultAdapter adapter) implements ResultAdapter {
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
            requireShape(adapter, text);
            return adapter.convert(text);
        }
    }

    /** {@code auto}: converts with whichever adapter recognizes the content. */
    static final class AutoDetect implements ResultAdapter {
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
            return detect(text).orElseThrow(() -> new ValidationException(Problem.of("format",
                    "cannot tell which tool wrote this input; name it with --format (one of "
                            + String.join(", ", names().subList(0, names().size() - 1)) + ")")))
                    .convert(text);
        }
    }
}
