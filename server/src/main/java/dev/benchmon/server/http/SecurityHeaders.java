package dev.benchmon.server.http;

import io.javalin.http.Context;

/**
 * Security headers on every response (API, errors, assets, pages, the login form), set before the
 * handler runs so that an error answer carries them too. A page that needs a looser policy (the
 * dashboard's chart scripts) replaces {@code Content-Security-Policy} with its own; every policy
 * keeps {@code frame-ancestors 'none'}.
 *
 * <ul>
 *   <li>{@code Content-Security-Policy}: by default nothing may load ({@code default-src 'none'}),
 *       nothing may frame the response ({@code frame-ancestors 'none'}, OWASP clickjacking defence);
 *   <li>{@code X-Frame-Options: DENY} for browsers that predate frame-ancestors;
 *   <li>{@code X-Content-Type-Options: nosniff}: a JSON or CSV answer is never run as script or HTML;
 *   <li>{@code Referrer-Policy: same-origin}: dashboard URLs (filters, model names) do not leak to other sites.
 * </ul>
 */
public final class SecurityHeaders {
    /** For anything that is not a page: JSON, CSV, assets, errors. */
    public static final String DEFAULT_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'none'";
    /** The login form: its stylesheet, its data: icon, and a POST to itself; no script at all. */
    public static final String LOGIN_POLICY = "default-src 'none'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private SecurityHeaders() {
    }

    /** Sets the headers; a before-handler for every request. */
    public static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", DEFAULT_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
    }
}
