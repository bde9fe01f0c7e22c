package dev.benchmon.server.web;

import io.javalin.http.Context;

import java.net.URI;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Whether a form POST comes from this server's own pages (the dashboard's CSRF check, for the sign-in and triage
 * forms). Browsers send Origin with every form POST; it is missing or "null" from a sandboxed frame, after a
 * cross-origin redirect or with a strict referrer policy, so then only a same-origin Referer vouches. The server's
 * own origin is its Host, and behind a reverse proxy that rewrites Host also the proxy's X-Forwarded-Host and the
 * public URL (--public-url): a browser cannot set those headers on a form POST.
 */
final class SameOrigin {
    private SameOrigin() {
    }

    /** Whether {@code ctx}'s Origin (or, without one, its Referer) is this server; {@code publicUrl} may be null. */
    static boolean of(Context ctx, String publicUrl) {
        String origin = ctx.header("Origin");
        String from = origin == null || origin.equals("null") ? ctx.header("Referer") : origin;
        String source = from == null ? null : authority(from);
        String forwarded = ctx.header("X-Forwarded-Host");
        return source != null && Stream.of(ctx.host(), forwarded == null ? null : forwarded.split(",", 2)[0].trim(),
                        authority(publicUrl))
                .filter(Objects::nonNull).anyMatch(source::equalsIgnoreCase);
    }

    /** The host:port of a URL in a header, or {@code null} when it is not a URL. */
    private static String authority(String url) {
        if (url == null) {
            return null;
        }
        try {
            return URI.create(url).getAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
