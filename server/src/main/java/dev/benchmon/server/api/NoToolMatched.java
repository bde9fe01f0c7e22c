package dev.benchmon.server.api;

import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.adapters.Adapters;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code auto} says when no tool's format recognizes the input and benchmon's own format, which it then reads,
 * refuses it too ({@code push --format auto}, {@code POST /api/v1/results?format=auto}): first that no tool's format
 * matched, naming those tried and how to name one, then the own format's problems. Without the first, a tool's file of
 * an unknown shape read as five field errors of benchmon's format, as if auto had taken it for one.
 */
public final class NoToolMatched {
    private NoToolMatched() {
    }

    /**
     * {@code refusal}'s problems after one (field {@code format}) saying that no tool's format matched:
     * {@code no tool's format matched this input (tried google-benchmark, hf-trainer, ...), so it was read as benchmon's
     * own JSON, which refuses it for the problems below; if a tool wrote it, name its format: --format NAME}.
     *
     * @param readAs what it was read as instead: {@code benchmon's own JSON} or {@code benchmon's own CSV}
     * @param naming how the caller names a format, {@code %s} for the name: {@code --format %s}, {@code format=%s}
     */
    public static ValidationException refusal(ValidationException refusal, String readAs, String naming) {
        List<String> tools = new ArrayList<>(Adapters.names());
        tools.removeAll(List.of(Adapters.DEFAULT, Adapters.AUTO));
        List<Problem> problems = new ArrayList<>();
        problems.add(Problem.of("format", "no tool's format matched this input (tried " + String.join(", ", tools)
                + "), so it was read as " + readAs + ", which refuses it for the problem(s) after this one; if a tool "
                + "wrote it, name its format: " + String.format(java.util.Locale.ROOT, naming, "NAME")));
        problems.addAll(refusal.problems());
        return new ValidationException(problems);
    }
}
