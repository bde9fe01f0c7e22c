package dev.benchmon.server.web;

import dev.benchmon.server.Sessions;
import dev.benchmon.server.Tokens;
import dev.benchmon.server.alert.TriageAuth;
import dev.benchmon.server.api.Auth;
import dev.benchmon.server.http.ErrorPages;
import dev.benchmon.server.http.SecurityHeaders;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The dashboard's read-token login: with a read token configured, pages need either a read session (the login form
 * checks the token and opens one; the {@link Tokens#COOKIE} cookie holds its random id, never the token) or the token
 * as a bearer header. The sign-in and log out forms are checked for a same-origin Origin ({@link SameOrigin}) as the
 * triage forms are. Tokens are compared by {@link Tokens} (constant time) and never echoed or logged. Signing in and logging out
 * both end the browser's read session and its triage session ({@link TriageAuth}): a sign-in grants what its token
 * grants and nothing a session before it held.
 */
final class WebAuth {
    private static final Logger LOG = LoggerFactory.getLogger(WebAuth.class);

    private final Tokens tokens;
    private final TriageAuth triage;
    private final Templates templates;
    /** The public URL (--public-url) or the server's own: one of the origins {@link SameOrigin} accepts. */
    private final Supplier<String> ownUrl;
    /** Whether a refused cross-origin sign-in or log out was logged: once is enough to point at a proxy's rewritten Host. */
    private final AtomicBoolean refusalLogged = new AtomicBoolean();

    WebAuth(Tokens tokens, TriageAuth triage, Templates templates, Supplier<String> ownUrl) {
        this.tokens = tokens;
        this.triage = triage;
        this.templates = templates;
        this.ownUrl = ownUrl;
    }

    /** {@code true} when the request may see the dashboard. */
    boolean allowed(Context ctx) {
        if (!tokens.readRequiresToken()) {
            return true;
        }
        return Auth.readSession(tokens, ctx) || tokens.canRead(Auth.bearer(ctx));
    }

    /** Whether this server refuses every write: a read token and no write token ({@link dev.benchmon.server.Tokens#readOnly()}). */
    boolean readOnly() {
        return tokens.readOnly();
    }

    /** Whether a push to this server needs a token: a write token is configured. */
    boolean pushNeedsToken() {
        return tokens.writeRequiresToken();
    }

    /**
     * Whether the page should offer to log out: with the read login on, or when this browser holds a triage session
     * (a server with only a write token has no read login, but its triage sign-in must end too).
     */
    boolean offersLogout(Context ctx) {
        return tokens.readRequiresToken() || triage.signedIn(ctx.cookie(TriageAuth.COOKIE));
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
        // A sign-in posted from another site would plant that site's chosen session in this browser.
        String foreign = foreignOrigin(ctx, "sign-in");
        if (foreign != null) {
            renderForm(ctx, next, foreign, HttpStatus.FORBIDDEN);
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
        // A browser signing in again starts afresh (OWASP: a new session id at sign-in): its old read session ends,
        // and so does its triage session, or the next person on a shared browser would triage with the read token.
        // The triage session ends only once the new read session is open: a sign-in refused at the cap changes nothing
        // but the read session it replaces.
        Sessions sessions = tokens.readSessions();
        sessions.close(ctx.cookie(Tokens.COOKIE));
        // A session id, not the token: a cookie outlives the tab and sits in the browser's store.
        Optional<String> session = sessions.open();
        if (session.isEmpty()) {
            renderForm(ctx, next, Sessions.FULL, HttpStatus.SERVICE_UNAVAILABLE);
            return;
        }
        triage.closeSession(ctx.cookie(TriageAuth.COOKIE));
        ctx.cookie(new Cookie(Tokens.COOKIE, session.get(), "/", sessions.maxAgeSeconds(), secure(ctx), true, null,
                SameSite.STRICT));
        expire(ctx, TriageAuth.COOKIE); // after the session's cookie, which scripts read as the first Set-Cookie
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    /**
     * Ends this browser's read and triage sessions and expires both cookies: on a shared machine the next person
     * must not inherit the triage rights of the last (the name cookie stays, it grants nothing).
     */
    void logout(Context ctx) {
        // A log out posted from another site would end this browser's sessions at that site's will.
        String foreign = foreignOrigin(ctx, "log out");
        if (foreign != null) {
            Dashboard.securityHeaders(ctx);
            ctx.status(HttpStatus.FORBIDDEN).html(ErrorPages.page(HttpStatus.FORBIDDEN.getCode(), foreign));
            return;
        }
        endSessions(ctx);
        expire(ctx, Tokens.COOKIE);
        expire(ctx, TriageAuth.COOKIE);
        ctx.redirect(tokens.readRequiresToken() ? "/login" : "/", HttpStatus.SEE_OTHER);
    }

    /**
     * Why the form {@code what} ("sign-in", "log out") is refused when it was not posted from this server's own pages
     * ({@link SameOrigin}): "cross-origin sign-in refused: " and {@link SameOrigin#refusal}; {@code null} when it was.
     * Behind a proxy that rewrites Host (nginx's default) the browser's own form is refused too, so the first refusal
     * is logged with what to fix.
     */
    private String foreignOrigin(Context ctx, String what) {
        if (SameOrigin.of(ctx, ownUrl.get())) {
            return null;
        }
        if (refusalLogged.compareAndSet(false, true)) {
            LOG.warn("refused a dashboard {} from origin {} (Host {}, X-Forwarded-Host {}, public URL {}); "
                            + "if browsers reach this server through a reverse proxy, pass --public-url (or set "
                            + "BENCHMON_PUBLIC_URL) or have the proxy send X-Forwarded-Host (logged once)",
                    what, SameOrigin.printable(SameOrigin.source(ctx)), SameOrigin.printable(ctx.host()),
                    SameOrigin.printable(ctx.header("X-Forwarded-Host")), ownUrl.get());
        }
        return "cross-origin " + what + " refused: " + SameOrigin.refusal(ctx, ownUrl.get());
    }

    /** Ends the read and triage sessions this browser's cookies name (their cookies are the caller's to expire). */
    private void endSessions(Context ctx) {
        tokens.readSessions().close(ctx.cookie(Tokens.COOKIE));
        triage.closeSession(ctx.cookie(TriageAuth.COOKIE));
    }

    /** Tells the browser to drop the cookie {@code name} (empty, Max-Age 0, with the attributes it was set with). */
    private static void expire(Context ctx, String name) {
        ctx.cookie(new Cookie(name, "", "/", 0, secure(ctx), true, null, SameSite.STRICT));
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
