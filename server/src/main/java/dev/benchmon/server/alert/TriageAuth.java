package dev.benchmon.server.alert;

import dev.benchmon.server.Sessions;
import dev.benchmon.server.Tokens;
import dev.benchmon.server.api.Auth;
import dev.benchmon.server.api.errors.ForbiddenException;
import dev.benchmon.server.api.errors.UnauthorizedException;
import io.javalin.http.Handler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who may triage (change alert states, annotate runs, mute series): the write token, or the separate
 * triage token when one is configured. With no token configured at all, triage is as open as writing
 * (loopback only, by the server's start checks); with any token configured it needs one. A read-only
 * server (a read token, no write token) refuses triage unless it has a triage token, as it refuses
 * writes. Compared in constant time over SHA-256 digests.
 *
 * <p>The dashboard's browsers never keep a token: the triage login opens a session here and the
 * cookie holds only its random id (sessions live in memory, so a restart asks for the token again). A session ends
 * as {@link Sessions} says (idle, too old), at log out, and when its browser signs in again, to triage or to read.
 */
public final class TriageAuth {
    /** Why a read-only server refuses triage, for the API's 403 and the dashboard's. */
    public static final String READ_ONLY = "this server is read-only: it has a read token but no write or triage token, "
            + "so nobody may triage; set BENCHMON_TRIAGE_TOKEN (or BENCHMON_WRITE_TOKEN) to allow it";

    /** Cookie the dashboard's triage form sets (HttpOnly, SameSite=Strict); holds a session id, never a token. */
    public static final String COOKIE = "benchmon_triage";
    /**
     * How long a dashboard triage session lasts at most (the cookie's Max-Age), as the read login's; unused for
     * {@link Sessions#IDLE_TIMEOUT} it ends sooner.
     */
    public static final Duration SESSION_LIFETIME = Sessions.ABSOLUTE_LIFETIME;

    private final Tokens tokens;
    private final byte[] triageDigest;
    private final Sessions sessions = new Sessions();

    TriageAuth(Tokens tokens, String triageToken) {
        this.tokens = tokens;
        this.triageDigest = triageToken == null ? null : digest(triageToken);
    }

    /**
     * Whether nobody may triage: a read-only server without a triage token. Its read token must not
     * leave triage open (an exclusion or a mute changes what the detector reports).
     */
    public boolean refused() {
        return triageDigest == null && tokens.readOnly();
    }

    /** Whether triage needs a token at all: whenever any token is configured. */
    public boolean requiresToken() {
        return triageDigest != null || tokens.writeRequiresToken() || tokens.readRequiresToken();
    }

    /** Whether {@code presented} (may be null) is the triage token. */
    public boolean isTriageToken(String presented) {
        return triageDigest != null && presented != null && !presented.isEmpty()
                && MessageDigest.isEqual(digest(presented), triageDigest);
    }

    /** Whether {@code presented} (may be null) may triage. */
    public boolean allows(String presented) {
        return permits(presented, p -> {
            boolean triage = isTriageToken(p);
            boolean write = tokens.writeRequiresToken() && tokens.accessOf(p) == Tokens.Access.WRITE;
            return triage | write;
        });
    }

    /** Whether the dashboard's triage cookie (a session id; may be null) may triage. */
    public boolean allowsSession(String id) {
        return permits(id, sessions::valid);
    }

    /** The rules both ways share: nobody if {@link #refused}, anybody if no token is needed, else {@code valid}. */
    private boolean permits(String presented, Predicate<String> valid) {
        if (refused()) {
            return false;
        }
        if (!requiresToken()) {
            return true;
        }
        return presented != null && !presented.isEmpty() && valid.test(presented);
    }

    /** {@code handler}, callable with a bearer token that may triage. */
    public Handler api(Handler handler) {
        return ctx -> {
            if (refused()) {
                throw new ForbiddenException(READ_ONLY);
            }
            if (requiresToken()) {
                String presented = Auth.bearer(ctx);
                if (presented == null || presented.isEmpty()) {
                    throw new UnauthorizedException("triage needs the triage or write token: send 'Authorization: "
                            + "Bearer <token>' (benchmon alerts --token, or BENCHMON_TOKEN)");
                }
                if (!allows(presented)) {
                    if (tokens.accessOf(presented) == Tokens.Access.READ) {
                        throw new ForbiddenException("this token can only read; triage needs the triage or write token");
                    }
                    throw new UnauthorizedException("the token is not valid for triage; check BENCHMON_TRIAGE_TOKEN");
                }
            }
            handler.handle(ctx);
        };
    }

    /** {@code handler} for readers: the read rules of {@link Auth#read}, and the triage token reads too. */
    public Handler read(Handler handler) {
        Handler guarded = Auth.read(tokens, handler);
        return ctx -> {
            String presented = Auth.bearer(ctx);
            if (isTriageToken(presented)) {
                handler.handle(ctx);
            } else {
                guarded.handle(ctx);
            }
        };
    }

    /**
     * A new dashboard session for a browser that presented a token {@link #allows allowed} to triage: its id, or
     * empty when the most sessions the server keeps are open and live ({@link Sessions#FULL}).
     */
    public Optional<String> openSession() {
        return sessions.open();
    }

    /**
     * Whether the triage cookie (may be null) holds an open session: the browser signed in to triage (unlike
     * {@link #allowsSession}, which is true for anybody when triage needs no token). The dashboard then offers to log out.
     */
    public boolean signedIn(String id) {
        return requiresToken() && sessions.valid(id);
    }

    /** Ends the triage session {@code id} (may be null or unknown: nothing happens), as the dashboard's log out does. */
    public void closeSession(String id) {
        sessions.close(id);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.trim().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
