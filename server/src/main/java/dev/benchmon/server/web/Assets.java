package dev.benchmon.server.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Static files the dashboard needs, all from the class path: its stylesheet and script, and
 * Plotly.js from the {@code org.webjars.npm:plotly.js-dist} jar, so nothing is fetched from the
 * internet.
 */
final class Assets {
    private static final String PLOTLY_WEBJAR = "META-INF/resources/webjars/plotly.js-dist/";
    private static final String PLOTLY_POM = "META-INF/maven/org.webjars.npm/plotly.js-dist/pom.properties";

    /** The Plotly.js version on the class path, e.g. 2.35.3. */
    static final String PLOTLY_VERSION = plotlyVersion();
    /** Where pages load Plotly from; the version in the path lets browsers cache it for good. */
    static final String PLOTLY_PATH = "/assets/plotly-" + PLOTLY_VERSION + ".js";

    private Assets() {
    }

    static void plotly(Context ctx) {
        send(ctx, PLOTLY_WEBJAR + PLOTLY_VERSION + "/plotly.js", "text/javascript; charset=utf-8",
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

    private static String plotlyVersion() {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(PLOTLY_POM)) {
            if (in == null) {
                throw new IllegalStateException("the Plotly webjar (org.webjars.npm:plotly.js-dist) is not on the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PLOTLY_POM, e);
        }
    }
}
