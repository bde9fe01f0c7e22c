package dev.benchmon.benchmarks;

import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.adapters.Adapters;
import dev.benchmon.ingest.adapters.ResultOverrides;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading 20,000 results of 4 metrics from each tool's format (convert + validate, no database),
 * as a ratio to reading the same results from benchmon's native JSON in the same run. Shows what
 * an adapter costs on top of the native reader. Not a timed test: run it with
 * {@code ./mvnw -B -pl toolkit -Pbenchmarks test -Dtest=AdapterBenchmark} and read the figures.
 */
@Tag("benchmark")
class AdapterBenchmark {
    private static final int N = 20_000;

    @Test
    void reading_20k_results_from_each_format() {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("json", array(i -> "{\"model_version\":\"m\",\"dataset_version\":\"task_" + i + "\",\"run_at\":"
                + "\"2026-01-31T12:00:00Z\",\"metrics\":{\"acc,none\":0.6" + i + ",\"acc_norm,none\":0.5" + i
                + ",\"f1\":0.7,\"loss\":1.2},\"stderr\":{\"acc,none\":0.01,\"acc_norm,none\":0.01},\"n\":1000}"));
        inputs.put("lm-eval", "{\"results\":{" + join(i -> "\"task_" + i + "\":{\"alias\":\"task_" + i + "\",\"acc,none\":0.6" + i
                + ",\"acc_stderr,none\":0.01,\"acc_norm,none\":0.5" + i + ",\"acc_norm_stderr,none\":0.01,\"f1,none\":0.7,"
                + "\"loss,none\":1.2}") + "},\"n-samples\":{" + join(i -> "\"task_" + i + "\":{\"original\":1000,\"effective\":1000}")
                + "},\"higher_is_better\":{" + join(i -> "\"task_" + i + "\":{\"acc\":true,\"acc_norm\":true}")
                + "},\"config\":{\"model_args\":\"pretrained=m\"},\"date\":1769860800}");
        // No hf-trainer input: a Trainer file is one training run, read as one result, so it has no 20,000 to read.
        inputs.put("mlflow", "{\"runs\":[" + join(i -> "{\"info\":{\"run_id\":\"r" + i + "\",\"run_name\":\"m\","
                + "\"start_time\":\"1769860800000\"},\"data\":{\"metrics\":[{\"key\":\"acc\",\"value\":0.6" + i
                + ",\"timestamp\":\"1769860800000\",\"step\":\"1\"},{\"key\":\"acc_norm\",\"value\":0.5,\"timestamp\":"
                + "\"1769860800000\",\"step\":\"1\"},{\"key\":\"f1\",\"value\":0.7,\"timestamp\":\"1769860800000\",\"step\":\"1\"},"
                + "{\"key\":\"loss\",\"value\":1.2,\"timestamp\":\"1769860800000\",\"step\":\"1\"}],\"params\":[{\"key\":"
                + "\"dataset_version\",\"value\":\"task_" + i + "\"}]}}") + "]}");
        inputs.put("pytest-benchmark", "{\"machine_info\":{\"node\":\"n\"},\"commit_info\":{\"project\":\"m\",\"id\":\"abc\"},"
                + "\"benchmarks\":[" + join(i -> "{\"name\":\"test_" + i + "\",\"fullname\":\"tests/test_x.py::test_" + i
                + "\",\"stats\":{\"min\":0.001,\"max\":0.002,\"mean\":0.0015" + i + ",\"stddev\":0.0001,\"rounds\":100,"
                + "\"iterations\":1,\"outliers\":\"1;0\"}}") + "],\"datetime\":\"2026-01-31T12:00:00\"}");
        inputs.put("google-benchmark", "{\"context\":{\"date\":\"2026-01-31T12:00:00+00:00\",\"executable\":\"./b\"},"
                + "\"benchmarks\":[" + join(i -> "{\"name\":\"BM_" + i + "\",\"run_name\":\"BM_" + i + "\",\"run_type\":"
                + "\"iteration\",\"iterations\":1000,\"real_time\":25." + i + ",\"cpu_time\":25.0,\"time_unit\":\"ns\","
                + "\"bytes_per_second\":2.5e9,\"items_per_second\":4.0e7}") + "]}");

        Map<String, Double> seconds = new LinkedHashMap<>();
        for (int round = 0; round < 2; round++) { // the first round warms the JIT
            for (Map.Entry<String, String> in : inputs.entrySet()) {
                double best = Double.MAX_VALUE;
                for (int rep = 0; rep < 3; rep++) {
                    long t0 = System.nanoTime();
                    ParsedResults parsed = Adapters.parse(in.getKey(), in.getValue(), ResultOverrides.NONE);
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                    assertThat(parsed.results()).hasSize(N);
                    assertThat(parsed.results().get(0).metrics()).hasSize(4);
                }
                seconds.put(in.getKey(), best);
            }
        }
        double baseline = seconds.get("json");
        System.out.printf(Locale.ROOT, "%nADAPTER BENCHMARK (%,d results x 4 metrics, convert + validate, best of 3)%n", N);
        System.out.printf(Locale.ROOT, "  %-18s %10s %14s %10s%n", "format", "time", "results/s", "vs json");
        seconds.forEach((format, s) -> System.out.printf(Locale.ROOT, "  %-18s %8.0f ms %,14.0f %9.2fx%n",
                format + (format.equals("json") ? " (baseline)" : ""), s * 1000, N / s, s / baseline));
    }

    private static String join(IntFunction<String> item) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < N; i++) {
            sb.append(i == 0 ? "" : ",").append(item.apply(i));
        }
        return sb.toString();
    }

    private static String array(IntFunction<String> item) {
        return "[" + join(item) + "]";
    }
}
