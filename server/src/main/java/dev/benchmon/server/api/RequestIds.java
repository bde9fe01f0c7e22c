package dev.benchmon.server.api;

import io.javalin.http.Context;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Gives every request an id, sent back in {@value #HEADER} and in error bodies, and written to the
 * log with unexpected errors, so that a user's report can be matched to the log. A well-formed id
 * sent by the client (e.g. by a proxy) is kept.
 */
public final class RequestIds {
    /** Header that carries the id both ways. */
    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "benchmon.request-id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {
    }

    /** Before-handler: assigns the id and sets the response header. */
    public static void assign(Context ctx) {
        String id = of(ctx);
        ctx.header(HEADER, id);
    }

    /** The request's id, assigning one if needed. */
    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        if (id == null) {
            String sent = ctx.header(HEADER);
            // Only ids that cannot inject anything into logs or headers are echoed back.
            id = sent != null && SAFE.matcher(sent).matches() ? sent : newId();
            ctx.attribute(ATTRIBUTE, id);
        }
        return id;
    }

    /** A new id, for an answer written where there is no request context (a request Jetty refused unparsed). */
    public static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
