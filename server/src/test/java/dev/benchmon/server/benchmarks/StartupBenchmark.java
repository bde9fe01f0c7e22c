package dev.benchmon.server.benchmarks;

import dev.benchmon.server.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How long a user waits: {@code benchmon serve --demo} until {@code /health} answers (a fresh
 * BENCHMON_HOME: initdb, schema, demo load; and an existing one), and {@code ./benchmon jshell}
 * until the first result on an existing home. Real processes started the way the launcher starts
 * them (the built jars when present, else this module's class path). Baselines from the same run:
 * a JVM printing benchmon's version, and a bare {@code jshell} printing {@code 1+1}. One more row
 * times {@code ./benchmon jshell} while {@code serve} runs on the same home (it attaches to that database). Targets from
 * issue 13: jshell under 5 s and serve under 5 s on an existing home, serve under 15 s on a fresh
 * one. Printed, never asserted. Run: {@code ./mvnw -B -pl toolkit,kernel,server -Pbenchmarks test -Dtest=StartupBenchmark}.
 */
@Tag("benchmark")
class StartupBenchmark {
    private static final int RUNS = 3;
    private static final Pattern URL = Pattern.compile("running at (http://\\S+/)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private record Timing(String what, List<Double> seconds, String target) {
        double median() {
            double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return s[s.length / 2];
        }

        String row(double baseline) {
            double min = seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double max = seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            return String.format(Locale.ROOT, "| %-46s | %6.2f | %6.2f | %6.2f | %6.1fx | %-8s |",
                    what, median(), min, max, median() / baseline, target);
        }
    }

    @Test
    void start_times() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path serverJar = root.resolve("server/target/benchmon.jar");
        String version = System.getProperty("benchmon.version", "0.1.0-SNAPSHOT");
        Path toolkitJar = root.resolve("toolkit/target/benchmon-toolkit-" + version + "-all.jar");
        boolean jars = Files.isRegularFile(serverJar) && Files.isRegularFile(toolkitJar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jshell = Path.of(System.getProperty("java.home"), "bin", "jshell").toString();
        // With the jars built, exactly what users run: the ./benchmon launcher (its staleness check included).
        String launcher = root.resolve("benchmon").toString();
        List<String> benchmon = jars ? List.of(launcher)
                : List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName());
        List<String> benchmonJshell = jars ? List.of(launcher, "jshell")
                : List.of(jshell, "--class-path", System.getProperty("java.class.path"), "--startup", "DEFAULT",
                "--startup", root.resolve("notebooks/benchmon.jsh").toString(), "--feedback", "benchmon");

        List<Double> jvm = new ArrayList<>(), bareJshell = new ArrayList<>(), fresh = new ArrayList<>(),
                existing = new ArrayList<>(), jshellFirst = new ArrayList<>(), jshellAttached = new ArrayList<>();
        List<String> progress = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            jvm.add(untilExit(concat(benchmon, "--version")));
            bareJshell.add(untilOutput(List.of(jshell, "-q"), null, "1+1\n/exit\n", "==> 2"));
            Path home = Files.createTempDirectory("benchmon-startup-home");
            try {
                List<String> lines = new ArrayList<>();
                fresh.add(untilHealthy(concat(benchmon, "serve", "--demo", "--port", "0"), home, lines));
                if (run == 0) {
                    lines.stream().filter(l -> l.contains("progress - ")).forEach(progress::add);
                }
                existing.add(untilHealthy(concat(benchmon, "serve", "--demo", "--port", "0"), home, new ArrayList<>()));
                jshellFirst.add(untilOutput(benchmonJshell, home,
                        "System.out.println(\"FIRST \" + bm.models().size())\n/exit\n", "FIRST 4"));
                // With `serve` running on the same home, the session connects to its database.
                Process serve = startServe(concat(benchmon, "serve", "--port", "0"), home);
                try {
                    jshellAttached.add(untilOutput(benchmonJshell, home,
                            "System.out.println(\"FIRST \" + bm.models().size() + \" owner=\" + bm.database().embeddedServer().owner())\n/exit\n",
                            "FIRST 4 owner=false"));
                } finally {
                    stop(serve);
                }
            } finally {
                delete(home);
            }
        }

        double jvmBase = new Timing("", jvm, "").median();
        double jshellBase = new Timing("", bareJshell, "").median();
        System.out.printf(Locale.ROOT, "%nSTARTUP BENCHMARK (%s, %d runs, %d cores, load average %.1f at the end)%n",
                jars ? "./benchmon launcher, built jars" : "class path", RUNS, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| what                                           | median |    min |    max | ratio   | target   |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.println(new Timing("baseline: JVM running `benchmon --version`", jvm, "").row(jvmBase));
        System.out.println(new Timing("serve --demo, fresh home, until /health 200", fresh, "< 15 s").row(jvmBase));
        System.out.println(new Timing("serve --demo, existing home, until /health 200", existing, "< 5 s").row(jvmBase));
        System.out.println(new Timing("baseline: bare jshell, until `1+1` prints", bareJshell, "").row(jshellBase));
        System.out.println(new Timing("./benchmon jshell, existing home, first result", jshellFirst, "< 5 s").row(jshellBase));
        System.out.println(new Timing("./benchmon jshell, serve running, first result", jshellAttached, "").row(jshellBase));
        System.out.println("(ratios: serve rows to the JVM baseline, jshell rows to the bare-jshell baseline)");
        System.out.println("progress lines of the first fresh start:");
        progress.forEach(l -> System.out.println("  " + l));
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(Arrays.asList(tail));
        return all;
    }

    private static ProcessBuilder process(List<String> command, Path home, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("BENCHMON_"));
        if (home != null) {
            pb.environment().put("BENCHMON_HOME", home.toString());
        }
        return pb;
    }

    private static double untilExit(List<String> command) throws Exception {
        Path log = Files.createTempFile("benchmon-startup", ".log");
        long start = System.nanoTime();
        Process p = process(command, null, log).start();
        p.waitFor(2, TimeUnit.MINUTES);
        double s = (System.nanoTime() - start) / 1e9;
        Files.deleteIfExists(log);
        return s;
    }

    private static double untilOutput(List<String> command, Path home, String stdin, String marker) throws Exception {
        Path log = Files.createTempFile("benchmon-startup", ".log");
        long start = System.nanoTime();
        Process p = process(command, home, log).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        try {
            long deadline = start + TimeUnit.MINUTES.toNanos(5);
            while (System.nanoTime() < deadline) {
                if (Files.readString(log).contains(marker)) {
                    return (System.nanoTime() - start) / 1e9;
                }
                Thread.sleep(20);
            }
            throw new AssertionError(command + " never printed " + marker + ":\n" + Files.readString(log));
        } finally {
            p.waitFor(2, TimeUnit.MINUTES);
            p.destroy();
            Files.deleteIfExists(log);
        }
    }

    private static double untilHealthy(List<String> command, Path home, List<String> lines) throws Exception {
        Path log = Files.createTempFile("benchmon-startup", ".log");
        long start = System.nanoTime();
        Process p = process(command, home, log).start();
        try {
            long deadline = start + TimeUnit.MINUTES.toNanos(5);
            URI health = null;
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (health == null) {
                    Matcher m = URL.matcher(Files.readString(log));
                    if (m.find()) {
                        health = URI.create(m.group(1) + "health");
                    }
                }
                if (health != null && ok(health)) {
                    double s = (System.nanoTime() - start) / 1e9;
                    lines.addAll(Files.readAllLines(log));
                    return s;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("serve never became healthy:\n" + Files.readString(log));
        } finally {
            stop(p);
            Files.deleteIfExists(log);
        }
    }

    /** A server started and healthy (the time is not what is measured here), for a session to attach to. */
    private static Process startServe(List<String> command, Path home) throws Exception {
        Path log = Files.createTempFile("benchmon-startup-serve", ".log");
        Process p = process(command, home, log).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Matcher m = URL.matcher(Files.readString(log));
            if (m.find() && ok(URI.create(m.group(1) + "health"))) {
                Files.deleteIfExists(log);
                return p;
            }
            Thread.sleep(50);
        }
        String out = Files.readString(log);
        stop(p);
        throw new AssertionError("serve never became healthy:\n" + out);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: stops the embedded PostgreSQL cleanly
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    private static boolean ok(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
