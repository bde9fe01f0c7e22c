package dev.benchmon.server.web;

import dev.benchmon.server.ServerContext;
import io.javalin.config.JavalinConfig;

/** Registers the dashboard's pages and assets. (Filled in by the dashboard work, issue 4.) */
public final class Dashboard {
    private Dashboard() {
    }

    /** Adds the dashboard routes to the app being configured. */
    public static void register(JavalinConfig config, ServerContext context) {
        // intentionally empty until the dashboard lands
    }
}
