package dev.benchmon.server.http;

import dev.benchmon.server.api.errors.HeaderFieldsTooLargeException;
import dev.benchmon.server.api.errors.UriTooLongException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.eclipse.jetty.http.HttpStatus;

import java.util.Enumeration;

/**
 * The size limits of a request's URL (8 KiB with its query: 414) and headers (8 KiB: 431), checked once the request's
 * path is known, so that the refusal speaks the path's language: the API's JSON error, or a dashboard page's HTML
 * ({@link ErrorPages}). Jetty's own limit, which refuses before the path is read ({@link RejectedRequests}: always
 * JSON then), is set above both together, so it only stops requests far past them.
 */
public final class RequestLimits {
    /** The most a URL (path and query) may hold, in characters as sent (percent-escapes counted as sent). */
    static final int URL_CHARS = 8 * 1024;
    /** The most the headers may hold, names and values. */
    static final int HEADER_CHARS = 8 * 1024;
    /** Jetty's limit of the request line and headers together: both of ours and room for the rest of the line. */
    static final int JETTY_HEADER_BYTES = URL_CHARS + HEADER_CHARS + 1024;

    private RequestLimits() {
    }

    /** Raises Jetty's limit and installs the check before every route. */
    public static void register(JavalinConfig config) {
        config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(JETTY_HEADER_BYTES));
        config.routes.before(RequestLimits::check);
    }

    private static void check(Context ctx) {
        String query = ctx.queryString();
        int url = ctx.req().getRequestURI().length() + (query == null ? 0 : 1 + query.length());
        if (url > URL_CHARS) {
            throw new UriTooLongException(RejectedRequests.describe(HttpStatus.URI_TOO_LONG_414));
        }
        if (headerChars(ctx) > HEADER_CHARS) {
            throw new HeaderFieldsTooLargeException(RejectedRequests.describe(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431));
        }
    }

    /** The headers' size as sent: each line's name, value, ": " and CRLF (every request pays this walk: no copies). */
    private static int headerChars(Context ctx) {
        int chars = 0;
        for (Enumeration<String> names = ctx.req().getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            for (Enumeration<String> values = ctx.req().getHeaders(name); values.hasMoreElements(); ) {
                chars += name.length() + values.nextElement().length() + 4;
            }
        }
        return chars;
    }
}
