package dev.benchmon.server.alert;

import dev.benchmon.server.Tokens;
import dev.benchmon.server.api.Auth;
import dev.benchmon.server.api.errors.ForbiddenException;
import dev.benchmon.server.api.errors.UnauthorizedException;
import io.javalin.http.Handler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who may triage (change alert states, annotate runs, mute series): the write token, or the separate
 * triage token when one is configured. With neither configured, triage is as open as writing (loopback
 * only, by the server's start checks). Compared in constant time over SHA-256 digests.
 */
public final class TriageAuth {
    /** Cookie the dashboard's triage form sets (HttpOnly, SameSite=Strict). */
    public static final String COOKIE = "benchmon_triage";

    private final Tokens tokens;
    private final byte[] triageDigest;

    TriageAuth(Tokens tokens, String triageToken) {
        this.tokens = tokens;
        this.triageDigest = triageToken == null ? null : digest(triageToken);
    }

    /** Whether triage needs a token at all. */
    public boolean requiresToken() {
        return triageDigest != null || tokens.writeRequiresToken();
    }

    /** Whether {@code presented} (may be null) may triage. */
    public boolean allows(String presented) {
        if (!requiresToken()) {
            return true;
        }
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        boolean triage = triageDigest != null && MessageDigest.isEqual(digest(presented), triageDigest);
        boolean write = tokens.writeRequiresToken() && tokens.accessOf(presented) == Tokens.Access.WRITE;
        return triage | write;
    }

    /** {@code handler}, callable with a bearer token that may triage. */
    public Handler api(Handler handler) {
        return ctx -> {
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
            if (triageDigest != null && presented != null && MessageDigest.isEqual(digest(presented), triageDigest)) {
                handler.handle(ctx);
            } else {
                guarded.handle(ctx);
            }
        };
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.trim().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
