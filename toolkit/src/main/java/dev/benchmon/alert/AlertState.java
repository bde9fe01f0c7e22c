package dev.benchmon.alert;

import dev.benchmon.ValidationException;

import java.util.Arrays;
import java.util.Locale;

/**
 * The state of an alert. The detector opens alerts ({@link #OPEN}, or {@link #MUTED} under a mute) and
 * resolves them when a later run is back within noise; people move them with a comment.
 */
public enum AlertState {
    /** Needs someone: the only state that fails {@code push --fail-on-regression}. */
    OPEN,
    /** Someone is on it (who and a comment are in its history). */
    ACKNOWLEDGED,
    /** An intended change: the alert's run starts the baseline of its series and metric. */
    EXPECTED,
    /** Back within noise (automatic), or closed by hand. */
    RESOLVED,
    /** Silenced: recorded, not notified, not failing CI. */
    MUTED;

    /** The name stored and sent: {@code open}, {@code acknowledged}, ... */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the alert still follows newer runs (open, acknowledged or muted). */
    public boolean active() {
        return this == OPEN || this == ACKNOWLEDGED || this == MUTED;
    }

    /**
     * Parses a state name (case-insensitive; {@code ack} for acknowledged).
     *
     * @throws ValidationException naming {@code field} when it is not a state
     */
    public static AlertState parse(String field, String value) {
        if (value != null) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.equals("ack")) {
                return ACKNOWLEDGED;
            }
            for (AlertState s : values()) {
                if (s.sqlName().equals(v)) {
                    return s;
                }
            }
        }
        throw new dev.benchmon.InvalidArgumentException(ValidationException.Problem.of(field, "must be one of "
                + Arrays.stream(values()).map(AlertState::sqlName).toList() + ", got "
                + (value == null ? "nothing" : "'" + value + "'")));
    }
}
