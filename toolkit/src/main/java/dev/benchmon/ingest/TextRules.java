package dev.benchmon.ingest;

import dev.benchmon.ValidationException.Problem;

import java.util.ArrayList;
import java.util.List;

/**
 * The one rule for text that benchmon stores or filters by, applied on write (result fields, metric
 * names, metric definitions) and on read (every query parameter of the API, every {@link dev.benchmon.Filter}
 * value), so that a name that can be stored can always be found again and one that cannot be
 * stored is never looked for.
 *
 * <p>A <b>name</b> (model, dataset, prompt, environment, provider, metric, tag key and value, run id,
 * branch, ...) is any Unicode text of 1 to {@value #MAX_NAME_LENGTH} characters (code points) that
 * <ul>
 *   <li>holds no control character (Unicode category Cc: U+0000-U+001F, U+007F-U+009F, NUL included),</li>
 *   <li>holds no lone surrogate (an unpaired UTF-16 half, which no encoding can store), and</li>
 *   <li>has no whitespace at either end ({@code "trail "} is refused, not trimmed: benchmon never
 *       rewrites a name, so what is stored is exactly what was sent and what a filter must name).</li>
 * </ul>
 * Commas, slashes, dots, colons, brackets, inner spaces and non-ASCII letters are all allowed:
 * {@code acc,none}, {@code eval/loss}, {@code tests/test_x.py::test_y[param]}, {@code 精度}.
 * Free text ({@code notes}) follows the same rule except that it may span lines (tab, LF and CR allowed)
 * and be up to 10,000 characters.
 *
 * <p>The names a result is stored under (model, dataset, prompt, environment, metric names) also hold no invisible
 * format character ({@link #formatCharacter}: Unicode category Cf, such as U+200B ZERO WIDTH SPACE or U+202E
 * RIGHT-TO-LEFT OVERRIDE), which make two names look alike; the two join controls (U+200C, U+200D), which some scripts
 * and emoji need to spell a word, the marks U+200E and U+200F, which Hebrew and Arabic text needs (these four between
 * the characters of a name, not at its start or end), and tag characters inside a well-formed emoji tag sequence (a
 * subdivision flag: U+1F3F4, tags, U+E007F) are allowed. That is checked
 * when results are written ({@link ResultValidator}), not when filtering, so names stored before the check stay
 * findable. Names that differ only in Unicode normalization (NFC {@code café} and NFD {@code café}) are different
 * names, as sent.
 */
public final class TextRules {
    /** Longest name, in characters (code points). */
    public static final int MAX_NAME_LENGTH = 200;

    /** U+1F3F4 WAVING BLACK FLAG, the base of the emoji tag sequences that spell subdivision flags. */
    private static final int BLACK_FLAG = 0x1F3F4;
    /** U+E007F CANCEL TAG, which ends an emoji tag sequence. */
    private static final int CANCEL_TAG = 0xE007F;

    private TextRules() {
    }

    /** Problems with a required name (model_version, a metric name, ...): empty when it is valid. */
    public static List<Problem> nameProblems(String field, String value) {
        List<Problem> problems = new ArrayList<>();
        if (value == null) {
            problems.add(Problem.of(field, "is required"));
        } else if (value.isEmpty()) {
            problems.add(Problem.of(field, "must not be empty"));
        } else {
            problems.addAll(textProblems(field, value, MAX_NAME_LENGTH, false));
        }
        return problems;
    }

    /**
     * Problems with optional text: {@code null} is fine; otherwise at most {@code maxLength} characters,
     * no control characters (except tab and line breaks when {@code multiLine}), no lone surrogates and
     * no surrounding whitespace.
     */
    public static List<Problem> textProblems(String field, String value, int maxLength, boolean multiLine) {
        List<Problem> problems = new ArrayList<>();
        if (value == null) {
            return problems;
        }
        int length = value.codePointCount(0, value.length());
        if (length > maxLength) {
            problems.add(Problem.of(field, "is " + length + " characters long; at most " + maxLength));
        }
        String bad = firstBadCharacter(value, multiLine);
        if (bad != null) {
            problems.add(Problem.of(field, bad));
        }
        if (!value.isEmpty() && !multiLine && isBlankAt(value)) {
            problems.add(Problem.of(field, "has whitespace at the start or end ('" + visible(value)
                    + "'); benchmon keeps names exactly as sent, so send it without"));
        } else if (!value.isEmpty() && multiLine && value.isBlank()) {
            problems.add(Problem.of(field, "is only whitespace; leave it out instead"));
        }
        return problems;
    }

    /** {@code true} when {@code value} is a valid name (see the class rule). */
    public static boolean isValidName(String value) {
        return value != null && nameProblems("name", value).isEmpty();
    }

    /**
     * The first rule-breaking character described (control character, except tab and line breaks when
     * {@code multiLine}, or lone surrogate), or {@code null}: for text that is otherwise free (surrounding
     * whitespace allowed) but must be storable. Also the rule for the characters of example ids and slices
     * ({@link ExamplesJson}) and of the alert API's free text.
     */
    public static String firstBadCharacter(String value, boolean multiLine) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "holds a lone surrogate \\u" + hex(c) + " at position " + i
                        + " (not a character: send valid UTF-8/UTF-16 text)";
            }
            if (Character.isLowSurrogate(c)) {
                return "holds a lone surrogate \\u" + hex(c) + " at position " + i
                        + " (not a character: send valid UTF-8/UTF-16 text)";
            }
            if (Character.getType(c) == Character.CONTROL && !(multiLine && (c == '\t' || c == '\n' || c == '\r'))) {
                return "holds the control character U+" + hex(c) + (c == 0 ? " (NUL)" : "") + " at position " + i
                        + "; text may hold any character but control characters";
            }
        }
        return null;
    }

    /**
     * The first invisible format character (Unicode category Cf) in {@code value}, described with its code point, name
     * and position, or {@code null}: {@code holds the invisible format character U+202E (RIGHT-TO-LEFT OVERRIDE) at
     * position 3; ...}.
     */
    public static String formatCharacter(String value) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (cp == BLACK_FLAG) {
                i = afterTagSequence(value, i + Character.charCount(cp));
                continue;
            }
            if (Character.getType(cp) == Character.FORMAT) {
                String name = Character.getName(cp);
                String described = String.format("holds the invisible format character U+%04X%s at position %d; ", cp,
                        name == null ? "" : " (" + name + ")", value.codePointCount(0, i));
                if (!isAllowedFormat(cp)) {
                    return described + "a name may not hold invisible format characters (Unicode category Cf), which "
                            + "make different names look alike";
                }
                // At either end it joins or places nothing, and "gpt-4" with a mark copied after it would be another
                // series that looks the same.
                if (i == 0 || i + Character.charCount(cp) == value.length()) {
                    return described + "it may stand between the characters of a name, not at its start or end, "
                            + "where it shows nothing and makes the name look like another";
                }
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /**
     * Where the text after a U+1F3F4 continues: past a well-formed emoji tag sequence (one or more tag characters
     * U+E0020-U+E007E, then U+E007F CANCEL TAG: England's flag is U+1F3F4 "gbeng" U+E007F, UTS #51 ED-14a), or at
     * {@code from} when none follows, so that stray tag characters, which hide text, are refused where they stand.
     */
    private static int afterTagSequence(String value, int from) {
        int i = from;
        while (i < value.length() && value.codePointAt(i) >= 0xE0020 && value.codePointAt(i) <= 0xE007E) {
            i += Character.charCount(value.codePointAt(i));
        }
        if (i > from && i < value.length() && value.codePointAt(i) == CANCEL_TAG) {
            return i + Character.charCount(CANCEL_TAG);
        }
        return from;
    }

    /**
     * The format characters a name may hold: U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER, which Persian,
     * Indic scripts and emoji sequences need to spell words (IDNA 2008 allows them in context, RFC 5892 A.1 and A.2),
     * and U+200E LEFT-TO-RIGHT MARK and U+200F RIGHT-TO-LEFT MARK, which Hebrew and Arabic text needs to place
     * neutral characters. The bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) stay refused: they
     * reorder what follows them and make text read differently from how it is stored (CVE-2021-42574).
     */
    private static boolean isAllowedFormat(int cp) {
        return cp >= 0x200C && cp <= 0x200F;
    }

    private static boolean isBlankAt(String value) {
        int first = value.codePointAt(0);
        int last = value.codePointBefore(value.length());
        return isSpace(first) || isSpace(last);
    }

    // Java's whitespace plus the no-break spaces (U+00A0, U+2007, U+202F) that strip() misses.
    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    /**
     * The value as an error message quotes it: {@link #visible} and cut to at most 40 characters (a long value is not
     * echoed whole into a message, a log or an HTTP answer).
     */
    public static String quoted(String value) {
        String v = visible(value);
        if (v.length() <= 40) {
            return v;
        }
        int end = Character.isHighSurrogate(v.charAt(36)) ? 36 : 37; // never half an emoji
        return v.substring(0, end) + "...";
    }

    /** The value with control characters and lone surrogates shown as escapes (safe to echo in messages and logs). */
    public static String visible(String value) {
        StringBuilder sb = new StringBuilder();
        int max = Math.min(value.length(), 60);
        if (max < value.length() && Character.isHighSurrogate(value.charAt(max - 1))) {
            max--; // never half an emoji
        }
        for (int i = 0; i < max; i++) {
            char c = value.charAt(i);
            if (Character.getType(c) == Character.CONTROL
                    || (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
                    && Character.isHighSurrogate(value.charAt(i - 1))))) {
                sb.append("\\u").append(hex(c));
            } else {
                sb.append(c);
            }
        }
        return value.length() > max ? sb.append("...").toString() : sb.toString();
    }
}
