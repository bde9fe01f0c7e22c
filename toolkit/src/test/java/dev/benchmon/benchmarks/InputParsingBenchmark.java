package dev.benchmon.benchmarks;

import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.ResultJson;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading 100,000 results (5 metrics each, names as tools write them, 1% NaN values, epoch and
 * zone-less run_at) through the native reader with every input rule, reported as a ratio to Jackson
 * parsing the same text into a tree (the floor: no validation at all), measured in the same run.
 * Not a timed test: run it with {@code ./mvnw -B -pl toolkit -Pbenchmarks test} and read the figures.
 */
@Tag("benchmark")
class InputParsingBenchmark {
    private static final int N = 100_000;

    @Test
    void reading_100k_results_as_tools_write_them() throws Exception {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < N; i++) {
            if (i > 0) sb.append(',');
            String runAt = i % 3 == 0 ? String.valueOf(1_700_000_000L + i) : i % 3 == 1 ? "\"2026-01-01 00:00:00\""
                    : "\"2026-01-01T00:00:00+0100\"";
            sb.append("{\"model_version\":\"model-").append(i % 20).append("\",\"dataset_version\":\"lm eval/").append(i % 5)
                    .append("\",\"environment\":\"ci\",\"run_id\":\"").append(i).append("\",\"run_at\":").append(runAt)
                    .append(",\"metrics\":{\"acc,none\":0.").append(100 + i % 800).append(",\"eval/loss\":")
                    .append(i % 100 == 0 ? "NaN" : "2.4").append(",\"精度\":0.9,\"latency_ms\":").append(400 + i % 50)
                    .append(",\"tests/test_x.py::test_y[param]\":1}}");
        }
        String text = sb.append(']').toString();
        // Warm up both paths once so that the JIT treats them alike.
        ResultJson.mapper().readTree(text);
        ResultJson.read(text, false);

        long t0 = System.nanoTime();
        int nodes = ResultJson.mapper().readTree(text).size();
        double jackson = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        ParsedResults parsed = ResultJson.read(text, false);
        double lenient = (System.nanoTime() - t0) / 1e9;
        assertThat(nodes).isEqualTo(N);
        assertThat(parsed.results()).hasSize(N);
        assertThat(parsed.warnings()).hasSize(N / 100 + (N + 1) / 3); // the NaNs and the zone-less run_at values

        System.out.printf(Locale.ROOT, "%nINPUT PARSING BENCHMARK (%d results x 5 metrics, %d warnings)%n", N,
                parsed.warnings().size());
        System.out.printf(Locale.ROOT, "  baseline: Jackson readTree only            %6.2f s  %,9.0f results/s%n", jackson, N / jackson);
        System.out.printf(Locale.ROOT, "  ResultJson.read (parse + every input rule) %6.2f s  %,9.0f results/s  = %.1fx the baseline%n",
                lenient, N / lenient, lenient / jackson);
    }
}
