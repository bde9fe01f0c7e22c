package dev.benchmon.server.replica;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of this test's own on loopback, from the machine's server binaries (the folder
 * {@code pg_config --bindir} names: initdb, pg_ctl, pg_basebackup): a primary, or a streaming replica of one.
 * As root the binaries run as the {@code postgres} OS user (the server refuses to run as root).
 */
final class LocalCluster implements AutoCloseable {
    final Path dir;
    final int port;
    private final Path bin;

    private LocalCluster(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** The server binaries' folder, or {@code null} when pg_config or pg_basebackup is missing. */
    static Path binaries() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            Path bin = Path.of(out);
            return Files.isExecutable(bin.resolve("pg_basebackup")) && Files.isExecutable(bin.resolve("initdb")) ? bin : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A new primary on a free loopback port that accepts replication connections (trust, loopback only). */
    static LocalCluster primary(Path bin, Path root) throws Exception {
        LocalCluster c = new LocalCluster(bin, root.resolve("primary"), freePort());
        c.run("initdb", "-D", c.dir.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C");
        Files.writeString(c.dir.resolve("postgresql.conf"), c.settings("wal_level = replica\nmax_wal_senders = 4\n"),
                java.nio.file.StandardOpenOption.APPEND);
        c.start();
        return c;
    }

    /** A streaming replica of {@code primary} (pg_basebackup -R), started on its own port. */
    static LocalCluster replicaOf(LocalCluster primary, Path root) throws Exception {
        LocalCluster c = new LocalCluster(primary.bin, root.resolve("replica"), freePort());
        c.run("pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(primary.port), "-U", "postgres",
                "-D", c.dir.toString(), "-R", "-X", "stream", "-c", "fast");
        // postgresql.auto.conf is read last: the replica's port wins over the copied primary's.
        Files.writeString(c.dir.resolve("postgresql.auto.conf"), c.settings(""), java.nio.file.StandardOpenOption.APPEND);
        c.start();
        return c;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private String settings(String extra) {
        return "\nport = " + port + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
                + "fsync = off\nshared_buffers = 32MB\nmax_connections = 40\n" + extra;
    }

    void start() throws Exception {
        run("pg_ctl", "-D", dir.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60", "start");
    }

    @Override
    public void close() throws Exception {
        if (Files.exists(dir.resolve("postmaster.pid"))) {
            run("pg_ctl", "-D", dir.toString(), "-m", "immediate", "-w", "stop");
        }
    }

    /** Runs a server binary (as postgres when this JVM is root); fails with its output. */
    private void run(String tool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            chownToPostgres(dir.getParent());
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out + "\n" + log);
        }
    }

    private static void chownToPostgres(Path folder) throws Exception {
        Process p = new ProcessBuilder("chown", "-R", "postgres", folder.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temp folder is harmless
        }
    }
}
