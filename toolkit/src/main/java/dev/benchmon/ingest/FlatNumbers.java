package dev.benchmon.ingest;

import java.util.Arrays;

/**
 * Reads the common case of a metrics column without a JSON parser: a flat object whose keys hold no escapes and
 * whose values are all numbers, as PostgreSQL writes a {@code jsonb} of metrics ({@code {"f1": 0.8, "cost": 2}}).
 * Anything else (an escaped key, a nested, string, boolean or null value, text that is not such an object) is
 * left to Jackson's parser: {@link ResultJson#forEachMetricText} calls this first. On such objects both hand over the
 * same names and number texts (this scan also takes a number of more than Jackson's 1,000 digits).
 *
 * <p>Why: a 1,000-row history answer read each row's metrics with a new Jackson parser, about a fifth of the
 * server's CPU for that answer (JFR, 2026-11-30); this scan is a single pass over the characters.
 */
final class FlatNumbers {
    private FlatNumbers() {
    }

    /**
     * Hands each key and number of {@code json} to {@code each} and returns {@code true}, or returns {@code false}
     * without calling {@code each} when the text is not a flat object of numbers with plain keys.
     */
    static boolean forEach(String json, ResultJson.MetricText each) {
        char[] c = json.toCharArray();
        int n = c.length;
        int[] at = new int[4 * 8]; // per member: key start, key end, number start, number end
        int members = 0;
        int i = skipSpace(c, 0);
        if (i >= n || c[i] != '{') {
            return false;
        }
        i = skipSpace(c, i + 1);
        if (i < n && c[i] == '}') {
            return skipSpace(c, i + 1) == n;
        }
        while (true) {
            if (i >= n || c[i] != '"') {
                return false;
            }
            int keyStart = ++i;
            while (i < n && c[i] != '"') {
                if (c[i] == '\\' || c[i] < 0x20) {
                    return false; // an escape: Jackson decodes it
                }
                i++;
            }
            if (i >= n) {
                return false;
            }
            int keyEnd = i;
            i = skipSpace(c, i + 1);
            if (i >= n || c[i] != ':') {
                return false;
            }
            i = skipSpace(c, i + 1);
            int numberStart = i;
            i = number(c, i);
            if (i < 0) {
                return false;
            }
            if (4 * members == at.length) {
                at = Arrays.copyOf(at, 2 * at.length);
            }
            at[4 * members] = keyStart;
            at[4 * members + 1] = keyEnd;
            at[4 * members + 2] = numberStart;
            at[4 * members + 3] = i;
            members++;
            i = skipSpace(c, i);
            if (i < n && c[i] == ',') {
                i = skipSpace(c, i + 1);
            } else if (i < n && c[i] == '}') {
                if (skipSpace(c, i + 1) != n) {
                    return false;
                }
                break;
            } else {
                return false;
            }
        }
        for (int m = 0; m < members; m++) {
            each.accept(new String(c, at[4 * m], at[4 * m + 1] - at[4 * m]), c, at[4 * m + 2], at[4 * m + 3] - at[4 * m + 2]);
        }
        return true;
    }

    /** The end of the JSON number (RFC 8259, section 6) starting at {@code i}, or -1 when none starts there. */
    private static int number(char[] c, int i) {
        int n = c.length;
        if (i < n && c[i] == '-') {
            i++;
        }
        if (i >= n) {
            return -1;
        }
        if (c[i] == '0') {
            i++;
        } else if (c[i] >= '1' && c[i] <= '9') {
            i = digits(c, i);
        } else {
            return -1;
        }
        if (i < n && c[i] == '.') {
            int from = i + 1;
            i = digits(c, from);
            if (i == from) {
                return -1;
            }
        }
        if (i < n && (c[i] == 'e' || c[i] == 'E')) {
            i++;
            if (i < n && (c[i] == '+' || c[i] == '-')) {
                i++;
            }
            int from = i;
            i = digits(c, from);
            if (i == from) {
                return -1;
            }
        }
        return i;
    }

    private static int digits(char[] c, int i) {
        while (i < c.length && c[i] >= '0' && c[i] <= '9') {
            i++;
        }
        return i;
    }

    private static int skipSpace(char[] c, int i) {
        while (i < c.length && (c[i] == ' ' || c[i] == '\t' || c[i] == '\n' || c[i] == '\r')) {
            i++;
        }
        return i;
    }
}
