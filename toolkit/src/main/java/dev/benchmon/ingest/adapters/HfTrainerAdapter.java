package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.detect.MetricSemantics;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ResultJson;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face Transformers {@code Trainer} output:
 * <ul>
 * <li>{@code all_results.json}, {@code eval_results.json}, {@code train_results.json} (written by
 *     {@code Trainer.save_metrics}): one flat object such as
 *     {@code {"epoch": 3.0, "eval_accuracy": 0.89, "eval_loss": 0.29, "eval_samples": 408}}, read as one
 *     result; {@code epoch} is context (metadata), and {@code <split>_samples} is {@code n} of each
 *     {@code <split>_*} metric that is a proportion ({@code eval_accuracy}, {@code eval_f1}; by
 *     {@link MetricSemantics#isProportion}) rather than a metric: a loss, runtime or throughput gets none, as the
 *     number of samples says nothing of its noise;</li>
 * <li>{@code trainer_state.json} ({@code TrainerState.save_to_json}): one training run, so one result: its
 *     last evaluation, the entries of {@code log_history} with {@code eval_*} keys at the last step that has
 *     any (several at one step when the Trainer evaluates several datasets; a later entry's key wins), with
 *     {@code step} and {@code epoch} as metadata, and {@code best_model_checkpoint} and {@code best_metric}
 *     too when the Trainer chose one. Earlier evaluation steps are the run's learning curve, not runs of the
 *     series: stored as results they were judged against each other and the series' history, and an early
 *     step's higher loss was reported as a regression. Training-loss entries are not evaluations.</li>
 * </ul>
 * Directions as the Trainer uses them: {@code *loss} lower is better (its default for choosing the
 * best model), {@code *_runtime} lower (seconds), {@code *_per_second} higher. These files name
 * neither model nor dataset: give them as overrides.
 */
final class HfTrainerAdapter implements ResultAdapter {
    private static final Pattern SPLIT_METRIC = Pattern.compile("^(eval|train|test|predict)_(.+)$");

    @Override
    public String name() {
        return "hf-trainer";
    }

    @Override
    public String reads() {
        return "Hugging Face Trainer all_results.json / eval_results.json / trainer_state.json";
    }

    @Override
    public String shape() {
        return "Hugging Face Trainer output: one JSON object with \"log_history\" (trainer_state.json), or a flat "
                + "object of metrics, no nested objects or lists, named <split>_<metric> such as \"eval_loss\" "
                + "(all_results.json, eval_results.json)";
    }

    @Override
    public boolean recognizes(String text, JsonNode root) {
        // A W&B summary may hold eval_* metrics too; its own keys tell it apart (its "_timestamp" is the run's time).
        if (root == null || !root.isObject() || root.has("model_version") || WandbAdapter.hasOwnKeys(root)) {
            return false;
        }
        if (root.path("log_history").isArray()) {
            return true;
        }
        boolean splitMetric = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isContainerNode()) {
                return false; // a value that is not a number is a metric to drop with a warning, not another shape
            }
            splitMetric |= SPLIT_METRIC.matcher(e.getKey()).matches();
        }
        return splitMetric;
    }

    @Override
    public AdaptedResults convert(String text) {
        JsonNode root = JsonInput.object(text, "Hugging Face Trainer",
                "metrics (all_results.json, eval_results.json) or \"log_history\" (trainer_state.json)");
        List<JsonNode> results = new ArrayList<>();
        List<IngestWarning> warnings = new ArrayList<>();
        Map<String, MetricDefinition> definitions = new LinkedHashMap<>();
        if (root.has("log_history")) {
            if (!root.get("log_history").isArray()) {
                throw new ValidationException(Problem.of("log_history", "must be an array of logged steps"));
            }
            ResultNode r = result(lastEvaluation(root.get("log_history")), 0, warnings, definitions);
            // Which checkpoint the Trainer judged best, for a reader who loads that one rather than the last.
            r.metadata("best_model_checkpoint", root.get("best_model_checkpoint"));
            r.metadata("best_metric", root.get("best_metric"));
            results.add(r.node());
        } else {
            results.add(result(root, 0, warnings, definitions).node());
        }
        return new AdaptedResults(results, definitions, warnings);
    }

    /**
     * The entries of the last evaluated step merged into one object: the Trainer logs one entry per evaluation
     * dataset ({@code eval_<name>_loss}), and an evaluation after training at the final step follows the
     * in-training one there, so the later entry's values win.
     */
    private static JsonNode lastEvaluation(JsonNode logHistory) {
        List<JsonNode> evaluations = new ArrayList<>();
        logHistory.forEach(entry -> {
            if (isEvaluation(entry)) {
                evaluations.add(entry);
            }
        });
        if (evaluations.isEmpty()) {
            throw new ValidationException(Problem.of("log_history", "holds no evaluation step (no eval_* keys): "
                    + "set eval_strategy on the Trainer, or read all_results.json instead"));
        }
        JsonNode lastStep = evaluations.get(evaluations.size() - 1).get("step");
        ObjectNode merged = ResultJson.mapper().createObjectNode();
        evaluations.stream().filter(e -> Objects.equals(e.get("step"), lastStep)).forEach(e -> merged.setAll((ObjectNode) e));
        return merged;
    }

    private static boolean isEvaluation(JsonNode entry) {
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            if (it.next().startsWith("eval_")) {
                return true;
            }
        }
        return false;
    }

    private static ResultNode result(JsonNode values, int index, List<IngestWarning> warnings,
                                     Map<String, MetricDefinition> definitions) {
        ResultNode r = new ResultNode(index, warnings);
        Map<String, Long> samplesBySplit = new LinkedHashMap<>();
        values.fields().forEachRemaining(e -> {
            String key = e.getKey();
            Matcher m = SPLIT_METRIC.matcher(key);
            if (key.equals("epoch") || key.equals("step")) {
                r.metadata(key, e.getValue());
            } else if (m.matches() && m.group(2).equals("samples") && e.getValue().canConvertToLong()) {
                samplesBySplit.put(m.group(1), e.getValue().longValue());
            } else if (r.metric(key, e.getValue())) {
                define(key, definitions);
            }
        });
        values.fieldNames().forEachRemaining(key -> {
            Matcher m = SPLIT_METRIC.matcher(key);
            if (m.matches() && samplesBySplit.containsKey(m.group(1))
                    && MetricSemantics.isProportion(key, definitions.get(key))) {
                r.n(key, samplesBySplit.get(m.group(1)));
            }
        });
        return r;
    }

    private static void define(String metric, Map<String, MetricDefinition> definitions) {
        if (metric.endsWith("loss")) {
            JsonInput.define(definitions, metric, MetricDirection.LOWER_IS_BETTER, null);
        } else if (metric.endsWith("_runtime")) {
            JsonInput.define(definitions, metric, MetricDirection.LOWER_IS_BETTER, "s");
        } else if (metric.endsWith("_samples_per_second")) {
            JsonInput.define(definitions, metric, MetricDirection.HIGHER_IS_BETTER, "samples/s");
        } else if (metric.endsWith("_steps_per_second")) {
            JsonInput.define(definitions, metric, MetricDirection.HIGHER_IS_BETTER, "steps/s");
        } else if (metric.equals("total_flos")) {
            JsonInput.define(definitions, metric, MetricDirection.NONE, "FLOPs");
        }
    }
}
