package dev.benchmon;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Input that benchmon refuses to store. Holds every problem found, each naming its field (and, in a
 * batch, the index of the result), so that a caller can fix them all at once. Nothing was stored. The message
 * reads {@code invalid benchmark input (N problems; nothing was stored): field: message; ...}, a result's problem
 * {@code result 3, results[2].metrics.acc: message} ({@link Problem#where}); a refused argument of
 * a query or option is the subclass {@link InvalidArgumentException}, worded as such.
 */
public class ValidationException extends BenchmonException {
    private final List<Problem> problems;

    public ValidationException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public ValidationException(Problem problem) {
        this(List.of(problem));
    }

    /** For a subclass that words its message itself ({@link InvalidArgumentException}). */
    protected ValidationException(String message, List<Problem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in input order. */
    public List<Problem> problems() {
        return problems;
    }

    /**
     * The problems alone ({@code field: message; ...}), for a refused read (a query, a comparison): the message's
     * "nothing was stored" is true of a refused write only.
     */
    public String problemText() {
        return text(problems);
    }

    private static String describe(List<Problem> problems) {
        String noun = problems.size() == 1 ? "problem" : "problems";
        return "invalid benchmark input (" + problems.size() + " " + noun + "; nothing was stored): " + text(problems);
    }

    /** {@code field: message; ...} */
    static String text(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }

    /**
     * One thing wrong with the input.
     *
     * @param index   position of the result in a batch (0-based), or {@code null} for a single result
     * @param field   the field at fault, e.g. {@code metrics.f1}
     * @param message what is wrong, and what is allowed
     */
    public record Problem(Integer index, String field, String message) {
        public static Problem of(String field, String message) {
            return new Problem(null, field, message);
        }

        /** The same problem, placed at a batch index. */
        public Problem at(int batchIndex) {
            return new Problem(batchIndex, field, message);
        }

        @Override
        public String toString() {
            return where() + ": " + message;
        }

        /**
         * Where the problem is: the field alone, or in a batch the result by its position counted from 1 and the
         * field's JSON path ({@code result 3, results[2].metrics.acc}, {@link ResultPlace#named}).
         */
        public String where() {
            return ResultPlace.named(index, field);
        }
    }
}
