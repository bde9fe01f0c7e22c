package dev.benchmon;

import java.util.regex.Pattern;

/**
 * A word as a POSIX shell reads it back, for the commands messages suggest ({@code benchmon metrics define NAME ...},
 * {@code --home DIR}): as is when it holds only characters no shell treats specially ({@code A-Z a-z 0-9 _ @ % + = :
 * , . / -}), else in single quotes, a quote inside written {@code '\''}. The one quoting of the toolkit and the CLI.
 */
public final class ShellWord {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellWord() {
    }

    /** {@code word} quoted where a shell needs it: {@code acc}, {@code 'my metric'}, {@code 'it'\''s'}, {@code ''}. */
    public static String quoted(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
