package dev.benchmon.notebook;

import dev.benchmon.InvalidArgumentException;
import dev.benchmon.chart.Charts;
import dev.benchmon.support.RepositoryFiles;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotebookTest {
    private static Table results() {
        return Table.create("latest snapshots",
                StringColumn.create("model_version", "medgemma-v1.2", "<b>evil</b> & 'co'"),
                DoubleColumn.create("f1", 0.89531234, Double.NaN),
                DoubleColumn.create("latency_ms", 412.04, 12345.678),
                IntColumn.create("run_count", 3, 7));
    }

    @Test
    void aTableBecomesAnHtmlTableWithCaptionHeadersAndRows() {
        String html = Notebook.html(results());

        assertThat(html).contains("<table>", "<caption", "latest snapshots", "(2 rows × 4 columns)",
                "<th>model_version</th>", "<th>f1</th>", "<td>medgemma-v1.2</td>");
        assertThat(html.split("<tr>", -1)).hasSize(1 + 1 + 2); // header row + two data rows
    }

    @Test
    void valuesAreHtmlEscaped() {
        String html = Notebook.html(results());

        assertThat(html).contains("&lt;b&gt;evil&lt;/b&gt; &amp; &#39;co&#39;").doesNotContain("<b>evil");
    }

    @Test
    void numbersAreRoundedForReadingRightAlignedAndMissingValuesLeftBlank() {
        String html = Notebook.html(results());

        assertThat(html).contains("<td style=\"text-align:right\">0.8953</td>",
                "<td style=\"text-align:right\">412</td>", "<td style=\"text-align:right\">12345.7</td>",
                "<td style=\"text-align:right\"></td>", "<td style=\"text-align:right\">7</td>");
    }

    @Test
    void longTablesShowTheFirstRowsAndSayHowManyThereAre() {
        Table t = Table.create("many", IntColumn.create("n", java.util.stream.IntStream.range(0, 120).toArray()));

        String html = Notebook.html(t, 10);

        assertThat(html.split("<tr>", -1)).hasSize(1 + 1 + 10);
        assertThat(html).contains("showing the first 10 of 120 rows");
    }

    @Test
    void aNullFigureIsRefusedNamingTheArgumentNotWithANullPointerException() {
        assertThatThrownBy(() -> Notebook.page(null, "benchmon chart")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid argument: figure: must not be null");
        assertThatThrownBy(() -> Notebook.html((tech.tablesaw.plotly.components.Figure) null))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("invalid argument: figure: must not be null");
    }

    @Test
    void aFigureBecomesADivAndAScriptThatDrawsIntoItOncePlotlyIsThere() {
        Table trend = Table.create("trend",
                StringColumn.create("model_version", "m'1", "m'1"),
                StringColumn.create("metric", "f1", "f1"),
                InstantColumn.create("bucket", new Instant[] {Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z")}),
                DoubleColumn.create("mean", 0.9, 0.91), DoubleColumn.create("min", 0.89, 0.9),
                DoubleColumn.create("max", 0.91, 0.92), DoubleColumn.create("stddev", 0.01, 0.01),
                IntColumn.create("count", 2, 2),
                StringColumn.create("last_commit_sha", "abc", "def"), StringColumn.create("last_run_id", "1", "2"));

        String html = Notebook.html(Charts.trend(trend));

        Matcher div = Pattern.compile("<div id='(benchmon_nb_\\w+)'").matcher(html);
        assertThat(div.find()).as("a div with a generated id in %s", html).isTrue();
        String id = div.group(1);
        assertThat(html).contains("window.Plotly && document.getElementById('" + id + "')", "Plotly.newPlot(",
                "\"m\\u00271\"");
        assertThat(Notebook.html(Charts.trend(trend))).doesNotContain("id='" + id + "'");
    }

    @Test
    void aChartThatOpenWroteInJShellIsGoneWhenTheSessionEnds() throws Exception {
        // open(figure) as benchmon.jsh defines it, with the script's imports, in a JShell of its own (a JVM it ends).
        String jsh = Files.readString(RepositoryFiles.resolve("notebooks/benchmon.jsh"));
        int start = jsh.indexOf("void open(Figure figure)");
        String open = jsh.substring(start, jsh.indexOf("\n}\n", start) + 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path file;
        try (JShell shell = JShell.builder().out(new PrintStream(out, true, StandardCharsets.UTF_8))
                .remoteVMOptions("-Djava.awt.headless=true").build()) { // never a browser: "wrote <file>"
            shell.addToClasspath(System.getProperty("java.class.path"));
            Stream.concat(jsh.lines().filter(l -> l.startsWith("import ")), Stream.of(open,
                    "open(new Figure(tech.tablesaw.plotly.traces.ScatterTrace.builder(new double[] {1, 2}, "
                            + "new double[] {3, 4}).build()))")).forEach(snippet -> assertThat(shell.eval(snippet))
                    .allSatisfy(e -> assertThat(e.status()).as(snippet).isEqualTo(Snippet.Status.VALID)));
            Matcher wrote = Pattern.compile("wrote (\\S+benchmon-chart-\\S+\\.html)").matcher("");
            for (int i = 0; i < 100 && !wrote.reset(out.toString(StandardCharsets.UTF_8)).find(); i++) {
                Thread.sleep(50); // the session's output arrives from its JVM
            }
            assertThat(wrote.reset(out.toString(StandardCharsets.UTF_8)).find()).as(out.toString()).isTrue();
            file = Path.of(wrote.group(1));
            assertThat(file).isNotEmptyFile(); // there while the session runs: the browser reads it after open returns
            assertThat(Files.readString(file)).as("a self-contained page").contains("benchmon-plotly", "Plotly.newPlot")
                    .doesNotContain("<script src=");
        }
        for (int i = 0; i < 200 && Files.exists(file); i++) {
            Thread.sleep(50); // the session's JVM exits after close returns
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void thePlotlyScriptCarriesTheWebjarsPlotlyCompressed() throws IOException {
        String script = Notebook.plotlyScript();

        Matcher packed = Pattern.compile("var packed = '([A-Za-z0-9+/=]+)';").matcher(script);
        assertThat(packed.find()).isTrue();
        byte[] unpacked;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(packed.group(1))))) {
            unpacked = in.readAllBytes();
        }
        assertThat(unpacked).isEqualTo(PlotlyJs.source());
        assertThat(new String(unpacked, 0, 200, java.nio.charset.StandardCharsets.UTF_8)).contains("plotly.js v2.35.3");
        assertThat(Notebook.plotlyVersion()).isEqualTo("2.35.3");
        assertThat(script.length()).isLessThan(PlotlyJs.source().length / 2);
    }

    @Test
    void thePlotlyScriptUnpacksPlotlyIntoAScriptElementInAJavaScriptRuntime(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("node"), "node is needed to run the page script");
        String script = Notebook.plotlyScript();
        String body = script.substring(script.indexOf("<script>") + 8, script.lastIndexOf("</script>"));
        Path page = Files.writeString(dir.resolve("page.js"), body);
        // The browser objects the script touches, and a report of what it appended to <head>.
        Path harness = Files.writeString(dir.resolve("harness.js"), """
                const fs = require('fs');
                globalThis.window = globalThis;
                let appended = null;
                globalThis.document = { createElement: () => ({}), head: { appendChild: s => { appended = s; } } };
                eval(fs.readFileSync(process.argv[2], 'utf8'));
                (function check() {
                  if (!appended) { setTimeout(check, 20); return; }
                  fs.writeFileSync(process.argv[3], appended.textContent);
                })();
                """);
        Path out = dir.resolve("appended.js");

        Process node = new ProcessBuilder("node", harness.toString(), page.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(node.exitValue()).as(log).isZero();
        String expected = "(function (define, exports, module) {\n"
                + new String(PlotlyJs.source(), StandardCharsets.UTF_8) + "\n})();";
        assertThat(Files.readString(out)).isEqualTo(expected);
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }
}
