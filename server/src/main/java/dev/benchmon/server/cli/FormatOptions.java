package dev.benchmon.server.cli;

import dev.benchmon.ValidationException;
import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.ResultValidator;
import dev.benchmon.ingest.adapters.ResultOverrides;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code --format}, the series overrides and {@code --metrics} of {@code push} and {@code import}: which tool wrote the
 * files ({@code dev.benchmon.ingest.adapters}), the model, dataset and prompt that replace what the files say, and the
 * metrics of each result to keep ({@link MetricSelection}).
 */
final class FormatOptions {
    @Option(names = "--format", paramLabel = "NAME", defaultValue = "json",
            description = "Format of the files: json (benchmon's own, also CSV by the .csv extension; the default), "
                    + "csv (benchmon's own CSV whatever the file's name, e.g. from stdin), lm-eval, hf-trainer, mlflow, wandb, pytest-benchmark, google-benchmark, or auto (detect).")
    String format;

    @Option(names = "--model-version", paramLabel = "M", description = "Model of every result (overrides the file; "
            + "refused when it would make several of the file's results one run of one series).")
    String modelVersion;

    @Option(names = "--dataset-version", paramLabel = "D", description = "Dataset of every result (overrides the "
            + "file; refused when it would make several of the file's results, e.g. an lm-eval file's tasks, one run of "
            + "one series).")
    String datasetVersion;

    @Option(names = "--prompt-version", paramLabel = "P", description = "Prompt version of every result (overrides the file).")
    String promptVersion;

    @Option(names = "--metrics", paramLabel = "PATTERN[,PATTERN...]",
            description = {"Keep only the metrics whose names match a pattern (glob: * any characters, ? one), e.g. "
                    + "'eval/*,loss'; the others (and their stderr and n) are left out of every result, and a warning "
                    + "says how many. A result holding none of them is skipped, named in a warning (refused only when "
                    + "no result holds one). Patterns are split at commas: match a name holding one with ?, e.g. "
                    + "'acc?none' for acc,none. For summaries of more than " + ResultValidator.MAX_METRICS
                    + " metrics, the most a result holds."})
    List<String> metrics;

    /**
     * Reads every file in the format, applies the context and the overrides, and prints a warning
     * line for every value dropped (with {@code strict}, such a value refuses the input instead). The metric definitions the files state come with the results,
     * and each result's number in the files ({@link ResultInputs.Read}).
     *
     * @param refusing the command reading, for what its refusal says was not done
     * @throws CliException (invalid input) naming every problem
     */
    ResultInputs.Read read(List<String> files, InputStream stdin, ResultInputs.ResultContext context, boolean strict,
                           PrintWriter err, ResultInputs.Refusing refusing) {
        ResultInputs.Read read = ResultInputs.read(files, stdin, context, strict, format, overrides(context),
                selection(), refusing);
        ResultInputs.printWarnings(read.parsed().warnings(), err);
        return read;
    }

    /** The metrics {@code --metrics} keeps: a new selection, counting what it leaves out, on each call. */
    MetricSelection selection() {
        return MetricSelection.of(metrics);
    }

    /**
     * The series the flags impose on every result (null fields: what the file says), each checked by its field's rules
     * first, so push and import refuse a bad one once, naming the flag, before reading any file.
     *
     * @throws CliException (invalid input) {@code invalid --model-version: must not be blank}
     */
    ResultOverrides overrides() {
        ResultInputs.checkFieldOption("--model-version", "model_version", modelVersion);
        ResultInputs.checkFieldOption("--dataset-version", "dataset_version", datasetVersion);
        ResultInputs.checkFieldOption("--prompt-version", "prompt_version", promptVersion);
        return new ResultOverrides(modelVersion, datasetVersion, promptVersion);
    }

    /**
     * {@link #overrides()} with the run's context flags ({@link ResultInputs.ResultContext#flags}: by JSON name,
     * {@code branch -> "main"}; null: not given) set as the API sets its query parameters of the same names
     * ({@link ResultOverrides#withContext(Map)}): checked by the same rules, applied after the CI defaults, so a flag
     * beats the file and the file beats a default. A refusal is told as the context tells it
     * ({@link ResultInputs.ResultContext#told}: {@code --environment ''} names the default the run would use).
     *
     * @throws CliException (invalid input) naming every refused flag: {@code invalid --branch: must not be blank}
     */
    ResultOverrides overrides(ResultInputs.ResultContext context) {
        ResultOverrides series = overrides();
        try {
            return series.withContext(context.flags());
        } catch (ValidationException e) {
            throw CONTEXT_OPTIONS.said(new ValidationException(e.problems().stream().map(context::told).toList()));
        }
    }

    /** The context flags by the field they set: {@code commit_sha -> --commit-sha}, as push declares them. */
    static final OptionNames CONTEXT_OPTIONS = new OptionNames(ResultOverrides.CONTEXT_FIELDS.stream()
            .collect(Collectors.toMap(f -> f, f -> "--" + f.replace('_', '-'))));
}
