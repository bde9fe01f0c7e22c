package dev.benchmon.notebook;

/**
 * How many columns of a terminal (monospaced font) a text takes: East Asian wide and fullwidth characters (CJK,
 * Hangul, fullwidth forms) and emoji take two, combining marks, variation selectors and joiners none, the rest one
 * (the ranges of Markus Kuhn's {@code wcwidth}, with the emoji blocks). {@code String.length()} counts UTF-16 units,
 * so a table padded by it shifts every column after a {@code 日本語} or {@code 🚀} name.
 */
final class DisplayWidth {
    private DisplayWidth() {
    }

    /** The columns {@code s} takes. */
    static int of(String s) {
        return s.codePoints().map(DisplayWidth::of).sum();
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

    private static int of(int cp) {
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
                || (cp >= 0x1F300 && cp <= 0x1F64F) // pictographs, emoticons
                || (cp >= 0x1F680 && cp <= 0x1F6FF) // transport and map symbols
                || (cp >= 0x1F900 && cp <= 0x1F9FF) // supplemental symbols and pictographs
                || (cp >= 0x20000 && cp <= 0x3FFFD)); // CJK extensions
    }
}
