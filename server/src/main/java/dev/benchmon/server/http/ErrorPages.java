package dev.benchmon.server.http;

import dev.benchmon.chart.ChartHtml;

/**
 * The error answer of a dashboard path: a small HTML page with the status, the message and a link back to the
 * dashboard, for a person in a browser. The API ({@code /api/v1}) and the machine endpoints ({@code /health},
 * {@code /metrics}) keep the API's JSON error body.
 */
public final class ErrorPages {
    private ErrorPages() {
    }

    /**
     * Whether an error on {@code path} is answered with {@link #page}: any path but the API's (all of {@code /api/},
     * so that a client asking {@code /api/v2} or {@code /api} learns in JSON that there is none) and the machines'
     * ({@code /health}, {@code /metrics}, with or without a trailing slash).
     */
    public static boolean isDashboard(String path) {
        if (path == null) {
            return false;
        }
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return !p.equals("/api") && !p.startsWith("/api/") && !p.equals("/health") && !p.equals("/metrics");
    }

    /** The page for {@code status} with {@code message} (escaped here); about 400 bytes and the message. */
    public static String page(int status, String message) {
        return page(status, message, "/", "Back to the dashboard");
    }

    /** As {@link #page(int, String)}, with a link back to {@code back} (a dashboard path) labelled {@code backLabel}. */
    public static String page(int status, String message, String back, String backLabel) {
        String reason = org.eclipse.jetty.http.HttpStatus.getMessage(status);
        String text = message == null || message.isBlank() ? "error " + status : message;
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + status + " "
                + ChartHtml.escapeHtml(reason) + " · benchmon</title>\n</head>\n<body>\n<h1>" + status + " "
                + ChartHtml.escapeHtml(reason) + "</h1>\n<p class=\"error\">" + ChartHtml.escapeHtml(text)
                + "</p>\n<p><a href=\"" + ChartHtml.escapeHtml(back) + "\">" + ChartHtml.escapeHtml(backLabel)
                + "</a></p>\n</body>\n</html>\n";
    }
}
