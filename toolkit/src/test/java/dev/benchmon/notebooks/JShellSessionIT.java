package dev.benchmon.notebooks;

import dev.benchmon.support.RepositoryFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real {@code jshell} started the documented way (the -all jar, DEFAULT and benchmon.jsh
 * startups, {@code --feedback benchmon}) on an embedded database in a temporary BENCHMON_HOME,
 * typed every line that {@code help()} shows and every line of the {@code jshell} blocks in the
 * README and docs, in order (the closing lines last), in a folder that has the repository's samples.
 */
class JShellSessionIT {
    private static final Pattern JSHELL_BLOCK = Pattern.compile("```jshell\\n(.*?)```", Pattern.DOTALL);

    private static List<String> helpLines;
    private static List<String> docLines;
    private static ExternalProcess.Result session;
    private static List<String> orphans;
    private static Path work;

    /** The code column of help()'s text block in benchmon.jsh: what help() prints, one call a line. */
    static List<String> helpLines() throws IOException {
        String jsh = Files.readString(RepositoryFiles.resolve("notebooks/benchmon.jsh"));
        String block = jsh.substring(jsh.indexOf("void help()"));
        block = block.substring(block.indexOf("\"\"\"") + 3, block.indexOf("\"\"\".formatted"));
        List<String> lines = new ArrayList<>();
        for (String line : block.split("\n")) {
            if (line.length() > 19 && line.startsWith("        ") && !line.contains("`bm` is open") && !line.contains("Every line below")) {
                String code = line.substring(19).replaceFirst("\\s{2,}//.*$", "").strip();
                if (!code.isEmpty()) {
                    lines.add(code);
                }
            }
        }
        return lines;
    }

    /** Lines of ```jshell blocks in README.md and docs/*.md. */
    static List<String> docLines() throws IOException {
        List<Path> files = new ArrayList<>(List.of(RepositoryFiles.resolve("README.md")));
        try (Stream<Path> docs = Files.list(RepositoryFiles.resolve("docs"))) {
            docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            Matcher m = JSHELL_BLOCK.matcher(Files.readString(f));
            while (m.find()) {
                m.group(1).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("//")).forEach(lines::add);
            }
        }
        return lines;
    }

    @BeforeAll
    static void typeEveryDocumentedLine(@TempDir Path home, @TempDir Path dir) throws Exception {
        work = dir;
        Files.createSymbolicLink(dir.resolve("samples"), RepositoryFiles.resolve("samples"));
        helpLines = helpLines();
        docLines = docLines();
        List<String> closing = helpLines.stream().filter(l -> l.startsWith("bm.close()")).toList();
        StringBuilder input = new StringBuilder("help()\n");
        for (String l : helpLines.stream().filter(l -> !closing.contains(l)).toList()) {
            if (l.startsWith("RunComparison c = ")) {
                // help()'s paired example compares two results that carry examples, which the demo's do not: pushed
                // first (after the demo data, which loads only into an empty database), as a user pushes them.
                input.append(JShellStartupIT.PAIRED_RESULTS);
            }
            input.append(l).append('\n');
        }
        docLines.stream().filter(l -> !l.startsWith("bm.close()") && !l.equals("/exit")).forEach(l -> input.append(l).append('\n'));
        closing.forEach(l -> input.append(l).append('\n'));
        input.append("/exit\n");
        session = ExternalProcess.run(List.of(ExternalProcess.jdkTool("jshell"),
                        "--class-path", ExternalProcess.toolkitJar().toString(),
                        "--startup", "DEFAULT", "--startup", RepositoryFiles.resolve("notebooks/benchmon.jsh").toString(),
                        "--feedback", "benchmon"),
                dir, Map.of("BENCHMON_HOME", home.toString()), input.toString(), Duration.ofMinutes(8));
        orphans = ExternalProcess.orphansKilled(home);
    }

    @Test
    void helpShowsCallsAndTheDocsHaveASession() {
        assertThat(helpLines).contains("bm.loadDemoData()", "bm.latestSnapshots(Filter.environment(\"production\"))",
                "open(Charts.trend(trend))", "bm.close()").hasSizeGreaterThan(15);
        assertThat(docLines).as("```jshell blocks in README.md and docs/").isNotEmpty();
        assertThat(session.output()).contains(helpLines);
    }

    @Test
    void noLineFailedToCompileOrThrew() {
        assertThat(session.output()).doesNotContain("|  Error:", "|  Exception", "Exception in thread", "|  Caused by",
                "Does not match any current feedback mode");
        assertThat(session.exitCode()).as(session.output()).isZero();
    }

    @Test
    void theSessionStartsWithBmOpenOnTheEmbeddedDatabaseInTheBenchmonMode() {
        assertThat(session.output()).contains("benchmon ready: bm = Benchmon[", "embedded PostgreSQL", "benchmon> ");
    }

    @Test
    void aTableShowsAsAReadableBoundedTableWithRoundedNumbers() {
        String out = session.output();
        int table = out.indexOf("latest snapshots  (");
        assertThat(table).as(out).isNotNegative();
        List<String> lines = out.substring(table).lines().limit(14).toList();
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(120));
        // Wider than the line: the series' names and the metrics are shown, the environment (one for all) said once.
        assertThat(lines.get(1)).contains("model_version", "dataset_version", "f1");
        assertThat(String.join(" ", lines)).contains("same in every row:", "environment=");
        // Four significant digits (0.8893, 0.0001387), never 0.8892599999999999; instants end in Z.
        assertThat(out).doesNotContainPattern("\\d\\.0*[1-9]\\d{5,}(?![\\dZ])").doesNotContain("\\n  model_version");
    }

    @Test
    void showWholePrintsEveryCellWholeWhereShowCutsThemToTheLine() {
        // help(): show(t) then showWhole(t) of the latest snapshots, whose rows hold 40-character commit SHAs: show cuts
        // them to 12 characters to fit 120 columns, showWhole prints them whole in lines as wide as the table (Tablesaw's
        // t.printAll() there came out as one quoted line with \n escapes).
        List<String> lines = session.output().lines().toList();
        List<String> wholeRows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("latest snapshots  (")) {
                lines.subList(i + 3, Math.min(lines.size(), i + 6)).stream()
                        .filter(l -> l.matches(".*\\b[0-9a-f]{40}\\b.*")).forEach(wholeRows::add);
            }
        }
        assertThat(wholeRows).isNotEmpty().allSatisfy(l -> assertThat(l.length()).isGreaterThan(120));
    }

    @Test
    void aLongTableShowsItsFirstAndLastRows() {
        assertThat(session.output()).containsPattern("f1 by day  \\(\\d+ rows x \\d+ columns\\)")
                .containsPattern("\\.\\.\\. \\d+ more rows \\.\\.\\.");
    }

    @Test
    void aChainedTableShowsAsReadablyAsTheQuerysTable() {
        // help(): t.where(...).sortDescendingOn("run_at").first(3) on the latest snapshots; Tablesaw's own toString
        // would print the name alone on a line, then every value unrounded.
        assertThat(session.output()).containsPattern("latest snapshots  \\(3 rows x \\d+ columns\\)");
    }

    @Test
    void thePairedComparisonAndTheBacktestShowAsReadableTables() {
        assertThat(session.output()).containsPattern("(paired )?comparison \\d+ vs \\d+  \\(\\d+ rows? x 14 columns\\)")
                .containsPattern("backtest  \\(\\d+ rows x 7 columns\\)");
    }

    @Test
    void openWritesAChartPageThatTheSessionRemovesWhenItEnds() {
        // The page's content, while a session runs, is NotebookTest's (aChartThatOpenWroteInJShellIsGoneWhenTheSessionEnds).
        Matcher m = Pattern.compile("wrote (\\S+\\.html) {2}\\(open it in a browser\\); removed when this session "
                + "ends: save\\(figure, \"chart.html\"\\) keeps one").matcher(session.output());
        assertThat(m.find()).as(session.output()).isTrue();
        assertThat(Path.of(m.group(1))).as("removed when JShell exited").doesNotExist();
    }

    @Test
    void saveWritesAChartPageThatStaysAfterTheSession() throws IOException {
        // help()'s save(Charts.trend(trend), "f1-trend.html"), typed in the session's working folder.
        Path saved = work.resolve("f1-trend.html");
        assertThat(session.output()).containsPattern("saved \\S*/f1-trend\\.html  \\(a page that opens offline");
        assertThat(Files.readString(saved)).startsWith("<!DOCTYPE html>").contains("Plotly.newPlot");
    }

    @Test
    void theComparisonAndTheRegressionsAreFound() {
        assertThat(session.output()).contains("model comparison", "diff_to_first", "regression checks  (");
    }

    @Test
    void aComparisonShowsEachRowsMetricBeforeItsValuesAndTheColumnsLeftOutNameNoVariable() {
        // help()'s bm.compareModels(...): a row per model, dataset, environment and metric, wider than the line.
        String out = session.output();
        int table = out.indexOf("model comparison  (");
        assertThat(table).as(out).isNotNegative();
        String header = out.substring(table).lines().skip(1).findFirst().orElseThrow();
        assertThat(header).contains("model_version", "metric", "mean");
        assertThat(header.indexOf("metric")).isLessThan(header.indexOf("mean"));
        // jshell names the tables $2, $3, ...: the line naming the columns left out names no variable "t".
        assertThat(out).doesNotContain("t.selectColumns").containsPattern("call\\s+selectColumns\\(\"[^)]*\\)\\s+on\\s+this\\s+table\\)");
    }

    @Test
    void theTableIsWrittenAsCsv() {
        assertThat(work.resolve("latest-snapshots.csv")).exists();
    }

    @Test
    void theEmbeddedPostgresStopsWhenJShellExits() {
        assertThat(orphans).as("processes left running in the temporary home").isEmpty();
    }
}
