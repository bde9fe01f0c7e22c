package dev.benchmon.server.web;

import io.javalin.http.Context;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
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
        String source = source(ctx);
        String authority = source == null ? null : authority(source);
        return authority != null && expected(ctx, publicUrl).stream().anyMatch(authority::equalsIgnoreCase);
    }

    /**
     * Why {@link #of} refused {@code ctx}, for a person who may well be on this server's own form behind a reverse
     * proxy that rewrote Host: the origin the browser sent, the hosts this server takes as its own, and the fix.
     * Names no header value but Origin, Referer and the hosts (never a token or cookie).
     */
    static String refusal(Context ctx, String publicUrl) {
        String source = source(ctx);
        String seen = source == null ? "the browser sent no Origin or Referer"
                : "the form came from " + printable(source);
        return seen + ", but this server takes only " + expected(ctx, publicUrl).stream().map(SameOrigin::printable)
                .collect(Collectors.joining(" or "))
                + " as its own. Behind a reverse proxy, start the server with --public-url set to the address you "
                + "open the dashboard at, or have the proxy send X-Forwarded-Host (nginx: proxy_set_header "
                + "X-Forwarded-Host $host;)";
    }

    /** The Origin, or without a usable one the Referer: a URL the browser says the form came from; may be null. */
    static String source(Context ctx) {
        String origin = ctx.header("Origin");
        return origin == null || origin.equals("null") ? ctx.header("Referer") : origin;
    }

    /** The hosts (host:port) this server takes as its own: Host, the first X-Forwarded-Host, the public URL's. */
    private static List<String> expected(Context ctx, String publicUrl) {
        String forwarded = ctx.header("X-Forwarded-Host");
        return Stream.of(ctx.host(), forwarded == null ? null : forwarded.split(",", 2)[0].trim(), authority(publicUrl))
                .filter(Objects::nonNull).distinct().collect(Collectors.toList());
    }

    /**
     * {@code text} (a header's value; may be null: "(none)") as it may go into a message or log line: control
     * characters dropped, at most 200 characters.
     */
    static String printable(String text) {
        return dev.benchmon.server.http.HeaderText.printable(text);
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
