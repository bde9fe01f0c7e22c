package dev.benchmon.server.cli;

import dev.benchmon.ResultPlace;
import dev.benchmon.ValidationException.Problem;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each file's results start among all the input's results, so that a refusal found over the whole input (two
 * results of one run, a key shared with other values: {@link dev.benchmon.ingest.OneResultPerRun}) names each result
 * as a problem found in one file does: by its file and its place there ({@code b.json: result 2, results[1].run_id:
 * ...}), and, of several files, each result it names with its file ({@code result 1 (results[0]) of a.json}).
 */
final class FilePlaces {
    private final boolean several;
    private final List<String> labels = new ArrayList<>();
    private final List<Long> starts = new ArrayList<>();
    /** The line a result starts on in its file, by its index among all, for the results a refusal places at. */
    private final java.util.Map<Long, Long> lines = new java.util.HashMap<>();

    /** @param files how many files the input has: of one, a message names no file beside a
     *              result, as the refusal's line names it */
    FilePlaces(int files) {
        this.several = files > 1;
    }

    /** The file {@code label}'s results start at index {@code offset} among all the input's results; files in order. */
    void start(String label, long offset) {
        labels.add(label);
        starts.add(offset);
    }

    /**
     * The result at {@code index} among all starts on {@code line} of its file (ignored when not known: 0 or less), so that
     * a refusal placed at it names the line, as a problem found in one file does ({@code b.json: line 4: result 2, ...}).
     * Noted only for the results {@link dev.benchmon.ingest.OneResultPerRun#add} finds a pair's later one.
     */
    void line(long index, long line) {
        if (line > 0) {
            lines.put(index, line);
        }
    }

    /** The result at {@code index} is named without its line: the only result of its file, which needs none. */
    void forgetLine(long index) {
        lines.remove(index);
    }

    /** {@code result 2 (results[1]) of b.json}: the result at {@code index} among all, in its file; no file of one. */
    String named(long index) {
        int file = fileOf(index);
        return ResultPlace.named(index - starts.get(file)) + (several ? " of " + labels.get(file) : "");
    }

    /**
     * {@code problem}, placed at an index among all the input's results, as its line of the refusal: {@code b.json:
     * line 4: result 2, results[1].run_id: ...} ({@link ResultInputs#located}; the line when {@link #line noted}); a
     * problem placed at no result as it is.
     */
    String located(Problem problem) {
        if (problem.index() == null) {
            return problem.toString();
        }
        int file = fileOf(problem.index());
        Problem inFile = new Problem((int) (problem.index() - starts.get(file)), problem.field(), problem.message());
        Long line = lines.get((long) problem.index());
        return ResultInputs.located(labels.get(file), line == null ? inFile : ResultInputs.onLine(inFile, line));
    }

    /**
     * What a warning of the result at {@code index} among all adds to that number: its file and its place there,
     * {@code " (result 3 of b.json)"} ({@link ResultInputs#inFile}); empty of one file.
     */
    String inFile(long index) {
        int file = fileOf(index);
        return ResultInputs.inFile(several ? 2 : 1, labels.get(file), index - starts.get(file));
    }

    /** The last file started at or before {@code index}: a file without results starts where the next one does. */
    private int fileOf(long index) {
        for (int f = starts.size() - 1; f > 0; f--) {
            if (starts.get(f) <= index) {
                return f;
            }
        }
        return 0;
    }
}
