package dev.benchmon.ingest;

import dev.benchmon.MetricDirection;
import dev.benchmon.ValidationException;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a JSON Lines export carries besides its results: the definitions line first, and each run's exclusion. */
class ExportedAnnotationsInputTest {
    private static final String DEFINITIONS = "{\"metric_definitions\":{\"bad_tokens\":{\"direction\":\"higher_is_better\","
            + "\"min_effect\":\"1%\"}}}\n";
    private static final String RESULT = "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"bad_tokens\":0.8}";

    @Test
    void a_json_lines_first_line_holding_only_metric_definitions_defines_the_metrics_of_the_results_after_it() {
        ParsedResults parsed = ResultJson.read(DEFINITIONS + RESULT + "}\n" + RESULT + ",\"run_id\":\"2\"}\n", false);

        assertThat(parsed.results()).hasSize(2);
        assertThat(parsed.definitions().get("bad_tokens").direction()).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(parsed.definitions().get("bad_tokens").statedMinEffect()).hasToString("1%");
    }

    @Test
    void the_streaming_reader_gives_the_results_after_the_definitions_line_and_the_definitions_at_the_end() {
        try (JsonResultReader reader = new JsonResultReader(new StringReader(DEFINITIONS + RESULT + "}\n" + RESULT + "}\n"))) {
            List<Long> lines = new ArrayList<>();
            int results = 0;
            while (reader.hasNext()) {
                reader.next();
                lines.add(reader.line());
                results++;
            }

            assertThat(results).isEqualTo(2);
            assertThat(lines).containsExactly(2L, 3L);
            assertThat(ResultJson.definitions(new ArrayList<>(reader.wrapperFields()))).containsKey("bad_tokens");
        }
    }

    @Test
    void an_exclusion_reads_as_reason_actor_and_since_and_is_no_part_of_the_result() {
        String line = RESULT + ",\"excluded\":{\"reason\":\"broken runner\",\"actor\":\"ops\",\"since\":\"2026-12-01T10:00:00Z\"}}";

        RunExclusion x = RunExclusion.of(ResultJson.readRoots(line).get(0), new ArrayList<>());

        assertThat(x).isEqualTo(new RunExclusion("broken runner", "ops", Instant.parse("2026-12-01T10:00:00Z")));
        assertThat(ResultJson.read(line, true).results().get(0)).isEqualTo(ResultJson.read(RESULT + "}", true).results().get(0));
    }

    @Test
    void an_exclusion_without_a_reason_or_with_a_time_that_is_none_refuses_its_result_naming_the_field() {
        assertThatThrownBy(() -> ResultJson.read(RESULT + ",\"excluded\":{\"reason\":\" \",\"actor\":\"ops\","
                + "\"since\":\"yesterday\",\"by\":\"x\"}}", false))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("excluded.reason: must be text saying why the run is excluded, got blank text")
                .hasMessageContaining("excluded.since:")
                .hasMessageContaining("excluded.by: unknown field (allowed: reason, actor, since)");
        assertThatThrownBy(() -> ResultJson.read(RESULT + ",\"excluded\":true}", false))
                .hasMessageContaining("excluded: must be a JSON object");
    }
}
