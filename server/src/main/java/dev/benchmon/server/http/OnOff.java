package dev.benchmon.server.http;

import java.util.Locale;

/**
 * The one reading of an on/off query parameter, shared by the API ({@code only_regressions}, {@code pool}) and the
 * dashboard ({@code pool}, {@code refresh}), so that a URL's value means the same on a page and in the API:
 * {@code true}, {@code 1}, {@code yes}, {@code on} and {@code false}, {@code 0}, {@code no}, {@code off}, in any case.
 */
public final class OnOff {
    /** The accepted words, for messages: {@value}. */
    public static final String WORDS = "true/false, 1/0, yes/no or on/off";

    private OnOff() {
    }

    /** {@code true} or {@code false} for an accepted word (surrounding whitespace ignored), else {@code null}. */
    public static Boolean parse(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> null;
        };
    }
}
