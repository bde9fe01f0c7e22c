package dev.benchmon.server.http;

/** A request header's value as a refusal quotes it: control characters dropped, at most 200 characters. */
public final class HeaderText {
    private HeaderText() {
    }

    /** {@code text} fit to quote in a message; {@code (none)} for a header not sent. */
    public static String printable(String text) {
        if (text == null) {
            return "(none)";
        }
        String clean = text.replaceAll("\\p{Cntrl}", "");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }
}
