package dev.benchmon.server.benchmarks;

import dev.benchmon.Benchmon;
import dev.benchmon.alert.AlertChange;

import java.util.List;
import java.util.Locale;

/**
 * {@code Benchmon.alertOnNewestRuns()} on a database, as its own JVM ({@link NewestRunsMemoryBenchmark} gives it a
 * small heap): what a user runs after an import whose alerting step failed ({@code benchmon import} says so). Prints
 * how many alerts changed and how long it took; exits 1 on any error (an OutOfMemoryError included).
 */
final class NewestRunsProbe {
    private NewestRunsProbe() {
    }

    public static void main(String[] args) {
        try (Benchmon bm = Benchmon.connect(args[0])) {
            long s = System.nanoTime();
            List<AlertChange> changes = bm.alertOnNewestRuns();
            System.out.printf(Locale.ROOT, "alertOnNewestRuns: %d alert change(s) in %.1f s%n", changes.size(),
                    (System.nanoTime() - s) / 1e9);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }
}
