package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Series fields that replace what an input file says (the CLI's {@code --model-version},
 * {@code --dataset-version} and {@code --prompt-version}). A {@code null} field leaves the file's value.
 *
 * @param modelVersion   the model every result belongs to, or {@code null}
 * @param datasetVersion the dataset every result was evaluated on, or {@code null}
 * @param promptVersion  the prompt version of every result, or {@code null}
 */
public record ResultOverrides(String modelVersion, String datasetVersion, String promptVersion) {
    /** No overrides: every result as the file says. */
    public static final ResultOverrides NONE = new ResultOverrides(null, null, null);

    /** Overrides the model only. */
    public static ResultOverrides model(String modelVersion) {
        return new ResultOverrides(modelVersion, null, null);
    }

    /** A copy with the dataset set. */
    public ResultOverrides withDataset(String datasetVersion) {
        return new ResultOverrides(modelVersion, datasetVersion, promptVersion);
    }

    /** A copy with the prompt set. */
    public ResultOverrides withPrompt(String promptVersion) {
        return new ResultOverrides(modelVersion, datasetVersion, promptVersion);
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
    }
}
