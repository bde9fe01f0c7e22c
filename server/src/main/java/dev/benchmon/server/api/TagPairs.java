package dev.benchmon.server.api;

import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.TextRules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tags given as {@code K=V} texts: {@code push --tag}, {@code export --tag} and the API's {@code tag=}. One rule for
 * all: split at the first '=', a key before it, and each key once (a result holds one value per key, so a second
 * value would either replace the first without a word or, in a filter, match nothing).
 */
public final class TagPairs {
    private TagPairs() {
    }

    /**
     * The tags {@code pairs} give, in order. Each text without a key before an '=', and each key given again, adds a
     * problem named {@code field} to {@code problems} and is left out.
     */
    public static Map<String, String> parse(String field, List<String> pairs, List<Problem> problems) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                problems.add(Problem.of(field, "must be key=value, got '" + TextRules.quoted(pair) + "'"));
                continue;
            }
            String key = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            String before = tags.putIfAbsent(key, value);
            if (before != null) {
                problems.add(Problem.of(field, "tag key '" + TextRules.quoted(key) + "' is given twice ("
                        + TextRules.quoted(key + "=" + before) + " and " + TextRules.quoted(pair) + "); give each key once"));
            }
        }
        return tags;
    }
}
