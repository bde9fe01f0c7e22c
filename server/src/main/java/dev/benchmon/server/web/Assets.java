package dev.benchmon.server.web;

import dev.benchmon.notebook.Notebook;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.InputStream;

/**
 * Static files the dashboard needs, all from the class path: its stylesheet and script, and
 * Plotly.js from the {@code org.webjars.npm:plotly.js-dist} jar, so nothing is fetched from the
 * internet.
 */
final class Assets {
    /** The Plotly.js version on the class path, e.g. 2.35.3 (the toolkit reads it from the webjar). */
    static final String PLOTLY_VERSION = Notebook.plotlyVersion();
    /** Where pages load Plotly from; the version in the path lets browsers cache it for good. */
    static final String PLOTLY_PATH = "/assets/plotly-" + PLOTLY_VERSION + ".js";

    private Assets() {
    }

    static void plotly(Context ctx) {
        send(ctx, Notebook.plotlyResource(), "text/javascript; charset=utf-8",
                "public, max-age=31536000, immutable");
    }

    /** A file under {@code web/} on the class path (the dashboard's CSS and JavaScript). */
    static void web(Context ctx, String name, String contentType) {
        send(ctx, "web/" + name, contentType, "public, max-age=300");
    }

    private static void send(Context ctx, String resource, String contentType, String cacheControl) {
        InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            ctx.status(HttpStatus.NOT_FOUND).result("not found");
            return;
        }
        ctx.header("Cache-Control", cacheControl).contentType(contentType).result(in);
    }
}
