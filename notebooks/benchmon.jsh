// benchmon JShell session: the toolkit, Tablesaw and java.time at hand, and `bm` open.
//
//   ./benchmon jshell                                 (builds the jar when needed, then starts this), or:
//   ./mvnw -q -B -pl toolkit package -DskipTests      (builds the self-contained toolkit jar)
//   jshell --class-path toolkit/target/benchmon-toolkit-0.1.0-SNAPSHOT-all.jar \
//          --startup DEFAULT --startup notebooks/benchmon.jsh --feedback benchmon
//
// `bm` opens BENCHMON_DB_URL when set, otherwise the embedded PostgreSQL in $BENCHMON_HOME
// (default ~/.benchmon), started on first use and stopped when JShell exits. Type help() for the calls.
//
// The feedback mode `benchmon` (selected with --feedback benchmon; a startup script cannot switch
// modes itself) is JShell's `normal` mode with the prompt `benchmon>` and no truncation: a query
// result prints as a readable table (rounded numbers, at most 120 characters wide, first and last rows).

// The database starts on a background thread now, while JShell works through the rest of this script.
dev.benchmon.notebook.BackgroundOpen.begin();

/set mode benchmon -command
/set prompt benchmon "\nbenchmon> " "     ...> "
/set format benchmon action "created" added-primary
/set format benchmon action "modified" modified-primary
/set format benchmon action "replaced" replaced-primary
/set format benchmon action "overwrote" overwrote-primary
/set format benchmon action "dropped" dropped-primary
/set format benchmon action "  update created" added-update
/set format benchmon action "  update modified" modified-update
/set format benchmon action "  update replaced" replaced-update
/set format benchmon action "  update overwrote" overwrote-update
/set format benchmon action "  update dropped" dropped-update
/set format benchmon display "{result}{pre}created scratch variable {name} : {type}{post}" expression-added,modified,replaced-primary
/set format benchmon display "{result}{pre}value of {name} : {type}{post}" varvalue-added,modified,replaced-primary
/set format benchmon display "{result}{pre}assigned to {name} : {type}{post}" assignment-primary
/set format benchmon display "{result}{pre}{action} variable {name} : {type}{resolve}{post}" varinit,vardecl
/set format benchmon display "{pre}{action} variable {name}{resolve}{post}" vardecl,varinit-notdefined
/set format benchmon display "{pre}{action} variable {name}{post}" dropped-vardecl,varinit,expression
/set format benchmon display "{pre}{action} {typeKind} {name}{resolve}{post}" class,interface,enum,annotation,record
/set format benchmon display "{pre}{action} method {name}({type}){resolve}{post}" method
/set format benchmon display "{pre}attempted to use {typeKind} {name}{resolve}{post}" used-class,interface,enum,annotation,record
/set format benchmon display "{pre}attempted to call method {name}({type}){resolve}{post}" used-method
/set format benchmon display "" added,modified,replaced,overwrote,dropped-update
/set format benchmon display "{pre}{action} variable {name}, reset to null{post}" replaced-vardecl,varinit-ok-update
/set format benchmon display "{pre}{action} variable {name}{resolve}{post}" replaced-vardecl,varinit-notdefined
/set format benchmon display "{result}" added,modified,replaced-expression,varvalue,assignment,varinit,vardecl-ok-primary
/set format benchmon err "%6$s" 
/set format benchmon errorline "{post}{pre}    {err}" 
/set format benchmon errorpost "%n" 
/set format benchmon errorpre "|  " 
/set format benchmon errors "%5$s" 
/set format benchmon name "%1$s" 
/set format benchmon post "%n" 
/set format benchmon pre "|  " 
/set format benchmon resolve "{until}{unrerr}" defined,notdefined-added,modified,replaced,used
/set format benchmon result "{name} ==> {value}{post}" added,modified,replaced-ok-primary
/set format benchmon type "%2$s" 
/set format benchmon typeKind "class" class
/set format benchmon typeKind "interface" interface
/set format benchmon typeKind "enum" enum
/set format benchmon typeKind "annotation interface" annotation
/set format benchmon typeKind "record" record
/set format benchmon unrerr "{unresolved} is declared" unresolved1-error0
/set format benchmon unrerr "{unresolved} are declared" unresolved2-error0
/set format benchmon unrerr " this error is corrected: {errors}" unresolved0-error1
/set format benchmon unrerr "{unresolved} is declared and this error is corrected: {errors}" unresolved1-error1
/set format benchmon unrerr "{unresolved} are declared and this error is corrected: {errors}" unresolved2-error1
/set format benchmon unrerr " these errors are corrected: {errors}" unresolved0-error2
/set format benchmon unrerr "{unresolved} is declared and these errors are corrected: {errors}" unresolved1-error2
/set format benchmon unrerr "{unresolved} are declared and these errors are corrected: {errors}" unresolved2-error2
/set format benchmon unresolved "%4$s" 
/set format benchmon until ", however, it cannot be instantiated or its methods invoked until" defined-class,record-primary
/set format benchmon until ", however, its methods cannot be invoked until" defined-interface-primary
/set format benchmon until ", however, it cannot be used until" defined-enum,annotation-primary
/set format benchmon until ", however, it cannot be invoked until" defined-method-primary
/set format benchmon until ", however, it cannot be referenced until" notdefined-primary
/set format benchmon until " which cannot be instantiated or its methods invoked until" defined-class,record-update
/set format benchmon until " whose methods cannot be invoked until" defined-interface-update
/set format benchmon until " which cannot be invoked until" defined-method-update
/set format benchmon until " which cannot be referenced until" notdefined-update
/set format benchmon value "%3$s" 
/set truncation benchmon 100000

import dev.benchmon.*;
import dev.benchmon.alert.*;
import dev.benchmon.chart.*;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.compare.RunComparison;
import dev.benchmon.demo.*;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.detect.Verdict;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.notebook.BackgroundOpen;
import dev.benchmon.notebook.Notebook;
import dev.benchmon.notebook.TableText;
import dev.benchmon.query.ParetoFront;
import dev.benchmon.query.Summary;
import dev.benchmon.query.TrendLines;
import tech.tablesaw.api.*;
import tech.tablesaw.plotly.components.Figure;
import java.time.*;
import java.nio.file.*;
import java.util.*;

/**
 * Prints every row of a table, readably (typing a table's name shows the first and last rows): texts whole when the table
 * fits in 120 columns, else the widest cut first (commit SHAs to 12 characters, other texts in the middle around a …),
 * none below 28 columns; showWhole(t) prints every cell whole.
 */
void show(Table t) { System.out.println(TableText.all(t, TableText.DEFAULT_WIDTH)); }

/**
 * Prints every row of a table with every cell whole (numbers rounded as show(t) rounds them): lines as wide as the table
 * needs, for the texts show(t) cuts to fit 120 columns (a series' name, a commit range in an explanation). Tablesaw's
 * t.printAll() returns such a text, unrounded, which JShell would show as one quoted line.
 */
void showWhole(Table t) { System.out.println(TableText.all(t, TableText.WHOLE_WIDTH)); }

/**
 * Writes the chart as a self-contained HTML page (Plotly.js inside, works offline; deleted when JShell exits), then
 * opens it in the browser or prints where it is. save(figure, "chart.html") keeps one.
 */
void open(Figure figure) {
    Path file = Notebook.pageFile(figure, "benchmon chart"); // refuses null before any file is made
    try {
        boolean opened = false;
        if (!java.awt.GraphicsEnvironment.isHeadless() && java.awt.Desktop.isDesktopSupported()
                && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
            java.awt.Desktop.getDesktop().browse(file.toUri());
            opened = true;
        }
        System.out.println((opened ? "opened " : "wrote ") + file + (opened ? " in the browser" : "  (open it in a browser)")
                + "; removed when this session ends: save(figure, \"chart.html\") keeps one");
    } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
    }
}

// Benchmon.open(), started at the top of this script; null (with the reason and what to do printed) when it cannot open.
var bm = BackgroundOpen.awaitOrExplain(System.err);

/** Writes the chart as a self-contained HTML page (Plotly.js inside, works offline) to {@code file}, kept. */
void save(Figure figure, String file) {
    System.out.println("saved " + Notebook.savePage(figure, "benchmon chart", file == null ? null : Path.of(file))
            + "  (a page that opens offline, in any browser)");
}

void help() {
    if (bm == null) {
        System.out.println(BackgroundOpen.NOT_OPEN_HINT);
        return;
    }
    System.out.println("""
        benchmon in JShell: `bm` is open on %s
        Every line below runs as it stands (from the repository root); a table prints readably when typed.

        demo       bm.loadDemoData()                                     // 90 days of seeded history (empty database only)
                   bm.alertOnNewestRuns()                                // then its regressions as alerts, as serve --demo opens them
        record     bm.recordFile(Path.of("samples/sample_benchmark_results.json"))
                   bm.recordFile(Path.of("samples/sample_benchmark_results.json"), "auto")  // or a tool's file with its --format name: "lm-eval", ...
                   bm.record(BenchmarkResult.builder("my-model", "my-dataset").metric("f1", 0.9).build())
        latest     bm.latestSnapshots(Filter.environment("production"))
        history    bm.history(Filter.model("medgemma-v1.2").withLimit(10))
        trends     var trend = bm.timeSeries("medgemma-v1.2", "f1", Duration.ofDays(30))
                   open(Charts.trend(trend))                            // the chart in your browser, or its file
                   save(Charts.trend(trend), "f1-trend.html")           // the chart as a page kept in a file of yours
                   bm.timeSeries(Filter.models(List.of("medgemma-v1.2", "medgemma-v1.3")), "f1", Bucket.WEEK)
        compare    bm.compareModels(List.of("medgemma-v1.2", "medgemma-v1.3"), Duration.ofDays(30))
        regress    bm.detectRegressions("medgemma-v1.3")                        // as push judged each metric (its own settings)
                   bm.detectRegressions("medgemma-v1.3", 0.05)                  // again, >= 5%% worse counts; beyond noise but less: below_min_effect
                   bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults().withBaseline(BaselineMode.PREVIOUS)).size()  // the simple rule vs the run before
                   bm.changePoints(Filter.model("medgemma-v1.3"))                 // where each metric's level shifted, by how much, between which commits
        alerts     bm.alerts()                                           // open first, then acknowledged, muted, expected, resolved
                   bm.alerts(AlertFilter.states(AlertState.OPEN))
        names      bm.models()
                   bm.environments()
                   bm.metrics()
                   bm.metricDefinitions()
        summary    bm.summary(Filter.last(Duration.ofDays(7)))
        tables     var t = bm.latestSnapshots()
                   show(t)                                               // every row (long texts shortened to fit 120 columns)
                   showWhole(t)                                          // every row, every cell whole (lines as wide as the table)
                   t.write().csv("latest-snapshots.csv")
                   t.where(t.stringColumn("environment").isEqualTo("production")).sortDescendingOn("run_at").first(3)  // chained calls print readably too
        paired     RunComparison c = bm.comparison("qa-base", "qa-tuned")  // latest results of two models (or "#id"), item by item: B - A with a CI
                   c.summary()                                          // also c.slices(), c.flips(); needs results pushed with "examples" (docs/INPUT.md); the demo's carry none
        backtest   bm.backtest(Filter.model("medgemma-v1.3"), DetectionOverrides.NONE)  // the engine replayed: alerts per 100 runs
        filters    Filter.all().withModels("medgemma-v1.2").withEnvironments("production").withSince(Instant.now().minus(Duration.ofDays(7))).withLimit(100)
        done       bm.close()                                            // or /exit
        """.formatted(bm));
}

if (bm != null) {
    System.out.println("benchmon ready: bm = " + bm + "  (type help() for the main calls)");
}
