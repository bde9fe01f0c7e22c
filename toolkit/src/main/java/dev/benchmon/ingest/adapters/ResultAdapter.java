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
     * What this tool's files look like, by the fields that tell them apart, for the error when input given
     * in this format is not of it, e.g. {@code one JSON object with "context" and "benchmarks" (a list)}.
     */
    String shape();

    /**
     * Whether the content looks like this tool's output: how {@code --format auto} tells the formats apart,
     * and what a format named explicitly requires before it converts (bad values inside are not its
     * concern: they are dropped with warnings).
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
     *         (from {@link Adapters#forName}: field {@code format} when it is not what {@link #recognizes} accepts)
     */
    AdaptedResults convert(String text);
}
