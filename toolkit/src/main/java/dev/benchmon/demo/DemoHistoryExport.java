package dev.benchmon.demo;

import dev.benchmon.BenchmarkResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes the demo history as JSON Lines: {@code samples/demo_history.jsonl} is this program's
 * output with the defaults, so notebooks and tests share one fixed, reproducible history.
 *
 * <pre>
 * java -cp toolkit/target/benchmon-toolkit-0.1.0-SNAPSHOT-all.jar dev.benchmon.demo.DemoHistoryExport samples/demo_history.jsonl
 * </pre>
 */
public final class DemoHistoryExport {
    /** The end of the sample history: fixed, so the file never changes. */
    public static final Instant SAMPLE_END = Instant.parse("2026-06-01T00:00:00Z");
    /** Days the sample history covers. */
    public static final int SAMPLE_DAYS = DemoHistory.DEFAULT_DAYS;
    /** Where the sample lives, relative to the repository root. */
    public static final Path SAMPLE_FILE = Path.of("samples", "demo_history.jsonl");

    private DemoHistoryExport() {
    }

    /** The sample history: {@link DemoHistory#DEFAULT_SEED}, {@value #SAMPLE_DAYS} days ending at {@link #SAMPLE_END}. */
    public static List<BenchmarkResult> sample() {
        return DemoHistory.generate(DemoHistory.DEFAULT_SEED, SAMPLE_DAYS, SAMPLE_END);
    }

    /** Results as JSON Lines: one JSON object per line, each line ending in a newline. */
    public static String jsonLines(List<BenchmarkResult> results) {
        StringBuilder out = new StringBuilder(results.size() * 512);
        for (BenchmarkResult r : results) {
            out.append(r.toJson()).append('\n');
        }
        return out.toString();
    }

    /** Writes the sample history to the file named by the first argument (default {@code samples/demo_history.jsonl}). */
    public static void main(String[] args) throws IOException {
        Path target = args.length > 0 ? Path.of(args[0]) : SAMPLE_FILE;
        List<BenchmarkResult> results = sample();
        if (target.toAbsolutePath().getParent() != null) {
            Files.createDirectories(target.toAbsolutePath().getParent());
        }
        Files.writeString(target, jsonLines(results));
        System.out.println("wrote " + results.size() + " results to " + target);
    }
}
