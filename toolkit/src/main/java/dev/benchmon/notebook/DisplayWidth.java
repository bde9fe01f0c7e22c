package dev.benchmon.notebook;

/**
 * How many columns of a terminal (monospaced font) a text takes: East Asian wide and fullwidth characters (CJK,
 * Hangul, fullwidth forms) and emoji take two, combining marks, variation selectors and joiners none, the rest one
 * (the ranges of Markus Kuhn's {@code wcwidth}, with the emoji blocks). {@code String.length()} counts UTF-16 units,
 * so a table padded by it shifts every column after a {@code 日本語} or {@code 🚀} name. Used by {@link TableText} and
 * the command line's text tables ({@code benchmon metrics list}, {@code backtest}).
 */
public final class DisplayWidth {
    /**
     * The East Asian Width "W" characters of Miscellaneous Symbols and Dingbats (U+2600-27BF), as inclusive pairs:
     * those drawn as emoji by default (⚡ U+26A1, ✅ U+2705); the rest of the two blocks (☀, ✓) take one column.
     */
    private static final int[] WIDE_SYMBOLS = {
            0x2614, 0x2615, 0x2648, 0x2653, 0x267F, 0x267F, 0x2693, 0x2693, 0x26A1, 0x26A1, 0x26AA, 0x26AB,
            0x26BD, 0x26BE, 0x26C4, 0x26C5, 0x26CE, 0x26CE, 0x26D4, 0x26D4, 0x26EA, 0x26EA, 0x26F2, 0x26F3,
            0x26F5, 0x26F5, 0x26FA, 0x26FA, 0x26FD, 0x26FD, 0x2705, 0x2705, 0x270A, 0x270B, 0x2728, 0x2728,
            0x274C, 0x274C, 0x274E, 0x274E, 0x2753, 0x2755, 0x2757, 0x2757, 0x2795, 0x2797, 0x27B0, 0x27B0,
            0x27BF, 0x27BF};

    private DisplayWidth() {
    }

    /** The columns {@code s} takes. */
    public static int of(String s) {
        return s.codePoints().map(DisplayWidth::of).sum();
    }

    /**
     * {@code s} followed by the spaces that make it take {@code columns} terminal columns, as {@code %-Ns} pads by
     * UTF-16 units; {@code s} unchanged when it takes that many or more.
     */
    public static String padRight(String s, int columns) {
        return s + " ".repeat(Math.max(0, columns - of(s)));
    }

    /** The longest start of {@code s} that takes at most {@code columns} columns, never splitting a character. */
    static String cut(String s, int columns) {
        int used = 0;
        int end = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            if (used + of(cp) > columns) {
                break;
            }
            used += of(cp);
            end += Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    /** The columns code point {@code cp} takes. */
    static int of(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || (cp >= 0xFE00 && cp <= 0xFE0F)) { // variation selectors (emoji presentation)
            return 0;
        }
        return wide(cp) ? 2 : 1;
    }

    private static boolean wide(int cp) {
        return cp >= 0x1100 && (cp <= 0x115F // Hangul Jamo initials
                || cp == 0x2329 || cp == 0x232A
                || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) // CJK radicals ... Yi
                || (cp >= 0xAC00 && cp <= 0xD7A3) // Hangul syllables
                || (cp >= 0xF900 && cp <= 0xFAFF) // CJK compatibility ideographs
                || (cp >= 0xFE30 && cp <= 0xFE6F) // CJK compatibility forms, small forms
                || (cp >= 0xFF00 && cp <= 0xFF60) // fullwidth forms
                || (cp >= 0xFFE0 && cp <= 0xFFE6)
                || (cp >= 0x2600 && cp <= 0x27BF && inPairs(cp, WIDE_SYMBOLS)) // emoji among the symbols
                || (cp >= 0x1F1E6 && cp <= 0x1F1FF) // regional indicators (two make a flag)
                || (cp >= 0x1F300 && cp <= 0x1F64F) // pictographs, emoticons
                || (cp >= 0x1F680 && cp <= 0x1F6FF) // transport and map symbols
                || (cp >= 0x1F900 && cp <= 0x1F9FF) // supplemental symbols and pictographs
                || (cp >= 0x1FA70 && cp <= 0x1FAFF) // symbols and pictographs extended-A
                || (cp >= 0x20000 && cp <= 0x3FFFD)); // CJK extensions
    }

    private static boolean inPairs(int cp, int[] pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (cp >= pairs[i] && cp <= pairs[i + 1]) {
                return true;
            }
        }
        return false;
    }
}
