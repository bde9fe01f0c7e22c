package dev.benchmon.server.api.errors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.DatabaseException;
import dev.benchmon.UnknownNameException;
import dev.benchmon.ValidationException;
import dev.benchmon.db.InputRefusals;
import dev.benchmon.db.TransientFailures;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.api.RequestIds;
import dev.benchmon.server.http.RequestBodies;
import io.javalin.config.RoutesConfig;
import org.jdbi.v3.core.ConnectionException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Maps every exception a handler can throw to a JSON error: the API's own ({@link ApiException}),
 * Javalin's (404 for unknown routes, 405, ...), the toolkit's (invalid input 400, unknown name 404,
 * database unavailable 503, a refusal of the input by the database 400 or 409 ({@link InputRefusals}), any other refusal
 * 500 naming it) and anything unexpected (500, logged with the request id, no stack trace sent).
 */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    /** Installs the exception handlers. */
    public static void register(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> write(ctx, e.getStatus(), e.getMessage(), e.problems(), e.headers()));
        routes.exception(MethodNotAllowedResponse.class, ErrorResponses::methodNotAllowed);
        routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, e.getStatus(), e.getMessage(),
                e.getDetails().entrySet().stream().map(d -> ErrorDetail.of(d.getKey(), d.getValue())).toList(), Map.of()));
        routes.exception(ValidationException.class, (e, ctx) -> write(ctx, 400, validationMessage(e, ctx),
                e.problems().stream().map(ErrorDetail::of).toList(), Map.of()));
        routes.exception(UnknownNameException.class, (e, ctx) -> write(ctx, 404, e.getMessage(),
                List.of(ErrorDetail.of(e.kind(), e.getMessage())), Map.of()));
        routes.exception(DatabaseException.class, (e, ctx) -> {
            java.util.Optional<InputRefusals.Refusal> refusal = InputRefusals.of(e);
            if (refusal.isPresent()) {
                refusedInput(refusal.get(), ctx);
            } else if (isUnavailable(e)) {
                unavailable(e, ctx);
            } else {
                refused(e, ctx);
            }
        });
        // The toolkit's queries surface a lost pool or server as Jdbi's ConnectionException.
        routes.exception(ConnectionException.class, ErrorResponses::unavailable);
        routes.exception(Exception.class, (e, ctx) -> {
            if (RequestBodies.handled(e, ctx)) { // a body the client cut off or stalled: not a server fault
                return;
            }
            if (isUnavailable(e)) { // a query that lost its connection, whatever wrapped the failure
                unavailable(e, ctx);
                return;
            }
            LOG.error("request {} {} {} failed", RequestIds.of(ctx), ctx.method(), ctx.path(), e);
            write(ctx, 500, "internal error; the server log has the details under request id " + RequestIds.of(ctx),
                    List.of(), Map.of());
        });
    }

    /**
     * 405 for a method the path is not served for ({@code PUT /api/v1/results}): an {@code Allow} header naming the
     * methods it is (RFC 9110 requires it), and the JSON error {@code method PUT is not allowed on /api/v1/results;
     * it takes POST, OPTIONS}. Javalin lists them in its details ({@code prefer405over404}). {@code OPTIONS} on a served
     * path is the question which methods it takes: 204 with that {@code Allow} header and no body (RFC 9110 9.3.7);
     * on a path not served it stays 404.
     */
    private static void methodNotAllowed(MethodNotAllowedResponse e, Context ctx) {
        List<String> methods = e.getDetails().values().stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim).filter(m -> !m.isEmpty())
                .distinct().collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        if (methods.contains("GET") && !methods.contains("HEAD")) {
            methods.add(methods.indexOf("GET") + 1, "HEAD"); // Javalin answers HEAD for every GET route (RFC 9110 9.3.2)
        }
        if (!methods.contains("OPTIONS")) {
            methods.add("OPTIONS"); // answered here, below
        }
        String allow = String.join(", ", methods);
        if ("OPTIONS".equals(ctx.method().name()) && !ctx.res().isCommitted()) {
            ctx.header("Allow", allow).status(204).result("");
            return;
        }
        write(ctx, 405, "method " + ctx.method().name() + " is not allowed on " + ctx.path() + "; it takes " + allow,
                List.of(ErrorDetail.of("method", "must be one of " + allow + ", got " + ctx.method().name())),
                Map.of("Allow", allow));
    }

    /** "nothing was stored" is true of a refused write, and meaningless on a read (GET, HEAD). */
    private static String validationMessage(ValidationException e, Context ctx) {
        if (!isRead(ctx)) {
            return e.getMessage();
        }
        List<ValidationException.Problem> problems = e.problems();
        return problems.size() == 1
                ? "invalid query parameter '" + problems.get(0).field() + "': " + problems.get(0).message()
                : problems.size() + " problems with the query parameters: " + problems.stream()
                        .map(ValidationException.Problem::toString).collect(java.util.stream.Collectors.joining("; "));
    }

    private static boolean isRead(Context ctx) {
        return "GET".equals(ctx.method().name()) || "HEAD".equals(ctx.method().name());
    }

    /**
     * Whether the database is (for now) out of reach, so that retrying later can succeed; decided in
     * one place for the toolkit and the server: {@link TransientFailures}.
     */
    static boolean isUnavailable(Throwable e) {
        return TransientFailures.isTransient(e);
    }

    private static void refused(DatabaseException e, Context ctx) {
        LOG.error("request {} {} {}: the database refused it: {}", RequestIds.of(ctx), ctx.method(), ctx.path(),
                e.getMessage());
        List<ErrorDetail> details = e.sqlState().map(state -> List.of(ErrorDetail.of("sqlstate", state))).orElse(List.of());
        write(ctx, 500, "the database refused the request, and retrying will not help until it is fixed: "
                + e.getMessage() + " (request id " + RequestIds.of(ctx) + ")", details, Map.of());
    }

    /**
     * A write the database refused because of what was sent ({@link InputRefusals}): the client's fault, 400, or 409
     * for valid results its state refuses; the transaction rolled back, so nothing of the request was stored.
     */
    private static void refusedInput(InputRefusals.Refusal refusal, Context ctx) {
        LOG.warn("request {} {} {}: the database refused the input [SQLSTATE {}]: {}", RequestIds.of(ctx), ctx.method(),
                ctx.path(), refusal.sqlState(), refusal.text());
        List<ErrorDetail> details = List.of(ErrorDetail.of(refusal.field(), refusal.message()),
                ErrorDetail.of("sqlstate", refusal.sqlState()));
        String message = refusal.text() + (isRead(ctx) ? "" : "; nothing was stored");
        ApiException answer = refusal.kind() == InputRefusals.Kind.CONFLICT
                ? new ConflictException(message, details) : new InvalidRequestException(message, details);
        write(ctx, answer.getStatus(), answer.getMessage(), answer.problems(), answer.headers());
    }

    private static void unavailable(Exception e, Context ctx) {
        LOG.warn("request {} {} {}: database unavailable: {}", RequestIds.of(ctx), ctx.method(), ctx.path(), e.getMessage());
        // The pool the failure came out of says whether it was the replica, which /health reports apart (read_database).
        String which = dev.benchmon.db.Database.READ_POOL.equals(dev.benchmon.db.Database.poolOf(e))
                ? "the read database (the replica BENCHMON_DB_READ_URL names)" : "the database";
        ServiceUnavailableException unavailable = new ServiceUnavailableException(
                which + " is unavailable; retry later (request id " + RequestIds.of(ctx) + ")",
                ServiceUnavailableException.DEFAULT_RETRY_AFTER);
        write(ctx, 503, unavailable.getMessage(), List.of(), unavailable.headers());
    }

    /**
     * Writes the JSON error body with status and headers; on a dashboard path ({@link
     * dev.benchmon.server.http.ErrorPages#isDashboard}) a small HTML page with the message instead.
     */
    public static void write(Context ctx, int status, String message, List<ErrorDetail> details, Map<String, String> headers) {
        if (ctx.res().isCommitted()) {
            abort(ctx, status, message);
            return;
        }
        headers.forEach(ctx::header);
        if (dev.benchmon.server.http.ErrorPages.isDashboard(ctx.path())) { // a person in a browser, not a client
            ctx.status(status).html(dev.benchmon.server.http.ErrorPages.page(status, message));
            return;
        }
        ObjectNode body = body(status, message, details, RequestIds.of(ctx));
        ctx.status(status).contentType("application/json; charset=utf-8").result(body.toString());
    }

    /**
     * The JSON error body: {@code {"error", "status", "details": [{"index", "field", "message"}], "request_id"}}
     * ({@code index} and {@code field} only when known). Also written for requests Jetty refuses before any route
     * runs ({@link dev.benchmon.server.http.RejectedRequests}).
     */
    public static ObjectNode body(int status, String message, List<ErrorDetail> details, String requestId) {
        ObjectNode body = ResultJson.mapper().createObjectNode();
        body.put("error", message == null || message.isBlank() ? "error " + status : message);
        body.put("status", status);
        ArrayNode list = body.putArray("details");
        for (ErrorDetail d : details) {
            ObjectNode o = list.addObject();
            if (d.index() != null) {
                o.put("index", d.index());
            }
            if (d.field() != null) {
                o.put("field", d.field());
            }
            o.put("message", d.message());
        }
        body.put("request_id", requestId);
        return body;
    }

    /**
     * A failure after the status and the first bytes went out (a streamed answer whose database read failed
     * half-way): an error body appended now would read as one more CSV row or corrupt JSON, and the answer would
     * look complete. Abort the exchange instead, so the chunked response ends without its last chunk and the
     * client sees a cut-off transfer (curl: "transfer closed"; Java's HttpClient: an IOException).
     */
    private static void abort(Context ctx, int status, String message) {
        LOG.warn("request {} {} {} failed after its answer started ({} {}); aborting the connection", RequestIds.of(ctx),
                ctx.method(), ctx.path(), status, message);
        var request = org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req());
        if (request != null) {
            request.getServletChannel().abort(new java.io.IOException("answer cut short: " + message));
        }
    }
}
