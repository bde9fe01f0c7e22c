package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code benchmon push} does for a server of an earlier version, which refuses a field this version sends: CI
 * jobs often run a newer command line than the server they push to.
 */
final class OlderServer {
    private OlderServer() {
    }

    /**
     * Whether {@code refusal} is a server's 400 naming {@code run_at_sent} as an unknown field: a version before the
     * field (2026-12-02) refuses the whole request for it, storing nothing.
     */
    static boolean refusedRunAtSent(CliException refusal) {
        String message = refusal.getMessage();
        return message != null && message.contains("(400)") && message.contains("run_at_sent: unknown field");
    }

    /**
     * Removes {@code run_at_sent} from every result of {@code results} (benchmon's JSON shape), and says what that
     * costs: the results' CI runs are keyed with the run_at they hold, as that server keys every run.
     *
     * @return the warning to print
     */
    static String withoutRunAtSent(ArrayNode results, String server) {
        int marked = 0;
        for (JsonNode r : results) {
            if (r instanceof ObjectNode o && o.remove("run_at_sent") != null) {
                marked++;
            }
        }
        return "warning: " + server + " is older than this benchmon and does not take run_at_sent, so " + marked
                + " result(s) were sent again without it: their CI runs are keyed with the run_at they hold there (a "
                + "re-run of a tool's file is stored as a run of its own, not as the run's next attempt). Upgrade the "
                + "server to key them as this version does.";
    }
}
