package dev.benchmon.server.cli;

/**
 * Text from results (series names, metrics, commits, URLs a server names) inside the Markdown that {@code push}
 * writes to GitHub's job summary, which pull-request comments and checks show: it reads as the text it is, never
 * as a link (GitHub's autolinks of bare URLs, {@code www.} names and addresses included), an image, emphasis or HTML,
 * and never leaves its table cell. Markdown's backslash escapes (CommonMark
 * 2.4: any ASCII punctuation character may be escaped) for the characters that start inline syntax; {@code <},
 * {@code >} and {@code &} as entities, so no tag reaches the page.
 */
final class MarkdownText {
    /** What starts inline syntax or ends a cell (the block markers, # - + . at a line's start, never start a cell). */
    private static final String PUNCTUATION = "\\`*_[]!|~";

    private MarkdownText() {
    }

    /** {@code text} as one table cell's literal text; empty for {@code null}. */
    static String cell(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '\n', '\r' -> sb.append(' ');
                // GitHub links bare URLs, www. names and e-mail addresses on its own (GFM's autolinks), escaped or not.
                case ':' -> sb.append("&#58;");
                case '@' -> sb.append("&#64;");
                case '.' -> sb.append(i >= 3 && text.regionMatches(true, i - 3, "www", 0, 3) ? "&#46;" : ".");
                default -> {
                    if (PUNCTUATION.indexOf(c) >= 0) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
