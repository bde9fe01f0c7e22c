package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ResultJson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Weights &amp; Biases run summary, {@code wandb-summary.json} in the run's {@code files} folder
 * (or {@code run.summary} saved as JSON): {@code {"eval": {"loss": 2.46}, "train/acc": 0.9,
 * "_step": 10, "_runtime": 288, "_timestamp": 1700000000.5, "_wandb": {"runtime": 288}}}. One
 * result: nested objects are flattened with {@code /} (W&amp;B's own separator, so {@code eval/loss}
 * reads the same however it was logged); keys starting with {@code _} are context, not metrics:
 * {@code _timestamp} (epoch seconds, read as benchmon's JSON reads a run_at, so epoch milliseconds too; one it
 * cannot read is refused naming it) is run_at, {@code _step} and {@code _runtime} go to metadata.
 * A value that is not a finite number is judged as in benchmon's JSON (dropped with a warning, refused when strict),
 * also written as text ({@code "NaN"}, {@code "-Infinity"}, {@code "inf"}, {@link #NON_FINITE}). Media and other
 * typed objects ({@code {"_type": "histogram", ...}}), other text, flags and lists are no metric values: dropped with
 * a warning, strict or not. The summary names neither model nor dataset, and W&amp;B states no directions.
 */
final class WandbAdapter implements ResultAdapter {
    /**
     * The refusal of input that is not JSON at all: most often the runs table the W&amp;B UI exports as CSV, which a
     * JSON parser's error ("Unexpected character (',')") does not explain.
     */
    static final String NOT_A_SUMMARY = "is not a W&B run summary: the wandb format reads a run's wandb-summary.json (in "
            + "the run's files folder, or run.summary saved as JSON), and this input is not JSON. A runs table exported "
            + "from the W&B UI as CSV is not read: " + String.format(Locale.ROOT, RunsTables.WANDB_INSTEAD, "the wandb format");

    /**
     * A value that is not a finite number as W&amp;B and Python write it as text ({@code "NaN"}, {@code "nan"},
     * {@code "Infinity"}, {@code "-Infinity"}, {@code "inf"}, {@code "-inf"}; any case and sign, as Python's
     * {@code float()} reads them): the value the run logged, not a note.
     */
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    @Override
    public String name() {
        return "wandb";
    }

    @Override
    public String reads() {
        return "Weights & Biases wandb-summary.json: one result";
    }

    @Override
    public String shape() {
        return "a W&B run summary (wandb-summary.json): one JSON object of metrics with W&B's own \"_wandb\", "
                + "\"_step\", \"_runtime\" or \"_timestamp\" keys beside them";
    }

    @Override
    public boolean recognizes(String text, JsonNode root) {
        return root != null && root.isObject() && !root.has("model_version") && hasOwnKeys(root);
    }

    /** Whether {@code object} carries W&B's own keys beside its metrics ({@code _wandb}, {@code _step}, ...). */
    static boolean hasOwnKeys(JsonNode object) {
        return object.has("_wandb") || object.has("_step") || object.has("_runtime") || object.has("_timestamp");
    }

    @Override
    public AdaptedResults convert(String text) {
        JsonNode root;
        try {
            root = JsonInput.object(text, "W&B", "the run summary (wandb-summary.json)");
        } catch (ValidationException e) {
            String start = text.strip();
            if (start.isEmpty() || start.charAt(0) == '{' || start.charAt(0) == '[') {
                throw e; // JSON, broken: its error says where
            }
            throw new ValidationException(Problem.of("format", NOT_A_SUMMARY));
        }
        List<IngestWarning> warnings = new ArrayList<>();
        Instant runAt = Timestamps.pointInTime(root.get("_timestamp"), "_timestamp", warnings);
        ResultNode r = new ResultNode(0, warnings).runAt(runAt);
        r.metadata("step", root.get("_step"));
        r.metadata("runtime_s", root.get("_runtime"));
        flatten("", root, r);
        return new AdaptedResults(List.of(r.node()), Map.of(), warnings,
                AdaptedResults.everyResult(1, Timestamps.readBefore(runAt, root.get("_timestamp"))));
    }

    /** The number a {@link #NON_FINITE} text spells. */
    private static double nonFinite(String text) {
        if (text.toLowerCase(Locale.ROOT).endsWith("nan")) {
            return Double.NaN;
        }
        return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    private static void flatten(String prefix, JsonNode object, ResultNode r) {
        object.fields().forEachRemaining(e -> {
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.startsWith("_")) {
                return; // W&B's own context: _step, _runtime, _timestamp, _wandb
            }
            String name = prefix + key;
            if (v.isObject() && v.has("_type")) {
                r.warnDropped(dev.benchmon.ResultPlace.key("metrics", name), "a W&B " + v.get("_type").asText() + " object is not a number: dropped");
            } else if (v.isObject()) {
                flatten(name + "/", v, r);
            } else if (v.isTextual() && NON_FINITE.matcher(v.asText()).matches()) {
                r.metric(name, nonFinite(v.asText())); // judged as a bare NaN: dropped with its warning, strict refused
            } else if (v.isBoolean() || v.isTextual() && !ResultJson.isNumericText(v)) {
                // A summary holds whatever the run logged last, not only metrics ("note": "lr warmup", a flag): no
                // metric value at all, so left out with a warning even when strict refuses broken metric values.
                r.warnDropped(dev.benchmon.ResultPlace.key("metrics", name), ResultNode.describe(v) + " is not a metric value (W&B logged it as "
                        + (v.isBoolean() ? "a flag" : "text") + "): dropped");
            } else {
                r.metric(name, v);
            }
        });
    }
}
