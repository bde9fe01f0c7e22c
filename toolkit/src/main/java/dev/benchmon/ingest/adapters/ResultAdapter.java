package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads one tool's output and converts it to results in benchmon's native JSON shape. Implementations
 * are stateless and thread-safe.
 */
public interface ResultAdapter {
    /** The name {@code --format} takes, e.g. {@code lm-eval}. */
    String name();

    /** What the adapter reads, in one line for help texts: the tool and its file. */
    String reads();

    /**
     * Whether the content looks like this tool's output (for {@code --format auto}).
     *
     * @param text the whole input
     * @param root the input parsed as one JSON value, or {@code null} when it is not one JSON value
     */
    boolean recognizes(String text, JsonNode root);

    /**
     * Converts the input. Results that lack what the file does not say (often model_version or
     * dataset_version) are left without it, to be filled by {@link ResultOverrides}.
     *
     * @throws dev.benchmon.ValidationException when the input is not this tool's format, naming what is missing
     */
    AdaptedResults convert(String text);
}
