package dev.benchmon.server.http;

import dev.benchmon.server.api.RequestIds;
import dev.benchmon.server.api.errors.ErrorResponses;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Request bodies that do not arrive: a client that disconnects mid-body, and one that stalls.
 * Neither is a server fault, so neither is logged as an error nor counted as a 500:
 * <ul>
 *   <li>stalled longer than the body timeout: 408 in the API's JSON error format (Javalin answers a
 *       read timeout with an empty 408; this fills in the body);
 *   <li>cut off (EOF before the declared length, connection reset): one INFO line and status 499
 *       ("client closed request", nginx's convention) for the log and /metrics; nobody reads the answer.
 * </ul>
 */
public final class RequestBodies {
    /** nginx's non-standard status for a client that closed the connection before the answer. */
    public static final int CLIENT_CLOSED_REQUEST = 499;
    private static final Logger LOG = LoggerFactory.getLogger(RequestBodies.class);

    private RequestBodies() {
    }

    /** Sets the statuses Javalin uses for these cases and the JSON body of a 408. */
    public static void register(JavalinConfig config) {
        config.jetty.clientAbortStatus = CLIENT_CLOSED_REQUEST;
        config.jetty.timeoutStatus = 408;
        config.routes.error(408, RequestBodies::timedOut);
        config.routes.error(CLIENT_CLOSED_REQUEST, ctx ->
                LOG.info("request {} {} {}: the client closed the connection before sending the whole body",
                        RequestIds.of(ctx), ctx.method(), ctx.path()));
    }

    /**
     * For exceptions that reach the API's handlers wrapped (so that Javalin did not recognise them):
     * answers a body read that timed out (408 JSON) or that the client cut off (499, one INFO line)
     * and returns {@code true}; {@code false} for anything else.
     */
    public static boolean handled(Throwable e, Context ctx) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException) {
                return false; // the database's connection, not the client's
            }
        }
        int depth = 0;
        for (Throwable t = e; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                ctx.status(408);
                timedOut(ctx);
                return true;
            }
            String name = t.getClass().getName();
            String message = String.valueOf(t.getMessage());
            if (name.equals("org.eclipse.jetty.io.EofException") || t instanceof java.io.EOFException
                    || (name.equals("org.eclipse.jetty.http.BadMessageException") && message.contains("EOF"))
                    || (t instanceof java.io.IOException && (message.contains("Connection reset")
                    || message.contains("Broken pipe")))) {
                LOG.info("request {} {} {}: the client closed the connection before sending the whole body ({})",
                        RequestIds.of(ctx), ctx.method(), ctx.path(), t.getClass().getSimpleName());
                ctx.status(CLIENT_CLOSED_REQUEST);
                return true;
            }
        }
        return false;
    }

    private static void timedOut(Context ctx) {
        LOG.info("request {} {} {}: the request body stalled; answered 408", RequestIds.of(ctx), ctx.method(), ctx.path());
        ErrorResponses.write(ctx, 408, "the request body stopped arriving before it was complete; send it again "
                + "(benchmon push retries by itself)", List.of(), Map.of("Connection", "close"));
    }
}
