package dev.benchmon.server.benchmarks;

import dev.benchmon.Benchmon;
import dev.benchmon.server.cli.Main;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Judging the newest run of every series in a small heap, the two ways a user does it: {@code
 * Benchmon.alertOnNewestRuns()} after a {@code benchmon import} whose alerting step failed (the import is told to fail
 * it: a trigger refuses new alerts while it runs; it then says every result is stored and judged and names
 * alertOnNewestRuns), and {@code GET /api/v1/regressions?sensitivity=2} (every series judged again at a request's
 * settings) against a {@code benchmon serve} with the launcher's options. Each runs as its own JVM with
 * {@value #HEAP}, as the import's bounded-memory row of {@link ScaleBenchmark} runs; the peak resident memory of each
 * is read from {@code /proc} while it runs. Sizes: {@code benchmon.newest.results} (default 200,000) and a quarter of
 * it on {@link ScaleData}'s 900 series, and the full size on four times as many series (55 runs each). Judged in one
 * query, the 900 series of 200,000 results (130 runs each read, 117,000 rows) ran the heap out. Nothing timed is
 * asserted; every step must succeed (the table is printed first).
 *
 * <p>Run: {@code ./mvnw -B -o -pl server -am -Pbenchmarks test -Dtest=NewestRunsMemoryBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("benchmark")
class NewestRunsMemoryBenchmark {
    private static final String HEAP = "-Xmx128m";
    private static final String TRIGGER_SAYS = "alerts refused by NewestRunsMemoryBenchmark";

    private final int results = Integer.getInteger("benchmon.newest.results", 200_000);
    private final ScaleData data = new ScaleData(42, Instant.now().truncatedTo(ChronoUnit.HOURS));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String[]> table = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    @Test
    void newest_runs_of_every_series_in_a_small_heap() throws Exception {
        Path dir = Files.createTempDirectory("benchmon-newest");
        try {
            measure(dir, results / 4, 1);
            measure(dir, results, 1);
            measure(dir, results, 4);
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            print();
        }
        assertThat(failures).isEmpty();
    }

    private void measure(Path dir, int n, int copies) throws Exception {
        String size = String.format(Locale.ROOT, "%,d results, %,d series", n, ScaleData.SERIES * copies);
        Path file = importFile(dir, n, copies);
        String url = TestServer.freshDatabaseUrlWithCredentials();
        try (Benchmon bm = Benchmon.connect(url)) { // the schema first, so the import's time is the import's
            bm.jdbi().useHandle(h -> {
                h.execute("CREATE FUNCTION refuse_alert() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN RAISE EXCEPTION '" + TRIGGER_SAYS + "'; END $$");
                h.execute("CREATE TRIGGER refuse_alert BEFORE INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION refuse_alert()");
            });
        }
        Child imported = Child.run(dir.resolve("import.log"), Main.class.getName(), "import", "--db", url, file.toString());
        Files.delete(file);
        boolean failedAsTold = imported.output.contains("stored and judged, but") && imported.output.contains(TRIGGER_SAYS);
        check(failedAsTold, "import (" + size + ")", imported);
        row("benchmon import, its alerting step refused (" + size + ")", imported.figures()
                + (failedAsTold ? ", exit " + imported.exit + ": stored and judged, alerts not opened" : ""));
        try (Benchmon bm = Benchmon.connect(url)) {
            bm.jdbi().useHandle(h -> h.execute("DROP TRIGGER refuse_alert ON alerts"));
        }

        Child alerted = Child.run(dir.resolve("alert.log"), NewestRunsProbe.class.getName(), url);
        check(alerted.exit == 0, "alertOnNewestRuns (" + size + ")", alerted);
        row("Benchmon.alertOnNewestRuns() after it (" + size + ")", alerted.figures() + ", " + alerted.lastLine());

        String options = ServeProcess.launcherServeOptions().replaceAll("-Xmx\\S+", HEAP);
        try (ServeProcess serve = ServeProcess.start(url, options)) {
            long startedKb = serve.memory().peakKb();
            for (String query : new String[] {"", "?sensitivity=2"}) {
                long s = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(serve.url + "api/v1/regressions" + query))
                        .timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                double seconds = (System.nanoTime() - s) / 1e9;
                if (r.statusCode() != 200) {
                    failures.add("GET /api/v1/regressions" + query + " (" + size + ") answered " + r.statusCode() + ": "
                            + r.body().substring(0, Math.min(500, r.body().length())));
                }
                row(String.format(Locale.ROOT, "GET /api/v1/regressions%s, serve %s (%s)", query, options, size),
                        String.format(Locale.ROOT, "%d in %.1f s (%,d KB), serve peak RSS %,d MB (%,d MB once started)",
                                r.statusCode(), seconds, r.body().length() / 1024, serve.memory().peakKb() / 1024,
                                startedKb / 1024));
            }
        }
    }

    private void check(boolean ok, String what, Child child) {
        if (!ok) {
            failures.add(what + " exited " + child.exit + ":\n" + child.tail());
        }
    }

    /**
     * {@code n} results of the seeded generator as a JSON Lines file; with {@code copies} > 1, result i is of the
     * {@code i % copies}-th copy of its series (its model named {@code model-c<k>-...}): as many runs, spread over that
     * many times the series.
     */
    private Path importFile(Path dir, long n, int copies) throws IOException {
        Path file = dir.resolve("newest-" + n + "-" + copies + ".jsonl");
        try (Writer w = Files.newBufferedWriter(file)) {
            for (long i = 0; i < n; i++) {
                String json = data.row(i, n).json("newest-");
                if (copies > 1) {
                    json = json.replace("\"model_version\":\"model-", "\"model_version\":\"model-c" + (i % copies) + "-");
                }
                w.write(json);
                w.write('\n');
            }
        }
        return file;
    }

    /** A finished JVM of this test's class path with {@value #HEAP}: its exit code, time, peak RSS and output. */
    private record Child(int exit, double seconds, long peakKb, String output) {
        static Child run(Path log, String... mainAndArgs) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    HEAP, "-cp", System.getProperty("java.class.path")));
            cmd.addAll(List.of(mainAndArgs));
            long s = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long peakKb = 0;
            while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
                peakKb = Math.max(peakKb, ServeProcess.memoryOf(p.pid()).peakKb());
            }
            double seconds = (System.nanoTime() - s) / 1e9;
            String output = Files.readString(log);
            Files.delete(log);
            return new Child(p.exitValue(), seconds, peakKb, output);
        }

        String figures() {
            return String.format(Locale.ROOT, "%.1f s, peak RSS %,d MB", seconds, peakKb / 1024)
                    + (output.contains("OutOfMemoryError") ? ", OutOfMemoryError" : "");
        }

        String lastLine() {
            String[] lines = output.strip().split("\\R");
            return exit == 0 ? lines[lines.length - 1] : "exit " + exit;
        }

        String tail() {
            return output.substring(Math.max(0, output.length() - 3000));
        }
    }

    private void row(String what, String figures) {
        table.add(new String[] {what, figures});
        System.out.printf(Locale.ROOT, "  %s: %s%n", what, figures);
    }

    private void print() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%nNEWEST RUNS IN %s (embedded PostgreSQL, %d cores, %s)%n| what | figures |%n|---|---|%n", HEAP,
                Runtime.getRuntime().availableProcessors(), Instant.now().truncatedTo(ChronoUnit.MINUTES)));
        for (String[] r : table) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        failures.forEach(f -> sb.append("FAILED: ").append(f).append('\n'));
        System.out.println(sb);
    }
}
