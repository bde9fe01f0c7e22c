package dev.benchmon.server.cli;

import java.util.regex.Pattern;

/** Where to find the id of an alert or run that a command named and the database does not hold. */
final class UnknownIds {
    private static final Pattern ALERT = Pattern.compile("alert \\d+ not found");
    private static final Pattern RUN = Pattern.compile("run \\d+ not found");

    private UnknownIds() {
    }

    /**
     * The next step after the refusal {@code message} ({@code alert 999 not found}, {@code run 999 not found}, as the
     * server and the toolkit word them): where such ids are listed. {@code null} for any other message.
     */
    static String nextStep(String message) {
        if (message == null) {
            return null;
        }
        if (ALERT.matcher(message).matches()) {
            return "benchmon alerts list shows the alerts and their ids.";
        }
        if (RUN.matcher(message).matches()) {
            return "A run's id is the id column of benchmon export, the number in a dashboard /runs/ID address, or the "
                    + "run an alert names (benchmon alerts show ALERT_ID).";
        }
        return null;
    }
}
