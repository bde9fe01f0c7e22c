package dev.benchmon.server.cli;

import java.util.List;
import java.util.Map;

/**
 * Which token a command sends to a server, one rule for every command: {@code --token}, else {@code BENCHMON_TOKEN},
 * else the variable the server itself reads for the request's role ({@code BENCHMON_READ_TOKEN} for reads,
 * {@code BENCHMON_WRITE_TOKEN} for pushes, {@code BENCHMON_TRIAGE_TOKEN} for triage), else the write token where the
 * server also accepts it (reads and triage). Blank values count as unset. The token itself is never printed.
 */
final class ClientTokens {
    /** What a request does, and so which of the server's token variables applies to it. */
    enum Role {
        /** Queries: export, compare, alerts list. The write token also reads. */
        READ("BENCHMON_READ_TOKEN", "BENCHMON_WRITE_TOKEN"),
        /** push. */
        WRITE("BENCHMON_WRITE_TOKEN"),
        /** alerts ack/expect/resolve/mute/unmute/exclude/include. The write token also triages. */
        TRIAGE("BENCHMON_TRIAGE_TOKEN", "BENCHMON_WRITE_TOKEN");

        private final List<String> variables;

        Role(String... variables) {
            this.variables = List.of(variables);
        }
    }

    /** The rule as the top-level help's footer and docs/QUICKREF.md state it. */
    static final String RULE = "Tokens sent to a server: --token, else $BENCHMON_TOKEN, else the server's own variable for "
            + "the command: $BENCHMON_READ_TOKEN for reads (export, compare, alerts list), $BENCHMON_WRITE_TOKEN for push, "
            + "$BENCHMON_TRIAGE_TOKEN for triage; reads and triage fall back to $BENCHMON_WRITE_TOKEN.";

    /** {@code --token}'s default, for the option's description of a command that reads. */
    static final String READ_DEFAULT = "default: $BENCHMON_TOKEN, else $BENCHMON_READ_TOKEN, else $BENCHMON_WRITE_TOKEN";
    /** {@code --token}'s default for push. */
    static final String WRITE_DEFAULT = "default: $BENCHMON_TOKEN, else $BENCHMON_WRITE_TOKEN";
    /** {@code --token}'s default for triage (and, for alerts list, {@link #READ_DEFAULT}). */
    static final String TRIAGE_DEFAULT = "default: $BENCHMON_TOKEN, else $BENCHMON_TRIAGE_TOKEN, else $BENCHMON_WRITE_TOKEN";

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
        String general = env.get("BENCHMON_TOKEN");
        if (general != null && !general.isBlank()) {
            return general;
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
