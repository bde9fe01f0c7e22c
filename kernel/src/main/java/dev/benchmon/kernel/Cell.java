package dev.benchmon.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cell split into Java code and line magics, in order. A line magic is a line whose first
 * non-blank character is {@code %} (as in IJava and IPython): {@code %classpath lib/*.jar}.
 * Arguments split on blanks; double quotes keep blanks inside one argument.
 */
record Cell(List<Part> parts) {
    private static final Pattern MAGIC = Pattern.compile("^\\s*%(%?)([A-Za-z_][\\w-]*)(.*)$");
    private static final Pattern ARG = Pattern.compile("\"([^\"]*)\"|(\\S+)");

    /** A piece of a cell: Java code, or a magic with its arguments. */
    sealed interface Part permits Code, Magic {
    }

    /** Java source to hand to JShell. */
    record Code(String source) implements Part {
    }

    /** A magic ({@code cell} for {@code %%name} on the first line, with the rest of the cell as {@code body}). */
    record Magic(String name, List<String> args, boolean cell, String body) implements Part {
    }

    static Cell parse(String source) {
        List<Part> parts = new ArrayList<>();
        String[] lines = source.split("\\R", -1);
        Matcher first = MAGIC.matcher(lines[0]);
        if (first.matches() && !first.group(1).isEmpty()) {
            String body = source.substring(source.indexOf('\n') < 0 ? source.length() : source.indexOf('\n') + 1);
            parts.add(new Magic(first.group(2), args(first.group(3)), true, body));
            return new Cell(parts);
        }
        StringBuilder code = new StringBuilder();
        for (String line : lines) {
            Matcher m = MAGIC.matcher(line);
            if (m.matches() && m.group(1).isEmpty()) {
                flush(code, parts);
                parts.add(new Magic(m.group(2), args(m.group(3)), false, null));
            } else {
                code.append(line).append('\n');
            }
        }
        flush(code, parts);
        return new Cell(parts);
    }

    private static void flush(StringBuilder code, List<Part> parts) {
        if (!code.toString().isBlank()) {
            parts.add(new Code(code.toString()));
        }
        code.setLength(0);
    }

    static List<String> args(String text) {
        List<String> args = new ArrayList<>();
        Matcher m = ARG.matcher(text);
        while (m.find()) {
            args.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return args;
    }
}
