package dev.benchmon.server.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shell command lines as documentation shows them: from Markdown code blocks and workflow run scripts. */
final class ShellSnippets {
    private static final Pattern FENCE = Pattern.compile("```(bash|sh|shell|console)\\s*\\n(.*?)```", Pattern.DOTALL);

    private ShellSnippets() {
    }

    /** Command lines of the shell code blocks of a Markdown text (continuations joined, comments dropped). */
    static List<String> fromMarkdown(String markdown) {
        List<String> lines = new ArrayList<>();
        Matcher m = FENCE.matcher(markdown);
        while (m.find()) {
            lines.addAll(commandLines(m.group(2)));
        }
        return lines;
    }

    /** Command lines of a script. */
    static List<String> commandLines(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : script.split("\n")) {
            String line = raw.replaceFirst("^\\s*\\$\\s+", "").replaceFirst("\\s+#\\s.*$", "").strip();
            if (line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (!current.toString().isBlank()) {
                out.add(current.toString().strip());
            }
            current.setLength(0);
        }
        return out;
    }

    /** Splits a command line into words, honouring single and double quotes (no expansion). */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0; else w.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c) || c == ';' || c == '|' || c == '&' || c == '(' || c == ')') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                if (!Character.isWhitespace(c)) {
                    words.add(String.valueOf(c));
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }
}
