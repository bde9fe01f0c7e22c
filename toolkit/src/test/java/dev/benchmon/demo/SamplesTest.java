package dev.benchmon.demo;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.support.RepositoryFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SamplesTest {
    @Test
    void theCommittedDemoHistoryIsExactlyWhatTheGeneratorWrites() throws IOException {
        String committed = Files.readString(RepositoryFiles.resolve("samples/demo_history.jsonl"));

        assertThat(committed)
                .as("samples/demo_history.jsonl is stale: regenerate it with DemoHistoryExport (see its Javadoc)")
                .isEqualTo(DemoHistoryExport.jsonLines(DemoHistoryExport.sample()));
    }

    @Test
    void theDemoHistoryReadsBackAsTheGeneratedResults() throws IOException {
        var read = BenchmarkResult.listFromJson(Files.readString(RepositoryFiles.resolve("samples/demo_history.jsonl")));

        assertThat(read).isEqualTo(DemoHistoryExport.sample());
        assertThat(read).extracting(BenchmarkResult::modelVersion).contains("medgemma-v1.2", "medgemma-v1.3",
                "gpt-4o-mini", "claude-3-5-haiku");
        assertThat(read.get(read.size() - 1).runAt()).isBefore(DemoHistoryExport.SAMPLE_END);
    }

    @Test
    void theSampleResultHasTheDocumentedValues() throws IOException {
        BenchmarkResult r = BenchmarkResult.fromJson(Files.readString(RepositoryFiles.resolve("samples/sample_benchmark_results.json")));

        assertThat(r.modelVersion()).isEqualTo("medgemma-v1.2");
        assertThat(r.datasetVersion()).isEqualTo("benchmark-set-v3");
        assertThat(r.promptVersion()).isEqualTo("analysis-v4");
        assertThat(r.modelProvider()).isEqualTo("google");
        assertThat(r.metrics()).isEqualTo(Map.of("precision", 0.91, "recall", 0.88, "f1", 0.895,
                "latency_ms", 412.0, "analysis_cost", 0.0042));
    }
}
