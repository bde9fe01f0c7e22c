package dev.benchmon.server.web;

import dev.benchmon.server.Tokens;
import dev.benchmon.server.api.Auth;
import dev.benchmon.server.http.SecurityHeaders;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The dashboard's read-token login: with a read token configured, pages need the token, either as
 * the {@link Tokens#COOKIE} cookie the login form sets or as a bearer header. Tokens are compared
 * by {@link Tokens} (constant time) and never echoed or logged.
 */
final class WebAuth {
    /** A month: people keep a dashboard tab open; logging out clears it. */
    private static final int COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;

    private final Tokens tokens;
    private final Templates templates;

    WebAuth(Tokens tokens, Templates templates) {
        this.tokens = tokens;
        this.templates = templates;
    }

    /** {@code true} when the request may see the dashboard. */
    boolean allowed(Context ctx) {
        if (!tokens.readRequiresToken()) {
            return true;
        }
        return tokens.canRead(Auth.cookieToken(tokens, ctx)) || tokens.canRead(Auth.bearer(ctx));
    }

    /** Whether the pages should offer a logout link. */
    boolean loginEnabled() {
        return tokens.readRequiresToken();
    }

    /** Wraps a page handler: without access, sends the browser to the login form and back afterwards. */
    Handler guard(Handler page) {
        return ctx -> {
            if (allowed(ctx)) {
                page.handle(ctx);
            } else {
                String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
                ctx.redirect("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
            }
        };
    }

    void showForm(Context ctx) {
        if (!tokens.readRequiresToken()) {
            ctx.redirect("/", HttpStatus.SEE_OTHER);
            return;
        }
        renderForm(ctx, safeNext(ctx.queryParam("next")), null, HttpStatus.OK);
    }

    void login(Context ctx) {
        String next = safeNext(ctx.formParam("next"));
        String token = ctx.formParam("token");
        if (!tokens.readRequiresToken()) {
            ctx.redirect(next, HttpStatus.SEE_OTHER);
            return;
        }
        Tokens.Access access = token == null || token.isBlank() ? Tokens.Access.NONE : tokens.accessOf(token.trim());
        if (access != Tokens.Access.READ) {
            // The write token is for pushing: a browser never keeps it (a cookie outlives the tab and
            // travels with every request), so signing in with it is refused like a wrong token.
            renderForm(ctx, next, token == null || token.isBlank() ? "token: enter the read token"
                    : access == Tokens.Access.WRITE ? "token: this is the write token; sign in with the read token "
                    + "(the write token is never kept in a browser)" : "token: this token is not valid",
                    HttpStatus.UNAUTHORIZED);
            return;
        }
        Cookie cookie = new Cookie(Tokens.COOKIE, token.trim(), "/", COOKIE_MAX_AGE_SECONDS, secure(ctx), true, null,
                SameSite.STRICT);
        ctx.cookie(cookie);
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    void logout(Context ctx) {
        Cookie expired = new Cookie(Tokens.COOKIE, "", "/", 0, secure(ctx), true, null, SameSite.STRICT);
        ctx.cookie(expired);
        ctx.redirect(tokens.readRequiresToken() ? "/login" : "/", HttpStatus.SEE_OTHER);
    }

    private void renderForm(Context ctx, String next, String error, HttpStatus status) {
        ctx.status(status);
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Security-Policy", SecurityHeaders.LOGIN_POLICY);
        ctx.html(templates.render("login", Map.of("next", next, "error", error == null ? "" : error)));
    }

    /**
     * A decoded {@code next} that is a path on this server: one slash, then only visible ASCII without
     * backslashes. Browsers drop tabs and line breaks from a Location and read a backslash as a slash,
     * so {@code /<TAB>/evil.example} or {@code /\\evil.example} would leave the server (an open redirect).
     */
    private static final Pattern SAFE_NEXT = Pattern.compile("^/(?![/\\\\])[\\x21-\\x5B\\x5D-\\x7E]*$");

    /** {@code next} if it is a path on this server (see {@link #SAFE_NEXT}) other than the login form, else {@code /}. */
    static String safeNext(String next) {
        if (next == null || !SAFE_NEXT.matcher(next).matches() || next.startsWith("/login")) {
            return "/";
        }
        return next;
    }

    /** Whether the browser reached us over HTTPS (directly or through a TLS-terminating proxy): cookies get Secure. */
    static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }
}
