package dev.benchmon.alert;

import dev.benchmon.BenchmonException;

/** An alert, run or series named by id does not exist (the server answers 404). */
public class NotFoundException extends BenchmonException {
    private final String kind;

    public NotFoundException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** {@code alert}, {@code run}, {@code series} or {@code mute}. */
    public String kind() {
        return kind;
    }
}
