package dev.benchmon.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.benchmon.notebook.Notebook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every notebook in {@code notebooks/}, executed by Jupyter itself (Debian's nbclient, the client
 * JupyterLab and nbconvert use) against the benchmon kernel, installed as a kernelspec under a
 * temporary prefix, with a temporary BENCHMON_HOME that each notebook leaves alone (it opens a database of its own
 * in a temporary folder and deletes it); then rendered to HTML by
 * nbconvert and opened in headless Chromium with every host name unresolvable, so the charts must
 * draw from what the notebook itself carries.
 */
class NotebooksInJupyterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String KERNEL = "benchmon-it";

    /** What must be in a notebook's outputs: HTML tables with these header cells, and whether it draws charts. */
    private record Expected(List<List<String>> tables, boolean charts) {
    }

    private static final Map<String, Expected> KEY_OUTPUTS = Map.of(
            "01_quickstart", new Expected(List.of(List.of("model_version", "dataset_version", "environment", "f1")), true),
            "02_trends_and_regressions", new Expected(List.of(List.of("model_version", "metric", "outcome", "baseline", "current",
                    "z", "sd", "commit_range", "explanation")), true),
            "03_model_comparison", new Expected(List.of(List.of("model_version", "metric", "mean", "diff_to_first")), true),
            "04_paired_comparison", new Expected(List.of(List.of("metric", "diff", "ci_low", "ci_high", "p_value", "method")), true));

    private static Path work;
    private static Path out;
    private static String runLog;
    private static WebDriver browser;

    static Stream<String> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(repository().resolve("notebooks"))) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".ipynb"))
                    .map(f -> f.substring(0, f.length() - ".ipynb".length())).sorted().toList().stream();
        }
    }

    static Path repository() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    }

    @BeforeAll
    static void executeEveryNotebookInJupyter() throws Exception {
        assumeTrue(canImportNbclient(), "skipped: Debian's python3-nbclient and jupyter-nbconvert are missing "
                + "(apt-get install -y python3-nbclient jupyter-nbconvert python3-jupyter-client)");
        work = Files.createTempDirectory("benchmon-jupyter-it");
        out = work.resolve("executed");
        Path prefix = work.resolve("prefix");
        new KernelSpec(KERNEL, "benchmon (test)").installReferencing(KernelSpec.prefixKernelsDir(prefix),
                System.getProperty("java.class.path"), Path.of(System.getProperty("java.home"), "bin", "java"));
        Path script = work.resolve("execute_notebooks.py");
        try (InputStream in = NotebooksInJupyterIT.class.getResourceAsStream("execute_notebooks.py")) {
            Files.copy(in, script);
        }
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString(), KERNEL, out.toString()));
        notebooks().forEach(n -> command.add(repository().resolve("notebooks").resolve(n + ".ipynb").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("BENCHMON_") || k.startsWith("JUPYTER"));
        pb.environment().putAll(Map.of(
                "JUPYTER_PATH", prefix.resolve("share/jupyter").toString(),
                "JUPYTER_DATA_DIR", work.resolve("data").toString(),
                "JUPYTER_RUNTIME_DIR", work.resolve("runtime").toString(),
                "JUPYTER_CONFIG_DIR", work.resolve("config").toString(),
                "BENCHMON_HOME", work.resolve("home").toString()));
        Path log = work.resolve("jupyter.log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(30, java.util.concurrent.TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        runLog = Files.readString(log);
        assertThat(done).as("nbclient finished within 30 minutes:\n" + runLog).isTrue();
        assertThat(p.exitValue()).as("nbclient exit code:\n" + runLog).isZero();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static boolean canImportNbclient() throws InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            return new ProcessBuilder(PYTHON.toString(), "-c", "import nbclient, nbconvert").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static JsonNode executed(String notebook) throws IOException {
        Path file = out.resolve(notebook + ".ipynb");
        assertThat(file).as("executed notebook (log:\n" + runLog + ")").exists();
        return JSON.readTree(file.toFile());
    }

    private static List<JsonNode> outputs(JsonNode nb) {
        List<JsonNode> all = new ArrayList<>();
        nb.path("cells").forEach(c -> c.path("outputs").forEach(all::add));
        return all;
    }

    private static String text(JsonNode node) {
        if (node.isArray()) {
            StringBuilder sb = new StringBuilder();
            node.forEach(l -> sb.append(l.asText()));
            return sb.toString();
        }
        return node.asText();
    }

    private static List<String> htmlOutputs(JsonNode nb) {
        return outputs(nb).stream().filter(o -> o.path("data").has("text/html"))
                .map(o -> text(o.path("data").path("text/html"))).toList();
    }

    @ParameterizedTest(name = "{0}: every cell runs without an error")
    @MethodSource("notebooks")
    void everyCellRunsWithoutAnError(String notebook) throws IOException {
        JsonNode nb = executed(notebook);
        List<String> errors = new ArrayList<>();
        for (JsonNode cell : nb.path("cells")) {
            for (JsonNode o : cell.path("outputs")) {
                if (o.path("output_type").asText().equals("error")) {
                    errors.add(text(cell.path("source")) + "\n  -> " + o.path("ename").asText() + ": "
                            + o.path("evalue").asText() + "\n" + text(o.path("traceback")));
                }
            }
            if (cell.path("cell_type").asText().equals("code")) {
                assertThat(cell.path("execution_count").isInt()).as("cell ran: " + text(cell.path("source"))).isTrue();
            }
        }
        assertThat(errors).as("error outputs").isEmpty();
    }

    @ParameterizedTest(name = "{0}: shows no display id and no PrintStream")
    @MethodSource("notebooks")
    void showsNoStrayValues(String notebook) throws IOException {
        for (JsonNode o : outputs(executed(notebook))) {
            String plain = text(o.path("data").path("text/plain")) + text(o.path("text"));
            assertThat(plain).doesNotContain("java.io.PrintStream@")
                    .doesNotContainPattern("^\"?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\"?$");
        }
    }

    @ParameterizedTest(name = "{0}: shows its key tables")
    @MethodSource("notebooks")
    void showsItsKeyTables(String notebook) throws IOException {
        Expected expected = KEY_OUTPUTS.get(notebook);
        assumeTrue(expected != null, "no key outputs listed for " + notebook);
        List<String> tables = htmlOutputs(executed(notebook)).stream().filter(h -> h.contains("<table")).toList();
        for (List<String> columns : expected.tables()) {
            assertThat(tables).as("an HTML table with the columns " + columns)
                    .anySatisfy(t -> assertThat(t).contains(columns.stream().map(c -> "<th>" + c + "</th>").toList()));
        }
    }

    /**
     * Notebook 02's sensitivity sweep shows the curve it teaches to read, on the demo data: more regressions at the
     * lowest setting (noise passing) than at the default of 4, fewer at the highest (real changes missed), never more
     * at a stricter setting. A sweep that showed one count at every setting taught nothing.
     */
    @Test
    void theSensitivitySweepShowsNoiseBelowTheDefaultAndMissesAboveIt() throws IOException {
        String table = htmlOutputs(executed("02_trends_and_regressions")).stream()
                .filter(h -> h.contains("regressions by sensitivity")).findFirst().orElseThrow();
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("<tr>\\s*<td[^>]*>([^<]*)</td>\\s*<td[^>]*>([^<]*)</td>")
                .matcher(table);
        Map<Double, Integer> flagged = new java.util.TreeMap<>();
        while (row.find()) {
            flagged.put(Double.parseDouble(row.group(1).strip()), Integer.parseInt(row.group(2).strip()));
        }
        List<Integer> counts = List.copyOf(flagged.values());

        assertThat(flagged).as(table).containsKey(4.0).hasSizeGreaterThanOrEqualTo(5);
        assertThat(counts.get(0)).as(table).isGreaterThan(flagged.get(4.0));
        assertThat(counts.get(counts.size() - 1)).as(table).isLessThan(flagged.get(4.0));
        for (int i = 1; i < counts.size(); i++) {
            assertThat(counts.get(i)).as(table).isLessThanOrEqualTo(counts.get(i - 1));
        }
    }

    /** The folder name each notebook's demo database starts with ({@code DemoDatabase.create(name)}). */
    private static final Map<String, String> DEMO_FOLDERS = Map.of("01_quickstart", "benchmon-quickstart",
            "02_trends_and_regressions", "benchmon-trends", "03_model_comparison", "benchmon-comparison",
            "04_paired_comparison", "benchmon-paired");

    /**
     * Each notebook opens a database of its own in a temporary folder and deletes it at the end: notebooks 02 to 04
     * stored their demo and example data in the user's database ($BENCHMON_HOME, ~/.benchmon), saying only in text how
     * to keep it apart.
     */
    @ParameterizedTest(name = "{0}: keeps its demo data out of the user's database and deletes its folder")
    @MethodSource("notebooks")
    void keepsItsDemoDataOutOfTheUsersDatabaseAndDeletesItsFolder(String notebook) throws IOException {
        List<String> printed = new ArrayList<>();
        for (JsonNode o : outputs(executed(notebook))) {
            printed.add(text(o.path("text")));
        }
        String opened = printed.stream().filter(t -> t.startsWith("Benchmon[")).findFirst().orElseThrow();
        String folder = DEMO_FOLDERS.get(notebook);
        assertThat(folder).as("the demo folder of " + notebook + " (list it in DEMO_FOLDERS)").isNotNull();

        assertThat(opened).contains("embedded PostgreSQL", folder).doesNotContain(work.resolve("home").toString());
        Path demoHome = Path.of(printed.stream().filter(t -> t.startsWith("deleted ")).findFirst().orElseThrow()
                .substring("deleted ".length()).strip());
        assertThat(demoHome.getFileName().toString()).startsWith(folder);
        assertThat(demoHome).doesNotExist();
    }

    /** No notebook opened the database of the BENCHMON_HOME Jupyter ran with: the user's stays as it was. */
    @Test
    void noNotebookCreatesADatabaseInTheUsersBenchmonHome() {
        assertThat(work.resolve("home")).as("BENCHMON_HOME of the notebooks (log:\n" + runLog + ")").doesNotExist();
    }

    @ParameterizedTest(name = "{0}: loads Plotly.js once, before its first chart")
    @MethodSource("notebooks")
    void loadsPlotlyOnceBeforeTheFirstChart(String notebook) throws IOException {
        List<String> html = htmlOutputs(executed(notebook));
        int firstChart = indexOf(html, Notebook.CHART_MARKER);
        Expected expected = KEY_OUTPUTS.get(notebook);
        if (expected != null && expected.charts()) {
            assertThat(firstChart).as("a Plotly chart").isNotNegative();
        }
        if (firstChart >= 0) {
            assertThat(html.stream().filter(h -> h.contains(Notebook.PLOTLY_MARKER))).as("outputs carrying Plotly.js").hasSize(1);
            assertThat(indexOf(html, Notebook.PLOTLY_MARKER)).isLessThan(firstChart);
        }
        // Plotly.js is about 3.2 MB packed; everything else a few hundred KB at most.
        assertThat(Files.size(out.resolve(notebook + ".ipynb"))).as("executed notebook size").isLessThan(4_500_000);
    }

    private static int indexOf(List<String> html, String marker) {
        for (int i = 0; i < html.size(); i++) {
            if (html.get(i).contains(marker) && !(marker.equals(Notebook.CHART_MARKER) && html.get(i).contains(Notebook.PLOTLY_MARKER))) {
                return i;
            }
        }
        return -1;
    }

    @ParameterizedTest(name = "{0}: the nbconvert HTML draws every chart offline in Chromium")
    @MethodSource("notebooks")
    void theHtmlDrawsEveryChartOffline(String notebook) throws Exception {
        long charts = htmlOutputs(executed(notebook)).stream()
                .filter(h -> h.contains(Notebook.CHART_MARKER) && !h.contains(Notebook.PLOTLY_MARKER)).count();
        assumeTrue(charts > 0, notebook + " draws no chart");
        assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "skipped: apt-get install -y chromium chromium-driver");
        WebDriver driver = browser();
        driver.get(out.resolve(notebook + ".html").toUri().toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int drawn = 0;
        while (System.nanoTime() < deadline) {
            drawn = driver.findElements(By.cssSelector("div.js-plotly-plot svg.main-svg")).isEmpty() ? 0
                    : driver.findElements(By.cssSelector("div.js-plotly-plot")).size();
            if (drawn >= charts) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(drawn).as("charts drawn by Plotly in " + notebook + ".html").isEqualTo((int) charts);
        assertThat(driver.findElements(By.cssSelector("div.js-plotly-plot g.trace")).size())
                .as("traces drawn").isPositive();
    }

    private static synchronized WebDriver browser() throws IOException {
        if (browser == null) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                    // Offline: no host name resolves, so nothing can come from a CDN.
                    "--host-resolver-rules=MAP * ~NOTFOUND",
                    "--user-data-dir=" + Files.createDirectories(work.resolve("chromium-profile")),
                    "--window-size=1400,1000");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            browser = new ChromeDriver(service, options);
        }
        return browser;
    }
}
