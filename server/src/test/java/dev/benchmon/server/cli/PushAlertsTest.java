package dev.benchmon.server.cli;

import dev.benchmon.ingest.ResultJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The alerts of a push sent in several batches (--batch-size), as --fail-on-regression counts them. */
class PushAlertsTest {
    private static PushAlerts answer(String alertsJson) throws Exception {
        return PushAlerts.fromAnswer(ResultJson.mapper().readTree("{\"alerts\": " + alertsJson + "}"));
    }

    @Test
    void an_open_alert_that_failed_an_earlier_batch_still_fails_the_push_when_a_later_batch_lists_it_as_passing()
            throws Exception {
        PushAlerts first = answer("[{\"id\": 7, \"state\": \"open\", \"fails_push\": true}]");
        PushAlerts second = answer("[{\"id\": 7, \"state\": \"open\", \"fails_push\": false}]");

        assertThat(first.plus(second).alerts()).hasSize(1);
        assertThat(first.plus(second).failing()).isEqualTo(1);
        assertThat(second.plus(first).failing()).isEqualTo(1);
    }

    @Test
    void an_alert_a_later_batch_resolved_does_not_fail_the_push_though_an_earlier_batch_failed_on_it() throws Exception {
        PushAlerts first = answer("[{\"id\": 7, \"state\": \"open\", \"fails_push\": true}]");
        PushAlerts second = answer("[{\"id\": 7, \"state\": \"resolved\", \"fails_push\": false}]");

        assertThat(first.plus(second).failing()).isZero();
    }

    @Test
    void an_alert_an_earlier_batch_resolved_is_still_said_resolved_by_the_push_when_a_later_batch_lists_it_unmarked()
            throws Exception {
        String alert = "{\"id\": 7, \"state\": \"resolved\", \"fails_push\": false, \"series\": \"m / d @ci\", "
                + "\"metric\": \"f1\", \"resolved_now\": %s}";
        PushAlerts first = answer("[" + String.format(alert, "true") + "]");
        PushAlerts second = answer("[" + String.format(alert, "false") + "]");

        assertThat(first.plus(second).ofStored(java.util.Set.of("m / d @ci")).text(""))
                .isEqualTo("\nresolved: alert #7 f1 (m / d @ci) back at the old level in this push\n");
    }

    @Test
    void a_resolved_alert_no_request_of_the_push_resolved_is_left_out() throws Exception {
        PushAlerts listed = answer("[{\"id\": 7, \"state\": \"resolved\", \"fails_push\": false, "
                + "\"series\": \"m / d @ci\", \"metric\": \"f1\", \"resolved_now\": false}]");

        PushAlerts stored = listed.ofStored(java.util.Set.of("m / d @ci"));

        assertThat(stored.alerts()).isEmpty();
        assertThat(stored.text("") + stored.markdown("")).isEmpty();
    }

    @Test
    void an_alert_no_batch_fails_does_not_fail_the_push() throws Exception {
        PushAlerts first = answer("[{\"id\": 7, \"state\": \"open\", \"fails_push\": false}]");
        PushAlerts second = answer("[{\"id\": 8, \"state\": \"acknowledged\", \"fails_push\": false}]");

        assertThat(first.plus(second).alerts()).hasSize(2);
        assertThat(first.plus(second).failing()).isZero();
    }
}
