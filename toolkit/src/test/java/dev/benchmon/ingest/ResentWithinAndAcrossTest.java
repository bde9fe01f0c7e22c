package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.ValidationException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result sent again under one key is judged the same way whether the two arrive in one delivery (compared in Java
 * before the write, {@link ResentValues}) or in two (compared by the database, {@code ingest_staged_results}): a retry
 * that holds what was stored is one result, in a real database either way.
 */
class ResentWithinAndAcrossTest {
    @AutoClose
    private final Benchmon oneDelivery = TestDatabases.fresh();
    @AutoClose
    private final Benchmon twoDeliveries = TestDatabases.fresh();

    private static BenchmarkResult.Builder keyed() {
        return BenchmarkResult.builder("resent", "d").idempotencyKey("resent-k");
    }

    /** Stored once in both databases; the answer of each, "stored once" or the refusal's message. */
    private void assertSameAnswer(BenchmarkResult first, BenchmarkResult again) {
        String within;
        try {
            within = "stored " + oneDelivery.recordAll(List.of(first, again)).stream().filter(o -> o.created()).count();
        } catch (ValidationException e) {
            within = "refused";
        }
        String across;
        twoDeliveries.record(first);
        try {
            across = "stored " + (1 + (twoDeliveries.record(again).created() ? 1 : 0));
        } catch (RuntimeException e) {
            across = "refused";
        }
        assertThat(within).isEqualTo(across).isEqualTo("stored 1");
    }

    @Test
    void metadata_with_a_nested_null_is_the_same_result_without_it_in_one_delivery_as_in_two() {
        assertSameAnswer(keyed().metric("f1", 0.5).metadata(Map.of("cfg", java.util.Collections.singletonMap("b", null)))
                        .build(),
                keyed().metric("f1", 0.5).metadata(Map.of("cfg", Map.of())).build());
    }

    @Test
    void a_metric_of_minus_zero_is_the_same_value_as_zero_in_one_delivery_as_in_two() {
        assertSameAnswer(keyed().metric("delta", 0.0).build(), keyed().metric("delta", -0.0).build());
    }
}
