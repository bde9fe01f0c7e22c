// benchmon JShell session: the toolkit, Tablesaw and java.time at hand, and `bm` open.
//
//   ./benchmon jshell                                 (builds the jar when needed, then starts this), or:
//   ./mvnw -q -B -pl toolkit package -DskipTests      (builds the self-contained toolkit jar)
//   jshell --class-path toolkit/target/benchmon-toolkit-0.1.0-SNAPSHOT-all.jar \
//          --startup DEFAULT --startup notebooks/benchmon.jsh
//
// `bm` opens BENCHMON_DB_URL when set, otherwise the embedded PostgreSQL in $BENCHMON_HOME
// (default ~/.benchmon), started on first use and stopped when JShell exits. Type help() for the calls.

import dev.benchmon.*;
import dev.benchmon.chart.*;
import dev.benchmon.demo.*;
import dev.benchmon.detect.Verdict;
import dev.benchmon.query.ParetoFront;
import dev.benchmon.query.Summary;
import tech.tablesaw.api.*;
import java.time.*;
import java.nio.file.*;
import java.util.*;

var bm = Benchmon.open();

/** Prints a query table in full (Tablesaw's print() shows at most 20 rows). */
void show(Table t) { System.out.println(t.printAll()); }

void help() {
    System.out.println("""
        benchmon in JShell: `bm` is open on %s

        record     bm.recordFile(Path.of("samples/sample_benchmark_results.json"))   JSON, array or JSON Lines
                   bm.record(BenchmarkResult.builder("my-model", "my-dataset").metric("f1", 0.9).build())
                   bm.loadDemoData()                                 seeded 90-day demo history (empty database only)
        latest     bm.latestSnapshots(Filter.environment("production")).print()
        history    bm.history(Filter.model("medgemma-v1.2").withLimit(10)).print()
        trends     bm.timeSeries("medgemma-v1.2", "f1", Duration.ofDays(30)).print()
                   bm.timeSeries(Filter.models(List.of("a", "b")), "f1", Bucket.WEEK).print()
        compare    bm.compareModels(List.of("medgemma-v1.2", "medgemma-v1.3"), Duration.ofDays(30)).print()
        regress    bm.detectRegressions("medgemma-v1.3", 0.05).print()
                   bm.regressions(Filter.all(), RegressionOptions.defaults().withBaseline(BaselineMode.PREVIOUS))
        names      bm.models()  bm.datasets()  bm.environments()  bm.metrics()  bm.metricDefinitions().print()
        summary    bm.summary(Filter.last(Duration.ofDays(7)))
        charts     Files.writeString(Path.of("trend.html"), ChartHtml.page(Charts.trend(table), "f1", "plotly.min.js"))
        tables     t.print() (first rows)   show(t) (all rows)   t.write().csv("out.csv")
        filters    Filter.all() / .model(m) / .environment(e) / .dataset(d) / .last(Duration)
                   then .withModels(..) .withPrompts(..) .withTag(k, v) .withSince(Instant) .withLimit(n)
        done       bm.close()  or  /exit
        """.formatted(bm));
}

System.out.println("benchmon ready: bm = " + bm + "  (type help() for the main calls)");
