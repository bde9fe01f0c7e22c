package dev.benchmon.server.examples;

import dev.benchmon.Benchmon;
import dev.benchmon.server.BenchmonServer;
import dev.benchmon.server.ServerSettings;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starting the benchmon server from Java: an embedded PostgreSQL in a benchmon home folder (the one {@code --home}
 * names; the database goes in its {@code pgdata/}), the demo history, a free port on loopback, and a clean stop on
 * Ctrl-C. Run with {@code java -cp <test classpath> dev.benchmon.server.examples.EmbeddedServerExample [HOME]}.
 */
public final class EmbeddedServerExample {
    private EmbeddedServerExample() {
    }

    public static void main(String[] args) throws Exception {
        Path home = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("benchmon-example");
        Benchmon benchmon = Benchmon.embedded(home);      // starts PostgreSQL (or attaches to a running one)
        benchmon.loadDemoData();                          // only when the database is empty

        BenchmonServer server = BenchmonServer.create(benchmon, ServerSettings.defaults().withPort(0))
                .start()                                  // logs the URL to open
                .installShutdownHook();                   // Ctrl-C: drain requests, close the database
        System.out.println("open " + server.url() + " ; try " + server.url() + "api/v1/regressions?only_regressions=true");
        server.awaitStopped();
    }
}
