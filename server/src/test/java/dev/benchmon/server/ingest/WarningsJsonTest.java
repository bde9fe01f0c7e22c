package dev.benchmon.server.ingest;

import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ResultJson;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The push answer's {@code warnings} as push reads them back: each warning's kind from its {@code code}, and from a
 * server that sent no code (before 2026-12-06), the proportion warning by its words, so that push still says it once
 * per metric against an older server.
 */
class WarningsJsonTest {
    private static List<IngestWarning> read(String warnings) throws Exception {
        return WarningsJson.fromJson(ResultJson.mapper().readTree("{\"warnings\": " + warnings + "}"));
    }

    @Test
    void a_warnings_code_gives_its_kind_and_writing_it_keeps_it() throws Exception {
        IngestWarning sent = new IngestWarning(2, "metrics.loss", "value NaN dropped", IngestWarning.Kind.METRIC_VALUE_DROPPED);

        List<IngestWarning> back = WarningsJson.fromJson(ResultJson.mapper().createObjectNode()
                .set("warnings", WarningsJson.toJson(List.of(sent))));

        assertThat(back).containsExactly(sent);
    }

    @Test
    void a_code_this_version_does_not_know_is_other() throws Exception {
        assertThat(read("[{\"index\": 0, \"field\": \"f\", \"code\": \"from_a_newer_server\", \"message\": \"m\"}]"))
                .extracting(IngestWarning::kind).containsExactly(IngestWarning.Kind.OTHER);
    }

    @Test
    void an_older_servers_proportion_warning_without_a_code_is_known_by_its_words() throws Exception {
        List<IngestWarning> w = read("[{\"index\": 1, \"field\": \"metrics.accuracy\", \"message\": \"87.5 is outside [0, 1], "
                + "though accuracy is a proportion (by its name): stored as sent\"},"
                + "{\"index\": 0, \"field\": \"metrics.loss\", \"message\": \"value NaN dropped\"}]");

        assertThat(w).extracting(IngestWarning::kind)
                .containsExactly(IngestWarning.Kind.PROPORTION_OUT_OF_RANGE, IngestWarning.Kind.OTHER);
    }
}
