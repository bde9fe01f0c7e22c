package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.ingest.adapters.ResultOverrides;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which results carry a key of their own ({@link IdempotencyKeys#hasOwnKey}): the one rule by which a re-sent result is
 * compared with the one stored under its key, and by which {@code benchmon push} says a result matched on the sender's
 * key. A key benchmon derived is no key of the sender's, in whatever form it comes back.
 */
class OwnKeyTest {
    private static final BenchmarkResult RUN = BenchmarkResult.builder("m", "d").environment("ci").runId("9001")
            .runAt(Instant.parse("2026-11-30T10:00:00Z")).metric("acc", 0.5).build();

    @Test
    void a_key_its_sender_chose_is_its_own() {
        assertThat(IdempotencyKeys.hasOwnKey(RUN.toBuilder().idempotencyKey("nightly-7").build())).isTrue();
    }

    @Test
    void a_result_without_a_key_or_with_the_stored_form_of_its_derived_key_has_none_of_its_own() {
        String exported = IdempotencyKeys.storedForm(IdempotencyKeys.keyFor(RUN)); // as an export writes it

        assertThat(IdempotencyKeys.hasOwnKey(RUN)).isFalse();
        assertThat(IdempotencyKeys.hasOwnKey(RUN.toBuilder().idempotencyKey(exported).build())).isFalse();
    }

    @Test
    void a_tools_result_given_a_run_id_holds_the_key_its_adapter_fixed_which_is_none_of_the_senders() throws IOException {
        BenchmarkResult adapted = BenchmarkResult.from("lm-eval", resource("lm-eval-results.json"),
                new ResultOverrides("m", null, null).withContext(Map.of("environment", "ci", "run_id", "lm-13")))
                .results().get(0);

        assertThat(adapted.idempotencyKey()).as("the key fixed with the tool's time").isNotNull();
        assertThat(adapted.runAtSent()).as("the run keyed without the tool's time").isFalse();
        assertThat(IdempotencyKeys.hasOwnKey(adapted)).isFalse();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = OwnKeyTest.class.getResourceAsStream("/adapters/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
