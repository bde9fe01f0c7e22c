package dev.benchmon.server.cli;

import dev.benchmon.Benchmon;
import dev.benchmon.server.BenchmonServer;
import dev.benchmon.server.ServerSettings;
import dev.benchmon.server.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code benchmon serve}: runs the server in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_HELP, ExitCodes.INVALID_INPUT_HELP,
                ExitCodes.UNREACHABLE_HELP, ExitCodes.FAILURE_HELP},
        description = {"Start the benchmon server: JSON API under /api/v1, dashboard, /health and /metrics.",
                "Stops cleanly on Ctrl-C or SIGTERM (finishes in-flight requests, then closes the database)."},
        footer = {"", "Tokens: BENCHMON_WRITE_TOKEN (push) and BENCHMON_READ_TOKEN (queries, dashboard), or --tokens-file; "
                        + "BENCHMON_TRIAGE_TOKEN for triage alone (acknowledge, mute, exclude a run: benchmon alerts, the "
                        + "dashboard's Triage menus), which the write token may do too.",
                "Without tokens the server only listens on loopback; any other --host needs a write token (or a read "
                        + "token alone: read-only), and tokens of at least 16 characters. On 0.0.0.0 give --public-url."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = ServerSettings.DEFAULT_HOST, paramLabel = "HOST",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all, needs a write token).")
    String host;

    @Option(names = "--port", defaultValue = "" + ServerSettings.DEFAULT_PORT, paramLabel = "PORT",
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--demo", description = "Load a realistic generated 90-day history when the database is empty.")
    boolean demo;

    @Option(names = "--tokens-file", paramLabel = "FILE",
            description = "Properties file with write_token=... and read_token=... (overrides the environment); "
                    + "any other key is refused at start.")
    Path tokensFile;

    @Option(names = "--settings-file", paramLabel = "FILE",
            description = "Properties file with alert settings (BENCHMON_WEBHOOK_URL=..., BENCHMON_WEBHOOK_SECRET, "
                    + "BENCHMON_SLACK_WEBHOOK_URL, BENCHMON_TRIAGE_TOKEN, BENCHMON_REPO_URL, BENCHMON_CI_URL, "
                    + "BENCHMON_PUBLIC_URL, BENCHMON_NOTIFY_RESOLVED); its values override the environment's; "
                    + "a key not among these is refused at start.")
    Path settingsFile;

    @Option(names = "--repo-url", paramLabel = "URL",
            description = "GitHub or GitLab project URL, or a template with {commit}: commit cells become links "
                    + "(default: $BENCHMON_REPO_URL).")
    String repoUrl;

    @Option(names = "--ci-url", paramLabel = "TEMPLATE",
            description = "CI run URL template with {run_id}: run cells become links (default: $BENCHMON_CI_URL).")
    String ciUrl;

    @Option(names = "--public-url", paramLabel = "URL",
            description = {"The dashboard's URL as others reach it, for links in notifications, alerts and push's output "
                    + "(default: $BENCHMON_PUBLIC_URL; without it a 0.0.0.0 bind's links say localhost)."})
    String publicUrl;

    @Override
    public Integer call() {
        Tokens tokens = TokenSources.load(main.env(), tokensFile, spec.commandLine().getErr());
        // Precedence: flags, then the settings file, then the environment.
        var alerts = dev.benchmon.server.alert.AlertSettings.from(main.env(), settingsFile);
        alerts = alerts.withLinks(new dev.benchmon.alert.Links(repoUrl != null ? repoUrl : alerts.links().repoUrl(),
                ciUrl != null ? ciUrl : alerts.links().ciUrl()));
        if (publicUrl != null) {
            alerts = alerts.withNotifier(alerts.notifier().withDashboardUrl(publicUrl));
        }
        alerts.notifier().requireHttpDashboardUrl(); // the URL links will use, once the flag has replaced the variable
        ServerSettings settings = ServerSettings.defaults().withHost(host).withPort(port).withTokens(tokens)
                .withAlerts(alerts);
        settings.checkSafeToExpose(); // before opening the database: fail fast
        refuseUnusableAddress();
        Benchmon benchmon = database.open(main.env());
        BenchmonServer server;
        try {
            if (demo) {
                if (benchmon.models().isEmpty()) {
                    dev.benchmon.db.Progress.step("loading the 90-day demo history (first start)");
                }
                int loaded = benchmon.loadDemoData();
                if (loaded > 0) {
                    benchmon.alertOnNewestRuns(); // the demo's regressions as alerts
                }
                LOG.info(loaded > 0 ? "loaded " + loaded + " demo results (90 days, several models and environments)"
                        : "the database already has results; --demo added nothing");
            }
            server = BenchmonServer.create(benchmon, settings);
            server.start();
        } catch (RuntimeException e) {
            benchmon.close();
            if (failedToBind(e)) {
                throw cannotListen(e);
            }
            throw e;
        }
        server.installShutdownHook();
        server.awaitStopped();
        return ExitCodes.OK;
    }

    /**
     * Binds the address once and lets it go, before the database is opened: a taken port, or a --host that is not an
     * address of this machine, is reported at once, not after a first start's initdb and migrations. Another process
     * may still take the port in between; the start reports that too.
     */
    private void refuseUnusableAddress() {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true); // as Jetty binds: a port in TIME_WAIT is free
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.net.BindException e) {
            throw cannotListen(e);
        } catch (java.io.IOException e) {
            // not this check's to report (an unknown host, say): the start names it
        }
    }

    /** Why the address cannot be bound: the host is not this machine's, or the port is taken. */
    private CliException cannotListen(Exception e) {
        if (!isThisMachine(host)) {
            return new CliException(ExitCodes.INVALID_INPUT, "cannot listen on " + host + ": --host is not an address of "
                    + "this machine; use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)", e);
        }
        return new CliException(ExitCodes.INVALID_INPUT, "cannot listen on " + host + ":" + port
                + " (is another server running there?); choose another --port", e);
    }

    private static boolean isThisMachine(String host) {
        try {
            java.net.InetAddress a = java.net.InetAddress.getByName(host);
            return a.isAnyLocalAddress() || a.isLoopbackAddress() || java.net.NetworkInterface.getByInetAddress(a) != null;
        } catch (java.io.IOException e) {
            return true; // unknown: say what the bind said, the port
        }
    }

    /** Whether starting failed to bind the address (Javalin wraps Jetty's BindException in its own). */
    private static boolean failedToBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.javalin.util.JavalinBindException || t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }
}
