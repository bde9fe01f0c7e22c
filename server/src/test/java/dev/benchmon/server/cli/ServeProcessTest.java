package dev.benchmon.server.cli;

import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code benchmon serve --demo} as a real process: URL logged, demo content served, SIGTERM stops it cleanly. */
class ServeProcessTest {
    private static final Pattern URL = Pattern.compile("running at (http://\\S+/)");

    @Test
    void serveDemoServesAGeneratedHistoryAndStopsOnSigterm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--demo", "--port", "0", "--db", TestServer.freshDatabaseUrl() + "?user=postgres");
        pb.redirectErrorStream(true);
        // A file, not a pipe: output written during shutdown must not be lost when the process exits.
        Path output = Files.createTempFile("benchmon-serve", ".log");
        pb.redirectOutput(output.toFile());
        Process process = pb.start();
        java.util.function.Supplier<List<String>> log = () -> {
            try {
                return Files.readAllLines(output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        try {
            String url = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (url == null && System.nanoTime() < deadline && process.isAlive()) {
                {
                    for (String line : log.get()) {
                        Matcher m = URL.matcher(line);
                        if (m.find()) {
                            url = m.group(1);
                        }
                    }
                }
                Thread.sleep(100);
            }
            assertThat(url).as(String.join("\n", log.get())).isNotNull();
            assertThat(String.join("\n", log.get())).contains("loaded", "demo results");

            HttpClient http = HttpClient.newHttpClient();
            String meta = http.send(HttpRequest.newBuilder(URI.create(url + "api/v1/meta")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(meta).contains("\"ci\"", "\"production\"");
            String regressions = http.send(HttpRequest.newBuilder(URI.create(url + "api/v1/regressions?only_regressions=true")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(regressions).doesNotContain("\"regressions_found\":0");

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(String.join("\n", log.get())).contains("shutdown requested", "benchmon stopped");
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }
}
