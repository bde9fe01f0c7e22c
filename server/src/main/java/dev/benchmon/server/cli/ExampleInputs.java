package dev.benchmon.server.cli;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.ExampleOutcome;
import dev.benchmon.ValidationException;
import dev.benchmon.ingest.ExamplesJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** {@code push --examples FILE}: per-example outcomes from a JSON Lines file, attached to the one result pushed. */
final class ExampleInputs {
    private ExampleInputs() {
    }

    /**
     * {@code results} with the examples of {@code file} attached, or unchanged when {@code file} is null.
     *
     * @throws CliException (invalid input) when there is not exactly one result, the result already has examples,
     *                      or the file is unreadable or invalid (naming each line at fault)
     */
    static List<BenchmarkResult> attach(List<BenchmarkResult> results, Path file) {
        if (file == null) {
            return results;
        }
        if (results.size() != 1) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--examples belongs to one result, but " + results.size()
                    + " are being pushed; push the result it belongs to on its own, or put the items in that result's "
                    + "\"examples\" field");
        }
        if (!results.get(0).examples().isEmpty()) {
            throw new CliException(ExitCodes.INVALID_INPUT, "the result already has an \"examples\" field; give the items "
                    + "either there or with --examples, not both");
        }
        String text;
        try {
            text = Utf8Text.decode(Files.readAllBytes(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "no such file: " + file + " (--examples takes a JSON Lines "
                    + "file with one {\"id\", \"score\", \"slice\"} object per line)");
        } catch (IOException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "cannot read " + file + ": " + e.getMessage());
        }
        try {
            List<ExampleOutcome> examples = ExamplesJson.fromJsonLines(text);
            return List.of(results.get(0).toBuilder().examples(examples).build());
        } catch (ValidationException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "invalid examples in " + file + ", nothing was sent:\n  "
                    + e.problems().stream().map(Object::toString).collect(Collectors.joining("\n  ")));
        }
    }
}
