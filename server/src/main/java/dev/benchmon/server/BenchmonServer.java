package dev.benchmon.server;

import dev.benchmon.Benchmon;
import dev.benchmon.server.api.ApiRoutes;
import dev.benchmon.server.api.HttpMetrics;
import dev.benchmon.server.http.RequestBodies;
import dev.benchmon.server.http.RequestLimits;
import dev.benchmon.server.http.SecurityHeaders;
import dev.benchmon.server.web.Dashboard;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The benchmon HTTP server: the JSON API, {@code /health}, {@code /metrics} and the dashboard on one
 * Javalin app over a {@link Benchmon}.
 *
 * <pre>{@code
 * Benchmon bm = Benchmon.open();
 * BenchmonServer server = BenchmonServer.create(bm, ServerSettings.defaults().withPort(0)).start();
 * System.out.println(server.url());   // http://127.0.0.1:54321/
 * server.stop();                       // drains in-flight requests, then closes bm
 * }</pre>
 *
 * <p>The server owns the Benchmon it is given: {@link #stop()} closes it after the last request.
 */
public final class BenchmonServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BenchmonServer.class);

    private final Benchmon benchmon;
    private final ServerSettings settings;
    private final Javalin app;
    private final dev.benchmon.server.alert.Alerting alerting;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch stoppedLatch = new CountDownLatch(1);
    private volatile Thread shutdownHook;
    /** Checks the log's planner statistics while the server runs (from {@link #start()}). */
    private volatile dev.benchmon.db.LogStatistics logStatistics;

    private BenchmonServer(Benchmon benchmon, ServerSettings settings) {
        this.benchmon = benchmon;
        this.settings = settings;
        this.alerting = new dev.benchmon.server.alert.Alerting(benchmon, settings.alerts(), this::url, settings.tokens());
        ServerContext context = new ServerContext(benchmon, settings.tokens(), alerting);
        HttpMetrics metrics = new HttpMetrics();
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = settings.maxBodyBytes();
            // A path served for other methods answers 405 with an Allow header (ErrorResponses), not 404.
            config.http.prefer405over404 = true;
            // A body that stalls this long fails its read with a timeout, answered 408 in JSON (RequestBodies).
            config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(settings.bodyTimeout().toMillis()));
            config.jetty.modifyServer(server -> {
                // Stop = refuse new connections, let in-flight requests finish (up to the drain timeout), then close
                // the idle connections promptly (DrainingHandler).
                server.setHandler(new dev.benchmon.server.http.DrainingHandler());
                server.setStopTimeout(settings.drainTimeout().toMillis());
                // Requests refused before routing (414 URI too long, ...) answer in the API's JSON error format.
                server.setErrorHandler(new dev.benchmon.server.http.RejectedRequests());
            });
            config.routes.before(SecurityHeaders::apply);
            // First of the checks, so that every refusal below (even of a URL too long) carries its X-Request-Id.
            config.routes.before(dev.benchmon.server.api.RequestIds::assign);
            if (settings.loopback()) { // DNS rebinding: only this machine's names for the server (LoopbackHosts)
                config.routes.before(new dev.benchmon.server.http.LoopbackHosts(settings.host(),
                        settings.alerts().notifier().dashboardUrl())::check);
            }
            RequestLimits.register(config);
            RequestBodies.register(config);
            ApiRoutes.register(config, context, settings, metrics);
            Dashboard.register(config, context);
        });
    }

    /**
     * Builds the server (not yet listening).
     *
     * @throws dev.benchmon.ConfigurationException on a non-loopback bind without a write token
     */
    public static BenchmonServer create(Benchmon benchmon, ServerSettings settings) {
        settings.checkSafeToExpose();
        return new BenchmonServer(benchmon, settings);
    }

    /** Starts listening and logs the URL to open. */
    public BenchmonServer start() {
        app.start();
        // The partitioned log's own planner statistics, which autovacuum never gathers (LogStatistics).
        logStatistics = dev.benchmon.db.LogStatistics.keepFresh(benchmon.jdbi());
        if (settings.tokens().readOnly()) {
            LOG.warn("READ-ONLY: a read token but no write token is configured, so every write (POST /api/v1/results, "
                    + "benchmon push) is refused with 403{}; set BENCHMON_WRITE_TOKEN to allow pushing",
                    alerting.triage().refused() ? ", and so is triage (set BENCHMON_TRIAGE_TOKEN to allow it)" : "");
        } else if (!settings.tokens().hasWriteToken() && !settings.tokens().hasReadToken()) {
            // Name what is open and what is not: a triage token alone protects triage, not pushes or reads.
            LOG.warn(alerting.triage().requiresToken()
                    ? "no write or read token configured: pushes and reads are open to anyone on this machine (loopback "
                            + "only); triage needs BENCHMON_TRIAGE_TOKEN; set BENCHMON_WRITE_TOKEN / BENCHMON_READ_TOKEN "
                            + "to require tokens for pushes and reads"
                    : "no tokens configured: pushes, reads and triage are open to anyone on this machine (loopback "
                            + "only); set BENCHMON_WRITE_TOKEN / BENCHMON_READ_TOKEN / BENCHMON_TRIAGE_TOKEN to require them");
        } else if (!settings.loopback() && !settings.tokens().hasReadToken()) {
            LOG.warn("no read token: anyone who can reach {} can read every result, the dashboard and /metrics "
                    + "(only pushing needs the write token); set BENCHMON_READ_TOKEN to require one", settings.host());
        }
        if (wildcard() && settings.alerts().notifier().dashboardUrl() == null) {
            LOG.warn("listening on every interface ({}) without --public-url: links in alerts, notifications and the "
                    + "output of benchmon push will say {}, which no other machine can open; pass --public-url (or set "
                    + "BENCHMON_PUBLIC_URL) to the address others reach the dashboard at, e.g. "
                    + "--public-url https://benchmon.example.com/", settings.host(), url());
        }
        if (settings.tokenWeakness() != null) { // refused on any other bind (ServerSettings.checkSafeToExpose)
            LOG.warn("{}; a server reachable from the network refuses such a token", settings.tokenWeakness());
        }
        if (benchmon.database().loginCanRewriteHistory()) {
            LOG.warn("the database login {} is a superuser or owns the tables, so whoever holds it can disable the "
                    + "append-only triggers and rewrite history; run the server as a least-privilege login and let "
                    + "the owner migrate (BENCHMON_DB_OWNER_USER, docs/SETUP.md)", benchmon.database().login());
        }
        RowSecurityCheck.warnings(benchmon).forEach(LOG::warn);
        String publicUrl = settings.alerts().notifier().dashboardUrl();
        if (publicUrl != null && !publicUrl.isBlank()) {
            // Where others reach it (--public-url), as its links say; the bound address, which may be a wildcard, beside it.
            LOG.info("benchmon is running at {} (listening on {}:{}; API under {}api/v1, Ctrl-C to stop)", publicUrl,
                    settings.host(), port(), publicUrl);
        } else {
            LOG.info("benchmon is running at {} (API under {}api/v1, Ctrl-C to stop)", url(), url());
        }
        return this;
    }

    /** The port listened on (the actual one when started with port 0). */
    public int port() {
        return app.port();
    }

    /** The URL to open, e.g. {@code http://127.0.0.1:7070/}; a wildcard bind shows as localhost. */
    public String url() {
        String host = settings.host();
        if (wildcard()) {
            host = "localhost";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port() + "/";
    }

    /** Whether the server listens on every interface, so that no one address names it. */
    private boolean wildcard() {
        String host = settings.host();
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /** Alerting: notifier, links, triage (see {@code dev.benchmon.server.alert}). */
    public dev.benchmon.server.alert.Alerting alerting() {
        return alerting;
    }

    /** The settings the server runs with. */
    public ServerSettings settings() {
        return settings;
    }

    /** Stops the server on SIGTERM / Ctrl-C (a JVM shutdown hook); returns this. */
    public BenchmonServer installShutdownHook() {
        Runnable drain = () -> {
            LOG.info("shutdown requested: finishing in-flight requests");
            stopInternal();
        };
        var embedded = benchmon.database().embeddedServer();
        if (embedded != null) {
            // Drain before this process leaves the embedded PostgreSQL (stopping it when no other process uses it):
            // in-flight requests still need it. Every user of the embedded server has its shutdown hook.
            embedded.runBeforeShutdown(drain);
            return this;
        }
        Thread hook = new Thread(drain, "benchmon-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        shutdownHook = hook;
        return this;
    }

    /**
     * Stops gracefully: refuses new connections, waits up to the drain timeout for in-flight
     * requests, then closes the database. Safe to call more than once.
     */
    public void stop() {
        Thread hook = shutdownHook;
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or will run; it does the same work
            }
        }
        stopInternal();
    }

    private void stopInternal() {
        if (!stopped.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        try {
            app.stop();
        } finally {
            try {
                if (logStatistics != null) {
                    logStatistics.close();
                }
                alerting.close();
                benchmon.close();
            } finally {
                LOG.info("benchmon stopped");
                stoppedLatch.countDown();
            }
        }
    }

    /** Blocks until the server has stopped (for a foreground {@code benchmon serve}). */
    public void awaitStopped() {
        try {
            stoppedLatch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
