package dev.benchmon.server.web;

import dev.benchmon.ingest.TextRules;
import dev.benchmon.server.http.OnOff;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code refresh} parameter: whether the page reloads itself every 30 seconds. The page's script writes
 * {@code refresh=30} when the checkbox is ticked and removes the parameter when it is not; a hand-written link may say
 * {@code refresh} (empty), a number of seconds above zero, or an on word ({@link OnOff}) for on, and {@code 0} or an
 * off word for off.
 */
final class AutoRefresh {
    static final String KEY = "refresh";
    /** What links carry while auto-refresh is on: what the page's script writes. */
    static final String ON = "30";
    /** A whole number of seconds above zero (the script's 30) is on; zero is off. */
    private static final Pattern SECONDS = Pattern.compile("[0-9]+");
    private static final Pattern ZERO = Pattern.compile("0+");

    private AutoRefresh() {
    }

    /**
     * {@code url} with {@code refresh=30} when {@code given} (the parameter's values as sent, blank ones included; null
     * when absent) says on, and without {@code refresh} otherwise. A value that says neither, or more than one value,
     * is named in {@code problems} and taken as off, so links do not carry it on.
     */
    static UrlState read(UrlState url, List<String> given, List<String> problems) {
        if (given == null || given.isEmpty()) {
            return url.without(KEY);
        }
        if (given.size() > 1) {
            problems.add(KEY + ": give it once, not " + given.size() + " times");
            return url.without(KEY);
        }
        String value = given.get(0) == null ? "" : given.get(0).trim().toLowerCase(Locale.ROOT);
        Boolean word = OnOff.parse(value); // the words every on/off parameter takes; seconds beside them
        boolean off = ZERO.matcher(value).matches() || Boolean.FALSE.equals(word);
        boolean on = !off && (value.isEmpty() || SECONDS.matcher(value).matches() || Boolean.TRUE.equals(word));
        if (!on && !off) {
            problems.add(KEY + ": '" + TextRules.visible(given.get(0)) + "' is neither on nor off (use refresh=1 to "
                    + "reload the page every 30 s, refresh=0 or no refresh not to)");
        }
        return on ? url.with(KEY, ON) : url.without(KEY);
    }
}
