package dev.benchmon.db;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which database errors refuse a write because of what was sent: the client must change the request (or an
 * operator the database), and sending the same request again fails the same way. The other failures are decided
 * elsewhere: out of reach for now ({@link TransientFailures}), and everything else (a permission, a bug in benchmon's
 * own SQL, a database in trouble), which the server answers and logs as its own fault. Kept narrow on purpose: a
 * server fault shown as the client's would not be retried, logged or reported.
 *
 * <p>By the SQLSTATE of the statement's error (PostgreSQL appendix A):
 * <ul>
 *   <li>{@link Kind#INVALID}: the log's month guard ({@code benchmon_ensure_log_partitions}, R__log_partitions.sql) refusing a
 *       {@code run_at}: {@code 54000} program_limit_exceeded (more new months than one write creates) or {@code 22008}
 *       datetime_field_overflow (outside the years the log holds); and values PostgreSQL cannot hold as sent:
 *       {@code 22001} a string too long, {@code 22003} a number out of range, {@code 22021} and {@code 22P05}
 *       characters the encoding cannot hold. Not any other {@code 54000} (a database that stopped accepting commands to
 *       avoid transaction-id wraparound raises it too) nor the rest of class {@code 22} (benchmon's functions raise it
 *       about their own arguments, which is a bug of the caller, not of the input);</li>
 *   <li>{@link Kind#CONFLICT}: {@code 55000} object_not_in_prerequisite_state from the month guard (a month detached
 *       from the log): the results are valid, and stay refused until an operator attaches the month again. The same
 *       SQLSTATE from anywhere else (a database that does not accept connections) is not a refusal of the input.</li>
 * </ul>
 */
public final class InputRefusals {
    private static final String MONTH_GUARD = "benchmon_ensure_log_partitions";
    /** Values PostgreSQL cannot hold as sent: too long, out of range, characters the encoding lacks. */
    private static final Set<String> VALUES_AS_SENT = Set.of("22001", "22003", "22021", "22P05");
    /** benchmon's own refusals start with the field they are about, as its validator's messages do. */
    private static final Pattern FIELD = Pattern.compile("^([a-z][a-z_]*): (.+)$", Pattern.DOTALL);

    private InputRefusals() {
    }

    /** What the request did wrong, as far as the refusal tells. */
    public enum Kind {
        /** The values sent cannot be stored (HTTP 400, exit code 2). */
        INVALID,
        /** Valid values that the database's state refuses (HTTP 409, exit code 2). */
        CONFLICT
    }

    /**
     * One refusal of a request's input.
     *
     * @param field   the field the refusal names ({@code run_at}), or {@code null} when it names none
     * @param message the database's message without the field, followed by its hint when it gave one
     */
    public record Refusal(Kind kind, String sqlState, String field, String message) {
        /** The refusal as a sentence for a user: {@code invalid run_at: ...}, or {@code run_at: ...} for a conflict. */
        public String text() {
            return (field == null ? "" : (kind == Kind.INVALID ? "invalid " : "") + field + ": ") + message;
        }
    }

    /** The refusal in {@code failure}'s cause chain, if the database refused the input; empty for any other failure. */
    public static Optional<Refusal> of(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof PSQLException p && p.getServerErrorMessage() != null && p.getSQLState() != null) {
                return of(p.getSQLState(), p.getServerErrorMessage());
            }
        }
        return Optional.empty();
    }

    private static Optional<Refusal> of(String state, ServerErrorMessage error) {
        boolean monthGuard = error.getWhere() != null && error.getWhere().contains(MONTH_GUARD);
        Kind kind;
        if (VALUES_AS_SENT.contains(state) || monthGuard && (state.equals("54000") || state.equals("22008"))) {
            kind = Kind.INVALID;
        } else if (monthGuard && state.equals("55000")) {
            kind = Kind.CONFLICT;
        } else {
            return Optional.empty();
        }
        String text = error.getMessage() == null ? "refused by the database" : error.getMessage();
        String field = null;
        Matcher m = FIELD.matcher(text);
        if (m.matches()) {
            field = m.group(1);
            text = m.group(2);
        }
        if (error.getHint() != null) {
            text += ". " + error.getHint();
        }
        return Optional.of(new Refusal(kind, state, field, text));
    }
}
