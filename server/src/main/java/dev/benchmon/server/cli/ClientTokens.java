package dev.benchmon.server.cli;

import java.util.List;
import java.util.Map;

/**
 * Which token a command sends to a server, one rule for every command: {@code --token}, else the variables of its
 * role in order ({@link Role}), {@code BENCHMON_TOKEN} among them. Blank values count as unset. The token itself is
 * never printed. Export, compare and metrics list never fall back to the write token: an explicit {@code --server} may be any
 * host, and a read needs a token only where the server has a read token.
 */
final class ClientTokens {
    private static final String GENERAL = "BENCHMON_TOKEN";

    /** What a request does, and so which variables hold its token, in the order they are read. */
    enum Role {
        /** Queries: export, compare, metrics list. */
        READ(GENERAL, "BENCHMON_READ_TOKEN"),
        /** alerts list: the server lets the read, triage and write tokens read alerts (the triage token first, as before). */
        ALERTS_READ("BENCHMON_READ_TOKEN", "BENCHMON_TRIAGE_TOKEN", GENERAL, "BENCHMON_WRITE_TOKEN"),
        /** push, metrics define. */
        WRITE(GENERAL, "BENCHMON_WRITE_TOKEN"),
        /** alerts ack/expect/resolve/mute/unmute/exclude/include: the triage token first; the write token also triages. */
        TRIAGE("BENCHMON_TRIAGE_TOKEN", GENERAL, "BENCHMON_WRITE_TOKEN");

        private final List<String> variables;

        Role(String... variables) {
            this.variables = List.of(variables);
        }

        /** {@code --token}'s default for this role, as its description states it. */
        String defaults() {
            return "default: $" + String.join(", else $", variables);
        }
    }

    /** The rule as the top-level help's footer and docs/QUICKREF.md state it. */
    static final String RULE = "Tokens sent to a server: --token, else export, compare and metrics list read "
            + "$BENCHMON_TOKEN, then $BENCHMON_READ_TOKEN; push and metrics define $BENCHMON_TOKEN, then $BENCHMON_WRITE_TOKEN; alerts list $BENCHMON_READ_TOKEN, "
            + "$BENCHMON_TRIAGE_TOKEN, $BENCHMON_TOKEN, then $BENCHMON_WRITE_TOKEN; triage $BENCHMON_TRIAGE_TOKEN, "
            + "$BENCHMON_TOKEN, then $BENCHMON_WRITE_TOKEN.";

    /** {@code --token}'s defaults, as each role's option states them (annotation values are constants; a test checks
     *  each equals {@link Role#defaults()}). */
    static final String READ_DEFAULT = "default: $BENCHMON_TOKEN, else $BENCHMON_READ_TOKEN";
    static final String ALERTS_READ_DEFAULT = "default: $BENCHMON_READ_TOKEN, else $BENCHMON_TRIAGE_TOKEN, else "
            + "$BENCHMON_TOKEN, else $BENCHMON_WRITE_TOKEN";
    static final String WRITE_DEFAULT = "default: $BENCHMON_TOKEN, else $BENCHMON_WRITE_TOKEN";
    static final String TRIAGE_DEFAULT = "default: $BENCHMON_TRIAGE_TOKEN, else $BENCHMON_TOKEN, else $BENCHMON_WRITE_TOKEN";

    private ClientTokens() {
    }

    /**
     * The token to send, or {@code null} for none.
     *
     * @param option the value of {@code --token}, {@code null} when not given
     * @param env    the process environment
     * @param role   what the request does
     */
    static String of(String option, Map<String, String> env, Role role) {
        if (option != null) {
            return option;
        }
        for (String name : role.variables) {
            String t = env.get(name);
            if (t != null && !t.isBlank()) {
                return t;
            }
        }
        return null;
    }
}
