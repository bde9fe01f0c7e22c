package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.IngestWarning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * lm-evaluation-harness results ({@code results_<date>.json} from {@code lm_eval --output_path}, or
 * the dictionary {@code simple_evaluate} returns, saved as JSON). Its shape (v0.4):
 * <pre>{@code
 * {"results": {"gsm8k": {"alias": "gsm8k", "exact_match,strict-match": 0.41,
 *                        "exact_match_stderr,strict-match": 0.013}},
 *  "groups": {...same shape, for task groups...},
 *  "higher_is_better": {"gsm8k": {"exact_match": true}},
 *  "n-samples": {"gsm8k": {"original": 1319, "effective": 1319}},
 *  "n-shot": {"gsm8k": 5}, "versions": {"gsm8k": 3.0},
 *  "config": {"model": "hf", "model_args": "pretrained=EleutherAI/pythia-160m,revision=step100000,dtype=float",
 *             "model_revision": "step100000", "model_sha": "...", "model_dtype": "torch.float32"},
 *  "configs": {"gsm8k": {"task": "gsm8k", "num_fewshot": 5, ...}},
 *  "model_name": "EleutherAI/pythia-160m", "date": 1700000000.5, "lm_eval_version": "0.4.2"}
 * }</pre>
 * One result per task (and per group not also listed under {@code results}): the task name is the
 * dataset_version; every {@code metric,filter} key is a metric under exactly that name; a
 * {@code metric_stderr,filter} key is that metric's standard error ({@code "N/A"}, written when
 * no standard error was computed, is skipped); {@code n-samples.effective} is {@code n} of every
 * metric of the task; {@code higher_is_better} gives the directions. The model is
 * {@code pretrained=} (or {@code model=}) of {@code config.model_args}, else {@code model_name}, followed by
 * {@code @REVISION} when the run names a checkpoint ({@link #modelVersionOf}); a task evaluated with few-shot
 * examples ({@code n-shot} above 0) has the prompt_version {@code N-shot} ({@link #promptVersionOf});
 * {@code date} (epoch seconds, as the harness writes it) is run_at, read as benchmon's JSON reads a run_at (epoch
 * milliseconds too, told apart by magnitude; a date it cannot read is refused naming {@code date}). Older files (v0.3: {@code acc}, {@code acc_stderr}
 * without a filter) read the same way.
 */
final class LmEvalAdapter implements ResultAdapter {
    private static final String EXPECTED = "\"results\" (task -> metrics), as lm_eval --output_path writes";

    @Override
    public String name() {
        return "lm-eval";
    }

    @Override
    public String reads() {
        return "lm-evaluation-harness results_*.json: one result per task";
    }

    @Override
    public String shape() {
        return "lm-evaluation-harness results_*.json: one JSON object with \"results\" (task -> object of metrics) "
                + "and the harness's \"versions\", \"n-shot\", \"n-samples\", \"higher_is_better\" or \"config\" beside it";
    }

    @Override
    public boolean recognizes(String text, JsonNode root) {
        if (root == null || !root.path("results").isObject() || root.path("results").isEmpty()
                || root.has("model_version")) {
            return false;
        }
        for (JsonNode task : root.get("results")) {
            if (!task.isObject()) {
                return false;
            }
        }
        return root.has("versions") || root.has("n-samples") || root.has("configs") || root.has("n-shot")
                || root.has("higher_is_better") || root.has("lm_eval_version") || root.has("config");
    }

    @Override
    public AdaptedResults convert(String text) {
        JsonNode root = JsonInput.object(text, "lm-evaluation-harness", EXPECTED);
        if (!root.path("results").isObject()) {
            throw new ValidationException(Problem.of("results", "is missing or not an object: expected " + EXPECTED));
        }
        Map<String, JsonNode> tasks = new LinkedHashMap<>();
        root.get("results").fields().forEachRemaining(e -> tasks.put(e.getKey(), e.getValue()));
        root.path("groups").fields().forEachRemaining(e -> tasks.putIfAbsent(e.getKey(), e.getValue()));

        String model = modelVersionOf(root);
        boolean checkpoint = model != null && !model.equals(modelOf(root));
        List<IngestWarning> warnings = new ArrayList<>();
        Instant runAt = Timestamps.pointInTime(root.get("date"), "date", warnings);
        List<JsonNode> results = new ArrayList<>();
        Map<String, MetricDefinition> definitions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> task : tasks.entrySet()) {
            String name = task.getKey();
            JsonNode values = task.getValue();
            if (!values.isObject()) {
                continue;
            }
            ResultNode r = new ResultNode(results.size(), warnings);
            if (checkpoint) {
                // NAME@REVISION can be longer than a name may be where NAME alone was not: shortened, not refused
                r.derivedName("model_version", model);
            } else {
                r.text("model_version", model);
            }
            r.text("dataset_version", name).text("prompt_version", promptVersionOf(root, name)).runAt(runAt);
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("alias") && stderrOf(e.getKey()) == null) {
                    r.metric(e.getKey(), e.getValue());
                }
            }
            values.fields().forEachRemaining(e -> {
                String metric = stderrOf(e.getKey());
                boolean notComputed = e.getValue().isTextual() && e.getValue().asText().equals("N/A");
                if (metric != null && !notComputed) {
                    r.stderr(metric, e.getValue());
                }
            });
            long n = sampleCount(root.path("n-samples").path(name));
            values.fieldNames().forEachRemaining(m -> r.n(m, n));
            String alias = JsonInput.text(values, "alias");
            if (alias != null && !alias.strip().equals(name)) {
                r.metadata("alias", alias.strip());
            }
            r.metadata("n_shot", root.path("n-shot").get(name));
            r.metadata("task_version", root.path("versions").get(name));
            r.metadata("lm_eval_version", JsonInput.text(root, "lm_eval_version"));
            r.metadata("model_args", root.path("config").get("model_args"));
            directions(root.path("higher_is_better").path(name), values, definitions);
            results.add(r.node());
        }
        return new AdaptedResults(results, definitions, warnings,
                AdaptedResults.everyResult(results.size(), Timestamps.readBefore(runAt, root.get("date"))));
    }

    /** The metric a {@code name_stderr,filter} or {@code name_stderr} key is the standard error of, else null. */
    static String stderrOf(String key) {
        int comma = key.indexOf(',');
        String base = comma < 0 ? key : key.substring(0, comma);
        if (!base.endsWith("_stderr")) {
            return null;
        }
        return base.substring(0, base.length() - "_stderr".length()) + (comma < 0 ? "" : key.substring(comma));
    }

    private static long sampleCount(JsonNode n) {
        JsonNode v = n.has("effective") ? n.get("effective") : n.get("original");
        return v != null && v.canConvertToLong() ? v.longValue() : 0;
    }

    /** {@code higher_is_better} names the metric without its filter: it applies to every filter of it. */
    private static void directions(JsonNode higherIsBetter, JsonNode values, Map<String, MetricDefinition> definitions) {
        values.fieldNames().forEachRemaining(key -> {
            int comma = key.indexOf(',');
            JsonNode flag = higherIsBetter.get(comma < 0 ? key : key.substring(0, comma));
            if (flag != null && flag.isBoolean() && !key.equals("alias") && stderrOf(key) == null) {
                JsonInput.define(definitions, key, flag.asBoolean() ? MetricDirection.HIGHER_IS_BETTER
                        : MetricDirection.LOWER_IS_BETTER, null);
            }
        });
    }

    /**
     * The model_version of the file's results: {@link #modelOf the model}, and when the run names a checkpoint of it
     * other than the default branch, {@code MODEL@REVISION} ({@code EleutherAI/pythia-1b@step100000}), the notation
     * of the Hugging Face Hub for a repository at a revision ({@code huggingface_hub.HfFileSystem} paths,
     * {@code hf://EleutherAI/pythia-1b@step100000/...}; https://huggingface.co/docs/huggingface_hub/guides/hf_file_system).
     * So checkpoints of one model (Pythia's {@code step100000}, {@code step143000}) are series of their own, each judged
     * against its own runs, not one series in which an earlier checkpoint is a regression of the later one.
     *
     * <p>The revision is {@code revision=} of {@code config.model_args} (what the user asked the harness to load; HF
     * models, vLLM), else {@code config.model_revision} (what lm-eval 0.4's HF model reports, {@code "main"} unless
     * asked otherwise). {@code main}, the Hub's default branch, is no revision: such a run and one that names none are
     * one series, the model's name as before. {@code config.model_sha}, the commit the default branch pointed at, is
     * not a revision the user chose (it moves with every upload to the model's repository), so it separates nothing.
     *
     * @return {@code MODEL} or {@code MODEL@REVISION}; null when the file names no model
     */
    static String modelVersionOf(JsonNode root) {
        String model = modelOf(root);
        String revision = argOf(root, "revision");
        if (revision == null) {
            revision = JsonInput.text(root.path("config"), "model_revision");
        }
        return model == null || revision == null || revision.strip().equals(DEFAULT_BRANCH) ? model
                : model + "@" + revision.strip();
    }

    /** The Hugging Face Hub's default branch, which lm-eval's HF model loads when no revision is given. */
    private static final String DEFAULT_BRANCH = "main";

    /**
     * The prompt_version of a task's result: {@code N-shot} ({@code 5-shot}) when it was evaluated with N > 0
     * few-shot examples, else null (no prompt version, as every result of this format had before), so that 0-shot and
     * 5-shot runs of a task are two series, not one whose points jump with the shots. N is the task's {@code n-shot}
     * (lm-eval 0.4), else {@code configs.TASK.num_fewshot}; a group that states neither has the N its subtasks
     * ({@code group_subtasks}) share, none when they differ.
     */
    static String promptVersionOf(JsonNode root, String task) {
        Integer shots = shotsOf(root, task);
        if (shots == null) {
            Set<Integer> ofSubtasks = new HashSet<>();
            for (JsonNode subtask : root.path("group_subtasks").path(task)) {
                ofSubtasks.add(subtask.isTextual() ? shotsOf(root, subtask.asText()) : null);
            }
            shots = ofSubtasks.size() == 1 ? ofSubtasks.iterator().next() : null;
        }
        return shots != null && shots > 0 ? shots + "-shot" : null;
    }

    /** The task's {@code n-shot}, else its {@code configs.TASK.num_fewshot}; null when neither is a whole number. */
    private static Integer shotsOf(JsonNode root, String task) {
        for (JsonNode n : new JsonNode[]{root.path("n-shot").path(task), root.path("configs").path(task).path("num_fewshot")}) {
            if (n.isIntegralNumber() && n.canConvertToInt()) {
                return n.intValue();
            }
            if (n.isTextual() && n.asText().strip().matches("[0-9]{1,6}")) {
                return Integer.parseInt(n.asText().strip());
            }
        }
        return null;
    }

    /** {@code pretrained=} (or {@code model=}) of {@code config.model_args}, a string or an object; else {@code model_name}. */
    static String modelOf(JsonNode root) {
        for (String key : new String[]{"pretrained", "model"}) {
            String value = argOf(root, key);
            if (value != null) {
                return value;
            }
        }
        return JsonInput.text(root, "model_name");
    }

    /**
     * The value of {@code key} in {@code config.model_args}: a {@code k=v,k=v} string as {@code --model_args} takes
     * it, or an object ({@code simple_evaluate(model_args={...})}); null when absent or blank.
     */
    private static String argOf(JsonNode root, String key) {
        JsonNode args = root.path("config").path("model_args");
        if (args.isObject() && args.path(key).isTextual() && !args.path(key).asText().isBlank()) {
            return args.path(key).asText();
        }
        if (args.isTextual()) {
            for (String pair : args.asText().split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(key) && !pair.substring(eq + 1).isBlank()) {
                    return pair.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }
}
