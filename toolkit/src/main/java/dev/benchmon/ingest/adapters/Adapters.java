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
 * The adapters by name, and detection of the format from content ({@code auto}).
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
     * The adapter of a format name (case-insensitive); {@code auto} detects it from the content.
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
        return a;
    }

    /**
     * The format of this content, if one adapter recognizes it. Several JSON values (JSON Lines) are
     * the native format; text that is not JSON is only recognized as MLflow's metric CSV.
     */
    public static Optional<ResultAdapter> detect(String text) {
        JsonNode root = null;
        try {
            List<JsonNode> roots = ResultJson.readRoots(text);
            if (roots.size() > 1) {
                return Optional.of(BY_NAME.get(DEFAULT));
            }
            root = roots.isEmpty() ? null : roots.get(0);
        } catch (ValidationException notJson) {
            // CSV or other text: only adapters that read text can claim it
        }
        for (ResultAdapter a : BY_NAME.values()) {
            if (a.recognizes(text, root)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
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
