package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/v1/change-points over HTTP: the shifts the engine found after CI pushed a series run by run, as JSON and CSV,
 * filtered by model and metric; a name the database does not hold is a 404 naming it, as on every read.
 */
class ChangePointsApiTest {
    private static final String MODEL = "cp-api-model";

    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void pushRuns() {
        Random noise = new Random(3);
        Instant t0 = Instant.parse("2026-02-01T00:00:00Z");
        for (int i = 0; i < 36; i++) {
            double f1 = (i < 24 ? 0.91 : 0.83) + 0.004 * noise.nextGaussian();
            String body = String.format(Locale.ROOT, "{\"model_version\":\"%s\",\"dataset_version\":\"d\","
                    + "\"environment\":\"ci\",\"run_id\":\"cp-%d\",\"commit_sha\":\"sha%d\",\"run_at\":\"%s\","
                    + "\"metrics\":{\"f1\":%.5f}}", MODEL, i, i, t0.plusSeconds(3600L * i), f1);
            assertThat(server.postJson("/api/v1/results", body).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void the_json_answer_lists_the_shift_with_its_outcome_change_and_commits() throws Exception {
        HttpResponse<String> r = server.get("/api/v1/change-points?model=" + MODEL + "&metric=f1");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = ResultJson.mapper().readTree(r.body());
        assertThat(body.path("row_count").asInt()).isEqualTo(1);
        assertThat(body.path("limit").asInt()).isEqualTo(1000);
        assertThat(body.path("limit_reached").asBoolean()).isFalse();
        JsonNode row = body.path("rows").get(0);
        assertThat(row.path("model_version").asText()).isEqualTo(MODEL);
        assertThat(row.path("outcome").asText()).isEqualTo("regression");
        assertThat(row.path("change").asText()).endsWith(" points").startsWith("-");
        assertThat(row.path("commit_range").asText()).isEqualTo("sha23..sha24");
        assertThat(row.path("run_at").asText()).isEqualTo("2026-02-02T00:00:00Z");
    }

    @Test
    void the_csv_answer_has_a_header_and_one_line_per_shift() {
        HttpResponse<String> r = server.get("/api/v1/change-points?model=" + MODEL + "&format=csv");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(r.body().lines().toList()).hasSize(2).first().asString()
                .startsWith("model_version,dataset_version,prompt_version,environment,metric,run_at,level_before");
    }

    @Test
    void a_model_the_database_does_not_hold_is_a_404_naming_it() {
        HttpResponse<String> r = server.get("/api/v1/change-points?model=no-such-model-cp");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("model").contains("no-such-model-cp");
    }
}
