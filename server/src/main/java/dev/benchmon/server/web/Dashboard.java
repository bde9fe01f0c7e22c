package dev.benchmon.server.web;

import dev.benchmon.UnknownNameException;
import dev.benchmon.ValidationException;
import dev.benchmon.server.ServerContext;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.function.Consumer;

/**
 * The web dashboard: four server-rendered tabs (Current Snapshot, Performance Trends, Model
 * Comparison, Regression Detection) sharing a filter bar whose state lives in the URL, a CSV
 * download of the snapshot table, the read-token login, and the static assets (Plotly.js served
 * from its webjar; no CDN).
 *
 * <p>Routes: {@code /}, {@code /trends} (and {@code /trends/small-chart}, one of its small charts as an HTML fragment,
 * which the page fetches: {@link TrendsSmallChart}), {@code /compare}, {@code /regressions},
 * {@code /snapshot.csv}, {@code /login}, {@code /logout} and {@code /assets/...}. A value not understood is named
 * in a notice above the page, which still renders (status 400). A parameter no tab reads ({@link View#PARAMETERS})
 * is ignored and named in a notice (status 200), except tracking parameters ({@code utm_*}, {@code fbclid}, ...),
 * which are ignored silently; the alert pages ({@link AlertPages}) do the same. The CSV downloads answer 400 to
 * either kind (tracking parameters excepted): they have no page to name them on.
 */
public final class Dashboard {
    /**
     * Pages run Plotly's and the charts' inline scripts; everything else comes from this server.
     * Plotly injects style elements and draws images from data: URLs.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private Dashboard() {
    }

    /** Adds the dashboard routes to the app being configured. */
    public static void register(JavalinConfig config, ServerContext context) {
        Templates templates = new Templates();
        WebAuth auth = new WebAuth(context.tokens(), context.alerting().triage(), templates,
                context.alerting()::dashboardUrl);
        var routes = config.routes;
        routes.get("/", auth.guard(ctx -> page(ctx, context, templates, auth, View.Tab.SNAPSHOT, SnapshotPage::fill)));
        routes.get("/trends", auth.guard(ctx -> page(ctx, context, templates, auth, View.Tab.TRENDS, TrendsPage::fill)));
        routes.get(TrendsSmallChart.PATH, auth.guard(ctx ->
                TrendsSmallChart.answer(ctx, context.benchmon(), templates)));
        routes.get("/compare", auth.guard(ctx -> page(ctx, context, templates, auth, View.Tab.COMPARE, ComparePage::fill)));
        routes.get("/regressions", auth.guard(ctx ->
                page(ctx, context, templates, auth, View.Tab.REGRESSIONS, RegressionsPage::fill)));
        routes.get("/snapshot.csv", auth.guard(ctx -> csv(ctx, context, auth)));
        AlertPages.register(config, context, templates, auth);
        routes.get("/compare/flips.csv", auth.guard(ctx -> ComparePage.flipsCsv(ctx,
                new View(ctx, context.benchmon(), View.Tab.COMPARE, auth))));
        routes.get("/login", auth::showForm);
        routes.post("/login", auth::login);
        routes.post("/logout", auth::logout);
        routes.get(Assets.PLOTLY_PATH, Assets::plotly);
        routes.get("/assets/dashboard.css", ctx -> Assets.web(ctx, "dashboard.css", "text/css; charset=utf-8"));
        routes.get("/assets/dashboard.js", ctx -> Assets.web(ctx, "dashboard.js", "text/javascript; charset=utf-8"));
    }

    private static void page(Context ctx, ServerContext context, Templates templates, WebAuth auth, View.Tab tab,
                             Consumer<View> fill) {
        View view = new View(ctx, context.benchmon(), tab, auth);
        view.links = LinkCells.of(context, view);
        if (!view.choices.empty()) {
            try {
                fill.accept(view);
            } catch (ValidationException e) {
                e.problems().forEach(p -> view.problems.add(p.field() + ": " + p.message()));
            } catch (UnknownNameException e) {
                view.problems.add(e.kind() + ": " + e.getMessage()); // the message lists the known names
            }
        }
        view.model.put("plotlyPath", Assets.PLOTLY_PATH);
        ctx.status(view.problems.isEmpty() ? HttpStatus.OK : HttpStatus.BAD_REQUEST);
        securityHeaders(ctx);
        ctx.html(templates.render(tab.name().toLowerCase(java.util.Locale.ROOT), view.pageModel()));
    }

    private static void csv(Context ctx, ServerContext context, WebAuth auth) {
        View view = new View(ctx, context.benchmon(), View.Tab.SNAPSHOT, auth);
        if (view.refuseDownload(ctx)) {
            return;
        }
        SnapshotTable table = SnapshotPage.table(view, SnapshotPage.verdicts(view));
        securityHeaders(ctx);
        ctx.header("Content-Disposition", "attachment; filename=\"benchmon-snapshot-"
                + LocalDate.now(ZoneOffset.UTC) + ".csv\"");
        ctx.contentType("text/csv; charset=utf-8");
        // Written as the rows are formatted, not held as one string (every series x every metric name).
        try (Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8))) {
            table.csv(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }
}
