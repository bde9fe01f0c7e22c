package dev.benchmon.server.http;

import dev.benchmon.server.api.RequestIds;
import dev.benchmon.server.api.errors.ErrorResponses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jetty's error page for requests it refuses before any route runs (a request line past its limit: 414, headers past
 * theirs: 431, a malformed request: 400). Jetty writes those as an HTML page; an API client reads the API's JSON
 * error body ({@link ErrorResponses#body}) with an {@code X-Request-Id}, as for every other refusal. The request's
 * path is unknown when its line was cut off (414: Jetty names it {@value #UNPARSED}), so that answer is JSON whatever
 * was asked for; only a path known to be a dashboard page ({@link ErrorPages#isDashboard}) keeps Jetty's HTML page. Jetty's
 * limit is set far enough above the documented ones ({@link RequestLimits}) that a URL or headers just past them reach
 * the routes, which answer in the path's own language; only a request far past them ends here.
 */
public final class RejectedRequests extends ErrorHandler {
    /** The path Jetty (12.1) gives a request whose line it could not read whole (HttpConnection's bad-message stand-in). */
    static final String UNPARSED = "/badMessage";

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        boolean unknown = path == null || path.isEmpty() || path.equals(UNPARSED);
        if (!unknown && ErrorPages.isDashboard(path)) { // the same split as the routes' errors (ErrorResponses)
            super.generateResponse(request, response, code, message, cause, callback);
            return;
        }
        String id = RequestIds.newId();
        byte[] body = ErrorResponses.body(code, describe(code), List.of(), id).toString().getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(RequestIds.HEADER, id);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        // Jetty closes the connection after a request it could not read (and while it stops): say so, or a keep-alive
        // client sends its next request on the closed connection and gets no answer at all.
        response.getHeaders().put(HttpHeader.CONNECTION, org.eclipse.jetty.http.HttpHeaderValue.CLOSE.asString());
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** What the client did wrong, in the API's words; Jetty's own reason names its limit ("URI Too Long"). */
    static String describe(int code) {
        return switch (code) {
            case HttpStatus.URI_TOO_LONG_414 -> "the request URL is too long (at most 8 KiB with its query); "
                    + "send fewer or shorter query parameters";
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "the request headers are too large (at most 8 KiB)";
            case HttpStatus.BAD_REQUEST_400 -> "the request could not be read as HTTP (400 Bad Request)";
            // Jetty answers 503 here while a stopping server drains its requests
            case HttpStatus.SERVICE_UNAVAILABLE_503 -> "the server is stopping; retry in a moment";
            default -> "the server refused the request before reading it (" + code + " " + HttpStatus.getMessage(code) + ")";
        };
    }
}
