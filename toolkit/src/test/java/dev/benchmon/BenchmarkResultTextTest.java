package dev.benchmon;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A result's one line ({@code toString}) names its commit as push, alerts and the dashboard do: 12 characters. */
class BenchmarkResultTextTest {
    @Test
    void a_results_line_names_its_commit_by_the_12_characters_every_other_commit_is_shown_by() {
        String sha = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
        BenchmarkResult r = BenchmarkResult.builder("m", "d").metric("f1", 0.9).commitSha(sha).build();

        assertThat(r.toString()).contains(", commit=0a1b2c3d4e5f]")
                .contains(dev.benchmon.detect.CommitRange.shortRef(sha)).doesNotContain(sha.substring(0, 13));
    }

    @Test
    void a_short_commit_is_named_whole() {
        BenchmarkResult r = BenchmarkResult.builder("m", "d").metric("f1", 0.9).commitSha("abc123").build();

        assertThat(r.toString()).contains(", commit=abc123]");
    }
}
