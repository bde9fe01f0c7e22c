package dev.benchmon.server.api;

import dev.benchmon.server.Tokens;
import dev.benchmon.server.api.errors.ForbiddenException;
import dev.benchmon.server.api.errors.UnauthorizedException;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Wraps handlers with the token checks. Writes need the write token as a bearer token; reads need
 * the read (or write) token when a read token is configured, as a bearer token or in the
 * {@value Tokens#COOKIE} cookie the dashboard's login sets (which holds a read session's id, never a token).
 * Writes never accept the cookie, so a page in the browser cannot be tricked into writing. A server
 * with a read token but no write token refuses every write (403): it is read-only, not open.
 */
public final class Auth {
    private Auth() {
    }

    /** {@code handler}, callable only by clients allowed to read. */
    public static Handler read(Tokens tokens, Handler handler) {
        return read(tokens, presented -> false, handler);
    }

    /**
     * {@link #read(Tokens, Handler)} on a server that also has a triage token: that token, valid but not for these
     * reads, is refused with a 403 saying what it can do and which token reads, not as an unknown one (401).
     */
    public static Handler read(Tokens tokens, java.util.function.Predicate<String> isTriageToken, Handler handler) {
        return ctx -> {
            if (tokens.readRequiresToken()) {
                String presented = bearer(ctx);
                if (presented == null && readSession(tokens, ctx)) {
                    handler.handle(ctx);
                    return;
                }
                if (presented == null || presented.isEmpty()) {
                    throw new UnauthorizedException("this server requires a token to read: send 'Authorization: Bearer "
                            + "<read token>' (or log in on the dashboard)");
                }
                Tokens.Access access = tokens.accessOf(presented);
                if (access == Tokens.Access.NONE && isTriageToken.test(presented)) {
                    throw new ForbiddenException("this token can only triage and read alerts; reading this needs the "
                            + "read token (BENCHMON_READ_TOKEN; the write token reads too)");
                }
                if (access == Tokens.Access.NONE) {
                    throw new UnauthorizedException("the token is not valid for this server; check BENCHMON_READ_TOKEN");
                }
            }
            handler.handle(ctx);
        };
    }

    /** {@code handler}, callable only with the write token (when one is configured). */
    public static Handler write(Tokens tokens, Handler handler) {
        return write(tokens, presented -> false, handler);
    }

    /**
     * {@link #write(Tokens, Handler)} on a server that also has a triage token: that token, valid but not for
     * writing, is refused as the read token is (403 saying what it can do), not as an unknown one (401).
     */
    public static Handler write(Tokens tokens, java.util.function.Predicate<String> isTriageToken, Handler handler) {
        return ctx -> {
            if (tokens.readOnly()) {
                throw new ForbiddenException("this server is read-only: it has a read token but no write token, so "
                        + "nobody may write; set BENCHMON_WRITE_TOKEN (or a write token in --tokens-file) to allow pushing");
            }
            if (tokens.writeRequiresToken()) {
                String presented = bearer(ctx);
                if (presented == null || presented.isEmpty()) {
                    throw new UnauthorizedException("writing needs the write token: send 'Authorization: Bearer "
                            + "<write token>' (benchmon push --token, or BENCHMON_TOKEN)");
                }
                Tokens.Access access = tokens.accessOf(presented);
                if (access == Tokens.Access.NONE && isTriageToken.test(presented)) {
                    throw new ForbiddenException("this token can only triage and read alerts; writing needs the write token");
                }
                if (access == Tokens.Access.NONE) {
                    throw new UnauthorizedException("the token is not valid for this server; check BENCHMON_WRITE_TOKEN");
                }
                if (access != Tokens.Access.WRITE) {
                    throw new ForbiddenException("this token can only read; writing needs the write token");
                }
            }
            handler.handle(ctx);
        };
    }

    /**
     * Whether the login cookie holds the id of an open read session ({@link Tokens#readSessions()}). Anything else
     * there (a guess, an expired session, or a token kept by an older version) counts as no cookie.
     */
    public static boolean readSession(Tokens tokens, Context ctx) {
        return tokens.readSessions().valid(ctx.cookie(Tokens.COOKIE));
    }

    /** The bearer token in the Authorization header, or {@code null}. */
    public static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return h.substring(7).trim();
        }
        return null;
    }
}
