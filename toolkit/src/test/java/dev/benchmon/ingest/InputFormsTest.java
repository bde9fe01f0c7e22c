package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What input the native JSON reader accepts, drops with a warning, or refuses (issue 10 items 1-4, issue 12 input). */
class InputFormsTest {
    private static final String HEAD = "{\"model_version\":\"m\",\"dataset_version\":\"d\",";

    private static ParsedResults lenient(String json) {
        return ResultJson.read(json, false);
    }

    @Test
    void a_tag_value_that_is_a_number_is_refused_as_written_while_a_number_under_a_tags_key_of_metadata_is_kept() {
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"acc\":0.5},\"tags\":{\"seed\":7,\"lr\":0.00030}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("tags.seed: must be a string, got a number; write \"7\" in quotes")
                .hasMessageContaining("tags.lr: must be a string, got a number; write \"0.00030\" in quotes");
        BenchmarkResult r = lenient(HEAD + "\"metrics\":{\"acc\":0.5},\"metadata\":{\"tags\":{\"lr\":1.50}}}").results().get(0);
        assertThat(r.metadata().get("tags")).hasToString("{lr=1.5}");
    }

    /**
     * {@code "run_at_sent": false} (an export's mark of a result sent without run_at) reads back, is written again as
     * the result's JSON, keys the result as it was keyed without run_at, and keeps two attempts of one such run in one
     * delivery apart as one run; anything but a boolean is refused naming the field.
     */
    @Test
    void run_at_sent_false_reads_back_and_keys_the_run_without_the_run_at_the_result_holds() {
        String ci = HEAD + "\"run_id\":\"9001\",\"metrics\":{\"acc\":%s},";
        BenchmarkResult copied = lenient(String.format(ci, "0.5") + "\"run_at\":\"2026-11-30T10:00:00Z\",\"run_at_sent\":false}")
                .results().get(0);
        BenchmarkResult sent = lenient(String.format(ci, "0.5").replaceAll(",$", "}")).results().get(0);

        assertThat(copied.runAtSent()).isFalse();
        assertThat(copied.runKeyRunAt()).isNull();
        assertThat(copied.runAt()).isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
        assertThat(BenchmarkResult.fromJson(copied.toJson())).isEqualTo(copied);
        assertThat(IdempotencyKeys.keyFor(copied)).isEqualTo(IdempotencyKeys.keyFor(sent));
        BenchmarkResult laterAttempt = lenient(String.format(ci, "0.6") + "\"run_at\":\"2026-11-30T11:00:00Z\","
                + "\"run_at_sent\":false}").results().get(0);
        assertThatThrownBy(() -> OneResultPerRun.require(java.util.List.of(copied, laterAttempt), 0))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("are two different results of one run (m / d @local, run_id 9001)")
                .hasMessageContaining("import each export on its own, the older first");
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"acc\":0.5},\"run_at_sent\":\"no\"}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("run_at_sent: must be true or false");
    }

    @Test
    void json_lines_whose_line_leaves_its_object_unclosed_are_refused_naming_that_line() {
        String lines = HEAD + "\"metrics\":{\"acc\":0.5}}\n" + HEAD + "\"metrics\":{\"acc\":0.5}\n" + HEAD
                + "\"metrics\":{\"acc\":0.5}}\n";
        assertThatThrownBy(() -> lenient(lines)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("body: is not valid JSON: the JSON ends before the object that starts at line 2, "
                        + "column 1 is closed (line 2, column 65)");
    }

    @Test
    void a_pretty_printed_object_missing_a_comma_is_still_refused_at_the_line_of_the_missing_comma() {
        assertThatThrownBy(() -> lenient("{\n  \"model_version\": \"m\"\n  \"dataset_version\": \"d\"\n}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("a ',' or '}' must follow a value in an object, got '\"' (line 3, column 3)");
    }

    @Test
    void a_key_shared_by_two_results_of_one_delivery_is_refused_naming_both_unless_the_later_holds_nothing_else() {
        BenchmarkResult first = BenchmarkResult.builder("m", "d").metric("f1", 0.7).metric("acc", 0.5)
                .tag("a", "1").idempotencyKey("k-2").build();
        BenchmarkResult other = first.toBuilder().metric("f1", 0.8).build();
        assertThatThrownBy(() -> OneResultPerRun.require(java.util.List.of(first, other), 0))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("result 2, results[1].idempotency_key: result 1 (results[0]) and result 2 (results[1]) share idempotency_key 'k-2' with "
                        + "different metrics");
        BenchmarkResult fewer = BenchmarkResult.builder("m", "d").metric("f1", 0.7).idempotencyKey("k-2").build();
        OneResultPerRun.require(java.util.List.of(first, first, fewer), 0); // a retry in the same delivery: stored once
    }

    @Test
    void a_warning_ends_naming_its_result_counted_from_1_and_its_series() {
        ParsedResults p = lenient("[" + HEAD + "\"metrics\":{\"acc\":0.5}}," + HEAD + "\"metrics\":{\"acc\":0.5,\"loss\":NaN}}]");
        assertThat(p.warnings()).singleElement().hasToString("results[1].metrics.loss: value NaN dropped: NaN is not a "
                + "finite number; the result's other metrics are stored (push with --strict, or ?strict=true, to refuse "
                + "the input instead) [result 2, m / d @local]");
    }

    @Test
    void a_warning_moved_to_its_place_in_a_larger_input_names_that_place_in_its_message_too() {
        IngestWarning w = IngestWarning.ofResult(0, "metrics.loss", "value NaN dropped", "m / d @ci");
        assertThat(w.message()).isEqualTo("value NaN dropped [result 1, m / d @ci]");
        assertThat(w.movedTo(6, " (b.json)")).isEqualTo(new IngestWarning(6, "metrics.loss",
                "value NaN dropped [result 7, m / d @ci] (b.json)"));
        assertThat(new IngestWarning(-1, "run_at", "read as UTC").movedTo(-1, " (b.json)").message())
                .isEqualTo("read as UTC (b.json)");
    }

    @Test
    void a_nan_in_metadata_is_stored_as_null_with_a_warning_not_as_the_text_nan() {
        ParsedResults p = lenient(HEAD + "\"metrics\":{\"acc\":0.5},\"metadata\":{\"seed\":NaN,\"run\":{\"lr\":[1,Infinity]},\"ok\":1.5}}");
        java.util.Map<String, Object> metadata = p.results().get(0).metadata();
        assertThat(metadata).containsEntry("seed", null).containsEntry("ok", 1.5);
        assertThat(metadata.get("run")).hasToString("{lr=[1, null]}");
        assertThat(p.warnings()).extracting(IngestWarning::field).containsExactly("metadata.seed", "metadata.run.lr[1]");
        assertThat(p.warnings().get(0).toString()).contains("value NaN is not a JSON number: stored as null");
    }

    @ParameterizedTest(name = "run_at {0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "\"2026-01-31T12:00:00Z\"          | 2026-01-31T12:00:00Z",
            "\"2026-01-31T13:00:00+01:00\"     | 2026-01-31T12:00:00Z",
            "\"2026-01-31T13:00:00+0100\"      | 2026-01-31T12:00:00Z",
            "\"2026-01-31 13:00:00.250+0100\"  | 2026-01-31T12:00:00.250Z",
            "1700000000                        | 2023-11-14T22:13:20Z",
            "\"1700000000\"                    | 2023-11-14T22:13:20Z",
            "1700000000000                     | 2023-11-14T22:13:20Z",
            "\"1700000000123\"                 | 2023-11-14T22:13:20.123Z",
            "1700000000.5                      | 2023-11-14T22:13:20.500Z"})
    void run_at_accepts_the_forms_tools_write(String value, String expected) {
        ParsedResults p = lenient(HEAD + "\"metrics\":{\"f1\":1},\"run_at\":" + value + "}");
        assertThat(p.results().get(0).runAt()).isEqualTo(Instant.parse(expected));
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void a_run_at_with_a_lower_case_t_and_z_is_read_as_with_upper_case_ones_as_rfc_3339_allows() {
        ParsedResults p = lenient(HEAD + "\"metrics\":{\"f1\":1},\"run_at\":\"2026-11-02t12:00:00z\"}");

        assertThat(p.results().get(0).runAt()).isEqualTo(Instant.parse("2026-11-02T12:00:00Z"));
        assertThat(p.warnings()).isEmpty();
    }

    /** A leap second is read as java.time's ISO_INSTANT reads one: second 59 of that minute, the fraction kept. */
    @ParameterizedTest(name = "run_at {0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2016-12-31T23:59:60Z       | 2016-12-31T23:59:59Z
            2016-12-31T23:59:60.5Z     | 2016-12-31T23:59:59.500Z
            2016-12-31T15:59:60-08:00  | 2016-12-31T23:59:59Z
            """)
    void a_leap_second_is_read_as_the_last_second_of_its_minute(String value, String expected) {
        ParsedResults p = lenient(HEAD + "\"metrics\":{\"f1\":1},\"run_at\":\"" + value + "\"}");

        assertThat(p.results().get(0).runAt()).isEqualTo(Instant.parse(expected));
        assertThat(p.warnings()).isEmpty();
    }

    @ParameterizedTest(name = "run_at {0} is refused")
    @CsvSource({"2016-12-31T12:34:60Z", "2017-01-01T23:59:60+01:00"})
    void second_60_of_a_minute_that_ends_no_utc_day_is_refused_as_no_leap_second(String value) {
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"f1\":1},\"run_at\":\"" + value + "\"}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("run_at: '" + value + "' is not a valid date-time (second 60 is a leap second, "
                        + "which comes only at the end of a UTC day")
                .hasMessageNotContaining("SecondOfMinute");
    }

    // A number's nanoseconds were counted in a long, which overflows after 2262: these came out as 2023,
    // 1702 and 2216 (and the first was stored).
    @ParameterizedTest(name = "run_at {0} is refused as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            20146744073      | is more than a day in the future (2608-06-04T21:47:53Z)
            "20146744073"    | is more than a day in the future (2608-06-04T21:47:53Z)
            1e10             | is more than a day in the future (2286-11-20T17:46:40Z)
            99999999999999   | is more than a day in the future (5138-11-16T09:46:39.999Z)
            -1.5             | is before 1970 (1969-12-31T23:59:58.500Z)
            """)
    void a_run_at_number_outside_the_accepted_years_is_refused_naming_the_instant_it_means(String value,
                                                                                        String problem) {
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"f1\":1},\"run_at\":" + value + "}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("run_at: " + problem);
    }

    @Test
    void a_run_at_without_a_zone_is_read_as_utc_with_a_warning() {
        ParsedResults p = lenient(HEAD + "\"metrics\":{\"f1\":1},\"run_at\":\"2022-11-26 03:43:13\"}");
        assertThat(p.results().get(0).runAt()).isEqualTo(Instant.parse("2022-11-26T03:43:13Z"));
        assertThat(p.warnings()).singleElement().satisfies(w -> {
            assertThat(w.field()).isEqualTo("run_at");
            assertThat(w.message()).contains("names no time zone: read as UTC");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0                         | 0                    | 1970-01-01T00:00:00Z
            "1999-12-31T23:59:59Z"    | 1999-12-31T23:59:59Z | 1999-12-31T23:59:59Z
            """)
    void a_run_at_before_2000_is_taken_with_a_warning_that_it_looks_like_a_zero_timestamp(String value, String written,
                                                                                           String instant) {
        ParsedResults p = lenient(HEAD + "\"metrics\":{\"f1\":1},\"run_at\":" + value + "}");

        assertThat(p.results()).singleElement().satisfies(r -> assertThat(r.runAt()).isEqualTo(Instant.parse(instant)));
        assertThat(p.warnings()).singleElement().satisfies(w -> {
            assertThat(w.field()).isEqualTo("run_at");
            assertThat(w.message()).startsWith("'" + written + "' (" + instant + ") is before 2000: it looks like a "
                    + "zero or missing timestamp");
        });
    }

    @Test
    void a_run_at_from_2000_on_is_taken_without_a_warning() {
        assertThat(lenient(HEAD + "\"metrics\":{\"f1\":1},\"run_at\":\"2000-01-01T00:00:00Z\"}").warnings()).isEmpty();
    }

    @Test
    void a_run_at_in_no_accepted_form_is_refused_listing_the_forms() {
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"f1\":1},\"run_at\":\"+294277-01-01\"}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("run_at: '+294277-01-01' is not a date-time")
                .hasMessageContaining("epoch seconds or milliseconds");
    }

    @Test
    void nan_infinity_null_and_text_values_are_dropped_with_a_warning_naming_result_metric_and_value() {
        ParsedResults p = lenient("[" + HEAD + "\"metrics\":{\"loss\":NaN,\"acc\":0.5,\"ppl\":Infinity,\"x\":null,"
                + "\"y\":\"diverged\"},\"stderr\":{\"loss\":0.1,\"acc\":0.01}}, " + HEAD + "\"metrics\":{\"f1\":0.9}}]");
        assertThat(p.results()).hasSize(2);
        assertThat(p.results().get(0).metrics()).containsOnlyKeys("acc");
        assertThat(p.results().get(0).stderr()).containsOnlyKeys("acc");
        assertThat(p.warnings()).extracting(IngestWarning::field)
                .containsExactly("metrics.loss", "metrics.ppl", "metrics.x", "metrics.y");
        assertThat(p.warnings()).allSatisfy(w -> assertThat(w.index()).isZero());
        assertThat(p.warnings().get(0).toString()).contains("results[0].metrics.loss").contains("value NaN dropped")
                .contains("m / d @local");
        assertThat(p.warnings().get(3).message()).contains("\"diverged\"");
    }

    @Test
    void strict_reading_refuses_the_whole_input_for_one_nan() {
        assertThatThrownBy(() -> ResultJson.read("[" + HEAD + "\"metrics\":{\"loss\":NaN,\"acc\":0.5}}, "
                + HEAD + "\"metrics\":{\"f1\":0.9}}]", true))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("result 1, results[0].metrics.loss: must be a finite number, got NaN");
    }

    @Test
    void a_result_left_with_no_metric_is_refused() {
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"loss\":NaN}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("metrics: has no finite metric left once these were dropped: metrics.loss NaN");
    }

    @Test
    void a_numeric_string_is_read_as_its_number_with_a_warning() {
        ParsedResults p = lenient(HEAD + "\"metrics\":{\"f1\":\"0.9\"}}");
        assertThat(p.results().get(0).metrics()).containsEntry("f1", 0.9);
        assertThat(p.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("read as the number 0.9"));
    }

    @Test
    void a_key_given_twice_is_refused_naming_the_key() {
        assertThatThrownBy(() -> lenient("{\"model_version\":\"dupA\",\"model_version\":\"dupB\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"f1\":1}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("model_version: is given twice in one JSON object");
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"f1\":1,\"f1\":2}}"))
                .hasMessageContaining("f1: is given twice");
    }

    @Test
    void a_key_given_twice_is_named_by_its_result_and_its_path_in_it_in_every_form_of_input() {
        String dup = "\"metrics\":{\"f1\":1,\"f1\":2}}";
        assertThatThrownBy(() -> lenient(HEAD + dup)).hasMessageContaining("result 1, results[0].metrics.f1: is given twice");
        assertThatThrownBy(() -> lenient("[" + HEAD + "\"metrics\":{\"f1\":1}}, " + HEAD + dup + "]"))
                .hasMessageContaining("result 2, results[1].metrics.f1: is given twice");
        assertThatThrownBy(() -> lenient("{\"results\": [" + HEAD + "\"metrics\":{\"f1\":1}}, " + HEAD + dup + "]}"))
                .hasMessageContaining("result 2, results[1].metrics.f1: is given twice");
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"f1\":1}}\n" + HEAD + "\"metrics\":{\"f1\":1}}\n" + HEAD + dup))
                .hasMessageContaining("result 3, results[2].metrics.f1: is given twice in one JSON object (line 3, column");
        assertThatThrownBy(() -> lenient("{\"results\": [" + HEAD + "\"metrics\":{\"f1\":1}}], \"metric_definitions\": "
                + "{\"f1\": {\"direction\": \"higher_is_better\", \"direction\": \"lower_is_better\"}}}"))
                .hasMessageContaining("metric_definitions.f1.direction: is given twice")
                .hasMessageNotContaining("[0]");
    }

    @Test
    void a_lone_surrogate_is_refused_not_rewritten() {
        assertThatThrownBy(() -> lenient("{\"model_version\":\"lone\\ud800x\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1}}"))
                .hasMessageContaining("model_version: holds a lone surrogate \\uD800");
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"f1\":1},\"metadata\":{\"k\":\"\\udc00\"}}"))
                .hasMessageContaining("metadata.k holds a lone surrogate");
    }

    @Test
    void surrounding_whitespace_and_control_characters_are_refused_in_every_name() {
        assertThatThrownBy(() -> lenient("{\"model_version\":\"trail \",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}"))
                .hasMessageContaining("model_version: has whitespace at the start or end");
        assertThatThrownBy(() -> lenient("{\"model_version\":\"bel\\u0007\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}"))
                .hasMessageContaining("model_version: holds the control character U+0007");
        assertThatThrownBy(() -> lenient(HEAD + "\"environment\":\" prod\",\"metrics\":{\"f1\":0.5}}"))
                .hasMessageContaining("environment: has whitespace");
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"f1\":0.5},\"tags\":{\"k\":\"a\\u0000b\"}}"))
                .hasMessageContaining("tags.k: holds the control character U+0000");
    }

    @Test
    void notes_may_span_lines() {
        BenchmarkResult r = lenient(HEAD + "\"metrics\":{\"f1\":0.5},\"notes\":\"line one\\nline two\"}").results().get(0);
        assertThat(r.notes()).isEqualTo("line one\nline two");
    }

    @Test
    void metric_definitions_beside_results_are_parsed_and_carried() {
        ParsedResults p = lenient("{\"results\":[" + HEAD + "\"metrics\":{\"eval/loss\":2.4,\"acc,none\":0.6}}],"
                + "\"metric_definitions\":{\"eval/loss\":{\"direction\":\"lower_is_better\",\"unit\":\"nats\","
                + "\"min_effect\":0.05},\"acc,none\":{\"direction\":\"higher_is_better\"},\"epoch\":{\"direction\":\"none\"}}}");
        assertThat(p.results()).hasSize(1);
        assertThat(p.definitions()).containsOnlyKeys("eval/loss", "acc,none", "epoch");
        assertThat(p.definitions().get("eval/loss"))
                .isEqualTo(new MetricDefinition("eval/loss", MetricDirection.LOWER_IS_BETTER, "nats", 0.05, null));
        assertThat(p.definitions().get("epoch").direction()).isEqualTo(MetricDirection.NONE);
    }

    @Test
    void bad_metric_definitions_are_refused_naming_each_field() {
        assertThatThrownBy(() -> lenient("{\"results\":[" + HEAD + "\"metrics\":{\"f1\":1}}],"
                + "\"metric_definitions\":{\"f1\":{\"direction\":\"up\",\"min_effect\":-1,\"colour\":\"red\"},"
                + "\"loss\":{\"unit\":\"nats\"}}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("metric_definitions.f1.direction: unknown direction 'up'")
                .hasMessageContaining("metric_definitions.f1.min_effect: " + dev.benchmon.MinEffect.RULE + ", got -1")
                .hasMessageContaining("metric_definitions.f1.colour: unknown field")
                .hasMessageContaining("metric_definitions.loss.direction: is required");
    }

    @Test
    void declaring_a_metric_unknown_is_refused_saying_what_to_declare_instead() {
        assertThatThrownBy(() -> lenient("{\"results\":[" + HEAD + "\"metrics\":{\"f1\":1}}],"
                + "\"metric_definitions\":{\"f1\":{\"direction\":\"unknown\"}}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("metric_definitions.f1.direction: 'unknown' is what benchmon reports for a metric nobody declared")
                .hasMessageContaining("declare higher_is_better, lower_is_better, or none");
    }

    @Test
    void an_unknown_field_beside_results_is_refused() {
        assertThatThrownBy(() -> lenient("{\"results\":[" + HEAD + "\"metrics\":{\"f1\":1}}],\"version\":2}"))
                .hasMessageContaining("version: unknown field beside \"results\"");
    }

    @Test
    void a_result_without_key_run_id_or_run_at_gets_a_key_from_its_content() {
        BenchmarkResult a = lenient(HEAD + "\"metrics\":{\"f1\":0.5},\"metadata\":{\"x\":1,\"y\":{\"b\":1,\"a\":2}}}").results().get(0);
        BenchmarkResult sameInOtherOrder = lenient("{\"metadata\":{\"y\":{\"a\":2,\"b\":1},\"x\":1},\"metrics\":{\"f1\":0.5},"
                + "\"dataset_version\":\"d\",\"model_version\":\"m\"}").results().get(0);
        BenchmarkResult other = lenient(HEAD + "\"metrics\":{\"f1\":0.5},\"tags\":{\"seed\":\"2\"}}").results().get(0);
        assertThat(IdempotencyKeys.keyFor(a)).startsWith("content:sha256:").isEqualTo(IdempotencyKeys.keyFor(sameInOtherOrder));
        assertThat(IdempotencyKeys.keyFor(other)).isNotEqualTo(IdempotencyKeys.keyFor(a));
    }

    @Test
    void keys_of_results_with_a_run_id_are_unchanged_from_version_one() {
        BenchmarkResult r = BenchmarkResult.builder("m", "d").runId("ci-1").metric("f1", 0.9).build();
        assertThat(IdempotencyKeys.keyFor(r)).isEqualTo(
                "sha256:" + sha256("benchmon/v1|4:ci-1|1:m|1:d|0:|5:local|-|6:f1=0.9"));
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @CsvSource({"18446744073709551621, 18446744073709551621", "9223372036854775808, 9223372036854775808",
            "9000000000000000, 9000000000000000", "1e16, 1.0E16"})
    void a_sample_size_beyond_any_count_is_refused_not_wrapped_around(String value, String named) {
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"f1\":0.5},\"n\":{\"f1\":" + value + "}}"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.field()).isEqualTo("n.f1");
                            assertThat(p.message()).isEqualTo("is beyond any count of examples (at most 9e15), got " + named);
                        }));
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"f1\":0.5},\"n\":" + value + "}"))
                .hasMessageContaining("n: is beyond any count of examples (at most 9e15), got " + named);
    }

    /** 393 zeros: after "1234567", a whole number of 400 digits. */
    private static final String ZEROS_393 = "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000000000000";

    @ParameterizedTest
    @CsvSource({"1e400, 1e400", "-1e400, -1e400", "1e101, 1.0E101", "'\"1e400\"', 1e400",
            // a whole number of 400 digits, which Jackson reads as a BigInteger
            "1234567" + ZEROS_393 + ", 1.23457e399"})
    void a_metric_beyond_1e100_is_refused_in_lenient_mode_naming_the_value_as_written(String value, String named) {
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"f1\":" + value + ",\"a\":1}}"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.field()).isEqualTo("metrics.f1");
                            assertThat(p.message()).startsWith("must be at most 1e100 in magnitude, got " + named + " ")
                                    .doesNotContain("Infinity");
                        }));
    }

    @Test
    void a_metric_beyond_double_range_is_refused_in_strict_mode_as_too_large_not_as_infinity() {
        assertThatThrownBy(() -> ResultJson.read(HEAD + "\"metrics\":{\"f1\":1e400}}", true))
                .hasMessageContaining("metrics.f1: must be at most 1e100 in magnitude, got 1e400")
                .hasMessageNotContaining("Infinity").hasMessageNotContaining("no finite metric");
    }

    @Test
    void a_stderr_beyond_double_range_is_refused_as_too_large_and_its_metric_named_once() {
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"f1\":1e400},\"stderr\":{\"f1\":0.1},\"n\":{\"f1\":9}}"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.field()).isEqualTo("metrics.f1")));
        assertThatThrownBy(() -> lenient(HEAD + "\"metrics\":{\"f1\":0.5},\"stderr\":{\"f1\":1e400}}"))
                .hasMessageContaining("stderr.f1: must be at most 1e100 in magnitude, got 1e400")
                .hasMessageNotContaining("Infinity");
    }

    @Test
    void the_spelling_infinity_is_still_dropped_with_a_warning_in_lenient_mode() {
        ParsedResults p = lenient(HEAD + "\"metrics\":{\"f1\":Infinity,\"a\":1}}");
        assertThat(p.results().get(0).metrics()).containsOnlyKeys("a");
        assertThat(p.warnings()).singleElement().satisfies(w -> assertThat(w.message()).startsWith("value Infinity dropped"));
    }

    @Test
    void a_streamed_input_refuses_a_metric_beyond_double_range_as_too_large() {
        try (JsonResultReader reader = new JsonResultReader(new java.io.StringReader(
                "[" + HEAD + "\"metrics\":{\"f1\":1e400,\"a\":1}}]"))) {
            java.util.List<ValidationException.Problem> problems = new java.util.ArrayList<>();
            assertThat(ResultJson.fromNode(reader.next(), 0, false, problems, new java.util.ArrayList<>())).isNull();
            assertThat(problems).singleElement().satisfies(p -> assertThat(p.message())
                    .startsWith("must be at most 1e100 in magnitude, got 1e400"));
        }
    }

    @Test
    void truncated_json_says_which_object_is_not_closed_in_lines_and_columns() {
        assertThatThrownBy(() -> lenient("[" + HEAD + "\"metrics\":{\"f1\":1}}, {\"model_version\":\"m\""))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).contains("the JSON ends before the object that starts at "
                                + "line 1, column 66 is closed").doesNotContain("Source", "REDACTED", "StreamReadFeature",
                                "marker", "end-of-input")));
    }

    /**
     * JSON that ends too soon is placed where its content ends, on its last line that holds something, as its writer sees
     * it: not after the line break an editor ends a file with (line 2, column 1), nor after blank lines.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cutShort")
    void json_that_ends_too_soon_is_placed_at_the_end_of_its_content(String form, String json, String place) {
        assertThatThrownBy(() -> ResultJson.readRoots(json)).hasMessageContaining("body: is not valid JSON: ")
                .hasMessageEndingWith("(" + place + ")");
    }

    /** As {@link #json_that_ends_too_soon_is_placed_at_the_end_of_its_content}, for a streamed input read in any pieces. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cutShort")
    void a_streamed_input_that_ends_too_soon_is_placed_at_the_end_of_its_content(String form, String json, String place) {
        for (java.io.Reader in : java.util.List.of(new java.io.StringReader(json), oneCharAtATime(json))) {
            try (JsonResultReader reader = new JsonResultReader(in)) {
                assertThatThrownBy(() -> reader.forEachRemaining(r -> { }))
                        .hasMessageContaining("body: is not valid JSON: ").hasMessageEndingWith("(" + place + ")");
            }
        }
    }

    /** JSON cut short, and where its content ends. */
    static java.util.stream.Stream<Arguments> cutShort() {
        return java.util.stream.Stream.of(
                Arguments.of("no line break after it", "{\"a\":1", "line 1, column 7"),
                Arguments.of("a line break after it", "{\"a\":1\n", "line 1, column 7"),
                Arguments.of("blank lines and spaces after it", "{\"a\":1\n\n  \t\n", "line 1, column 7"),
                Arguments.of("CR LF line breaks", "{\"a\":\r\n  [1,2\r\n\r\n", "line 2, column 7"),
                Arguments.of("lone CR line breaks", "{\"a\":\r  [1,2\r\r", "line 2, column 7"),
                Arguments.of("a string cut off", "{\"a\":\n\"text\n", "line 2, column 6"),
                // Spaces at the end of a string cut off are its own characters: its content ends after them.
                Arguments.of("a string cut off after spaces", "{\"model_version\": \"abc   ", "line 1, column 26"),
                Arguments.of("a field name cut off after spaces", "{\"a\": 1, \"b   ", "line 1, column 15"),
                Arguments.of("a string cut off after an escaped backslash and spaces", "{\"a\": \"b\\\\   ", "line 1, column 14"),
                Arguments.of("spaces after a string closed, its escaped quote not the close", "{\"a\": \"b\\\"c\"   ",
                        "line 1, column 13"),
                Arguments.of("JSON Lines whose last line is cut off", "{\"a\":1}\n{\"a\":{\"b\":2\n", "line 2, column 12"));
    }

    /** {@code text} handed out one character a read: each line break and its content in a read of its own. */
    private static java.io.Reader oneCharAtATime(String text) {
        return new java.io.FilterReader(new java.io.StringReader(text)) {
            @Override
            public int read(char[] buffer, int offset, int length) throws java.io.IOException {
                return super.read(buffer, offset, Math.min(length, 1));
            }
        };
    }

    /** Each malformed body beside what its writer reads (delimiter |): the change to make, not the parser's words. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"model_version\": \"m|the JSON ends inside a string: its closing double quote is missing",
            "{\"model_vers|the JSON ends inside a field name: its closing double quote is missing",
            "{\"metrics\": {\"f1\": 07}}|a number must not start with 0 (write 7, not 07)",
            "{\"metrics\": {\"f1\": -x}}|a digit must follow '-' in a number",
            "{\"metrics\": {\"f1\": 1.x}}|a digit must follow the decimal point in a number",
            "{\"metrics\": [1, 2}|'}' where ']' must first close the array that is open",
            "{\"metrics\": {\"f1\": 1]}|']' where '}' must first close the object that is open",
            "{\"a\": 1}}|'}' closes nothing: no object is open here (one '}' too many?)",
            "{'model_version': 1}|a field name must be in double quotes, not single quotes",
            "{\"notes\": \"a\\qb\"}|'\\q' is not a JSON escape",
    })
    void malformed_json_is_explained_in_the_words_of_its_writer(String json, String explained) {
        assertThatThrownBy(() -> lenient(json))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).contains(explained)
                                .doesNotContain("Source", "Unexpected", "was expecting", "code ")));
    }

    @Test
    void json_nested_too_deep_says_how_deep_it_may_be_without_the_parsers_setting() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThatThrownBy(() -> lenient(deep))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).contains("nested deeper than 1000 levels")
                                .doesNotContain("StreamReadConstraints", "`")));
        try (JsonResultReader reader = new JsonResultReader(new java.io.StringReader(deep))) {
            assertThatThrownBy(reader::hasNext).hasMessageContaining("nested deeper than 1000 levels")
                    .hasMessageNotContaining("StreamReadConstraints");
        }
    }
}
