package dev.benchmon.server.faults;

import dev.benchmon.server.support.ChildJvm;
import dev.benchmon.server.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a server JVM that started the embedded PostgreSQL: the postmaster it leaves behind
 * does not block the next start, which adopts it, serves the data, and leaves no postgres running
 * after it stops.
 */
class ServerKillTest {
    private static final Pattern URL = Pattern.compile("running at (http://\\S+/)");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> started = new ArrayList<>();
    private Path home;

    @BeforeEach
    void createHome() throws IOException {
        home = Files.createTempDirectory("benchmon-jvm-kill");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        postmaster().ifPresent(ProcessHandle::destroyForcibly);
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A {@code benchmon serve --home} child JVM; returns its URL once it logs it. */
    private String serve(Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--port", "0", "--home", home.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("BENCHMON_DB_URL");
        Process p = pb.start();
        started.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Matcher m = URL.matcher(Files.readString(log));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not start:\n" + Files.readString(log));
    }

    private Optional<ProcessHandle> postmaster() throws IOException {
        Path pid = home.resolve("pgdata").resolve("postmaster.pid");
        if (!Files.exists(pid)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).trim())).filter(ProcessHandle::isAlive);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_next_start_after_a_kill_9_adopts_the_orphaned_postgres_and_serves_the_data() throws Exception {
        Path firstLog = Files.createTempFile("benchmon-first", ".log");
        Path secondLog = Files.createTempFile("benchmon-second", ".log");
        try {
            String first = serve(firstLog);
            var pushed = http.send(HttpRequest.newBuilder(URI.create(first + "api/v1/results"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model_version\":\"before-kill\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(pushed.statusCode()).isEqualTo(201);
            ProcessHandle orphan = postmaster().orElseThrow();

            Process jvm = started.get(0);
            jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
            jvm.waitFor(30, TimeUnit.SECONDS);
            assertThat(orphan.isAlive()).as("the killed JVM's postgres is left running").isTrue();

            String second = serve(secondLog);
            assertThat(Files.readString(secondLog)).contains("adopting it");
            assertThat(get(second + "health").statusCode()).isEqualTo(200);
            assertThat(get(second + "api/v1/meta").body()).contains("before-kill");
            ProcessHandle adopted = postmaster().orElseThrow();
            assertThat(adopted.pid()).isNotEqualTo(orphan.pid());

            Process owner = started.get(1);
            owner.destroy(); // SIGTERM: a clean stop also stops the postgres it now owns
            assertThat(owner.waitFor(60, TimeUnit.SECONDS)).isTrue();
            adopted.onExit().get(30, TimeUnit.SECONDS);
            assertThat(adopted.isAlive()).isFalse();
            assertThat(orphan.isAlive()).isFalse();
        } finally {
            Files.deleteIfExists(firstLog);
            Files.deleteIfExists(secondLog);
        }
    }
}
