package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.ResultJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fields that replace what an input file says: the series (the CLI's {@code --model-version},
 * {@code --dataset-version} and {@code --prompt-version}) and the run's context ({@link #CONTEXT_FIELDS}, as
 * {@code benchmon push --environment/--commit-sha/--branch/--run-id/--triggered-by} set them; the API's query
 * parameters of the same names). A {@code null} field, or a context field not in the map, leaves the file's value.
 *
 * @param modelVersion   the model every result belongs to, or {@code null}
 * @param datasetVersion the dataset every result was evaluated on, or {@code null}
 * @param promptVersion  the prompt version of every result, or {@code null}
 * @param context        context fields of every result by their JSON name (of {@link #CONTEXT_FIELDS}), each value
 *                       non-null
 */
public record ResultOverrides(String modelVersion, String datasetVersion, String promptVersion,
                              Map<String, String> context) {
    /** The context fields an override may set, by their JSON names. */
    public static final List<String> CONTEXT_FIELDS = List.of("environment", "commit_sha", "branch", "run_id",
            "triggered_by");

    /** No overrides: every result as the file says. */
    public static final ResultOverrides NONE = new ResultOverrides(null, null, null);

    public ResultOverrides {
        context = context == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(context));
        context.forEach((field, value) -> {
            if (!CONTEXT_FIELDS.contains(field) || value == null) {
                throw new IllegalArgumentException("a context override is one of " + CONTEXT_FIELDS
                        + " with a value, got " + field + "=" + value);
            }
        });
    }

    /** Series overrides only, no context. */
    public ResultOverrides(String modelVersion, String datasetVersion, String promptVersion) {
        this(modelVersion, datasetVersion, promptVersion, Map.of());
    }

    /** Overrides the model only. */
    public static ResultOverrides model(String modelVersion) {
        return new ResultOverrides(modelVersion, null, null);
    }

    /** A copy with the dataset set. */
    public ResultOverrides withDataset(String datasetVersion) {
        return new ResultOverrides(modelVersion, datasetVersion, promptVersion, context);
    }

    /** A copy with the prompt set. */
    public ResultOverrides withPrompt(String promptVersion) {
        return new ResultOverrides(modelVersion, datasetVersion, promptVersion, context);
    }

    /**
     * A copy with the run's context set: every field of {@link #CONTEXT_FIELDS} that {@code given} holds a value for
     * (a {@code null} value, or a field not in it: the file's value), each checked by its field's own rules first
     * ({@link #problem}). The one way {@code benchmon push}'s context flags and {@code POST /api/v1/results}'s context
     * parameters reach the results, so both refuse and store a value alike.
     *
     * @param given context values by JSON name, e.g. {@code branch -> "main"}
     * @throws ValidationException one problem per refused value, named by its field ({@code branch: must not be
     *                             blank}): the caller names its option or parameter by it, once, not once per result
     * @throws IllegalArgumentException for a field that is not a context field
     */
    public ResultOverrides withContext(Map<String, String> given) {
        Map<String, String> more = new LinkedHashMap<>(context);
        List<Problem> problems = new ArrayList<>();
        given.forEach((field, value) -> {
            if (!CONTEXT_FIELDS.contains(field)) {
                throw new IllegalArgumentException("not a context field: " + field + " (one of " + CONTEXT_FIELDS + ")");
            }
            if (value != null) {
                problem(field, value).ifPresentOrElse(p -> problems.add(Problem.of(field, p)), () -> more.put(field, value));
            }
        });
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return new ResultOverrides(modelVersion, datasetVersion, promptVersion, more);
    }

    /** Writes the overriding fields into a result object of the native JSON shape. */
    public void applyTo(ObjectNode result) {
        if (modelVersion != null) {
            result.put("model_version", modelVersion);
        }
        if (datasetVersion != null) {
            result.put("dataset_version", datasetVersion);
        }
        if (promptVersion != null) {
            result.put("prompt_version", promptVersion);
        }
        context.forEach(result::put);
    }

    /**
     * What is wrong with {@code value} as the field {@code field} of every result, by the field's own rules (blank,
     * too long, invisible), or empty: so that an override is refused once, naming the option or parameter that gave it,
     * not once per result. {@code null} (not given) passes.
     */
    public static Optional<String> problem(String field, String value) {
        if (value == null) {
            return Optional.empty();
        }
        ObjectNode probe = ResultJson.mapper().createObjectNode().put("model_version", "m").put("dataset_version", "d");
        probe.putObject("metrics").put("m", 0);
        probe.put(field, value);
        List<Problem> problems = new ArrayList<>();
        ResultJson.fromNode(probe, 0, true, problems, new ArrayList<>());
        return problems.stream().filter(p -> p.field().equals(field)).map(Problem::message).findFirst();
    }
}
