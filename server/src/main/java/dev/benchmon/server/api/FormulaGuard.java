package dev.benchmon.server.api;

import java.util.regex.Pattern;

/**
 * The spreadsheet-formula guard of benchmon's CSV, written and read back by one rule. A text cell (or a column name)
 * a spreadsheet would run as a formula, one starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
 * carriage return, is written with a leading {@code '}: {@code =SUM(1,2)} as {@code '=SUM(1,2)}. So that the guard
 * can be told from a name's own {@code '}, text that already starts with {@code '}s before such a character gets one
 * more ({@code '=x} as {@code ''=x}), in guarded and {@code --raw} CSV alike ({@link #escape}). Reading
 * ({@link #unguard}) drops exactly one {@code '} from a cell of {@code '}s followed by such a character, so every
 * CSV benchmon writes reads back as stored; numbers are never guarded.
 */
public final class FormulaGuard {
    /** A formula's first character, after any {@code '}s. */
    private static final Pattern GUARDED = Pattern.compile("'*[=+\\-@\t\r].*", Pattern.DOTALL);
    private static final Pattern QUOTED = Pattern.compile("'+[=+\\-@\t\r].*", Pattern.DOTALL);

    private FormulaGuard() {
    }

    /** The text as a guarded CSV writes it: {@code =x} as {@code '=x}, {@code '=x} as {@code ''=x}, others unchanged. */
    public static String guard(String text) {
        return text != null && GUARDED.matcher(text).matches() ? "'" + text : text;
    }

    /**
     * The text as a CSV without the guard ({@code export --raw}) writes it: unchanged, but for text that starts with
     * {@code '}s before a formula's first character, which gets one more {@code '} so that {@link #unguard} keeps its own.
     */
    public static String escape(String text) {
        return text != null && QUOTED.matcher(text).matches() ? "'" + text : text;
    }

    /** The text a CSV cell holds, {@link #guard} or {@link #escape} undone: one {@code '} dropped before {@code '*=...}. */
    public static String unguard(String cell) {
        return cell != null && QUOTED.matcher(cell).matches() ? cell.substring(1) : cell;
    }
}
