package dev.benchmon.server.benchmarks;

import dev.benchmon.server.cli.Main;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code benchmon serve} as its own JVM on this test's class path, with the memory options the {@code ./benchmon}
 * launcher gives {@code serve} (read from the launcher, so the benchmark measures what users run), on a given
 * database; its resident memory is read from {@code /proc/<pid>/status}.
 */
final class ServeProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("running at (http://\\S+/)");

    final String url;
    final String javaOptions;
    private final Process process;
    private final Path log;

    private ServeProcess(Process process, Path log, String url, String javaOptions) {
        this.process = process;
        this.log = log;
        this.url = url;
        this.javaOptions = javaOptions;
    }

    /** Peak (VmHWM) and current (VmRSS) resident memory in KB; 0 where /proc is not there. */
    record Memory(long peakKb, long nowKb) {
    }

    static ServeProcess start(String databaseUrl) throws Exception {
        return start(databaseUrl, launcherServeOptions());
    }

    /** {@link #start(String)} with the JVM options {@code options} instead of the launcher's. */
    static ServeProcess start(String databaseUrl, String options) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(options.split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--host", "127.0.0.1", "--port", "0", "--db", databaseUrl));
        Path log = Files.createTempFile("benchmon-scale-serve", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Matcher m = URL.matcher(Files.readString(log));
            if (m.find()) {
                return new ServeProcess(p, log, m.group(1), options);
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("benchmon serve did not start:\n" + Files.readString(log));
    }

    /** The JVM options {@code ./benchmon serve} uses (its SERVE_OPTS line). */
    static String launcherServeOptions() throws IOException {
        Path launcher = Path.of("..", "benchmon");
        Matcher m = Pattern.compile("SERVE_OPTS=\"(-X[^\"]+)\"").matcher(Files.readString(launcher));
        if (!m.find()) {
            throw new IllegalStateException("no SERVE_OPTS=\"-X...\" line in " + launcher.toAbsolutePath());
        }
        return m.group(1);
    }

    Memory memory() throws IOException {
        return memoryOf(process.pid());
    }

    /** The resident memory of any process of this machine; zeros once it has exited. */
    static Memory memoryOf(long pid) throws IOException {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        long peak = 0;
        long now = 0;
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) peak = Long.parseLong(line.replaceAll("[^0-9]", ""));
                if (line.startsWith("VmRSS:")) now = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // exited (or no /proc)
        }
        return new Memory(peak, now);
    }

    /**
     * Methods the server's JIT has compiled so far ({@code jstat -compiler}'s {@code Compiled} column, from the
     * running JDK's {@code bin/jstat}): a count that stops growing once the requests it serves are compiled.
     *
     * @throws IllegalStateException when jstat is missing or answers something else
     */
    long jitCompilations() throws Exception {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        Process p = new ProcessBuilder(jstat.toString(), "-compiler", String.valueOf(process.pid()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(jstat + " -compiler " + process.pid() + " failed: " + out);
        }
        String[] lines = out.strip().split("\\R");
        if (lines.length < 2 || !lines[0].strip().startsWith("Compiled")) {
            throw new IllegalStateException("unexpected " + jstat + " -compiler answer: " + out);
        }
        return Long.parseLong(lines[1].strip().split("\\s+")[0]);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }
}
