package dev.benchmon;

import java.util.Collection;

/**
 * A query named a model, metric or other thing that the database does not hold. The message lists
 * what is known, e.g. {@code unknown metric 'f-1' (known: f1, precision, recall)}.
 */
public class UnknownNameException extends BenchmonException {
    private final String kind;
    private final String name;

    public UnknownNameException(String kind, String name, Collection<String> known) {
        super("unknown " + kind + " '" + name + "' (known: "
                + (known.isEmpty() ? "none yet; record a result first" : String.join(", ", known)) + ")");
        this.kind = kind;
        this.name = name;
    }

    /** What sort of name it was: {@code model}, {@code metric}, ... */
    public String kind() {
        return kind;
    }

    /** The name that was not found. */
    public String name() {
        return name;
    }
}
