package dev.benchmon.alert;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "A mute covers a metric at T" is stated twice, once per language: Java's {@link Mute#covers} (the server's answers
 * and pages) and the database's {@code mute_covers} (unmute_series, annotate_run, {@link Annotations#isMuted}). They
 * must agree: the same mutes, metrics and instants, asked of both.
 */
class MuteCoversTest {
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant ENDED = Instant.parse("2026-03-03T00:00:00Z");
    private static final Instant EXPIRY = Instant.parse("2026-03-08T00:00:00Z");

    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();
    private int series;

    @BeforeEach
    void aSeriesWithMutesOfTheWholeSeriesOfF1AndOfF2EndedEarly() {
        bm.record(BenchmarkResult.builder("m", "d").metric("f1", 0.9).metric("f2", 0.8).build());
        series = bm.jdbi().withHandle(h -> h.createQuery("SELECT id FROM series").mapTo(Integer.class).one());
        bm.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO series_mutes (series_id, metric, reason, actor, starts_at, expires_at, ended_at, ended_by)
                        VALUES (:s, NULL, 'runner migration', 'ana', :start, :expiry, NULL, NULL),
                               (:s, 'f1', 'flaky f1', 'ana', :start, :expiry, NULL, NULL),
                               (:s, 'f2', 'flaky f2', 'ana', :start, :expiry, :ended, 'bo')""")
                .bind("s", series).bind("start", utc(START)).bind("expiry", utc(EXPIRY)).bind("ended", utc(ENDED))
                .execute());
    }

    @Test
    void java_and_the_database_agree_on_which_mute_covers_which_metric_when() {
        List<Instant> instants = List.of(START.minusSeconds(1), START, START.plusSeconds(3600), ENDED.minusSeconds(1),
                ENDED, EXPIRY.minusSeconds(1), EXPIRY, EXPIRY.plusSeconds(1));
        List<String> java = new ArrayList<>();
        List<String> database = new ArrayList<>();
        for (Mute m : bm.annotations().mutes(series, null)) {
            for (String metric : List.of("f1", "f2", "f3")) {
                for (Instant at : instants) {
                    String the = "mute " + m.id() + " (" + m.metric() + ") of " + metric + " at " + at + ": ";
                    java.add(the + m.covers(metric, at));
                    database.add(the + bm.jdbi().withHandle(h -> h.createQuery(
                                    "SELECT mute_covers(m, :metric, :at) FROM series_mutes m WHERE m.id = :id")
                            .bind("id", m.id()).bind("metric", metric).bind("at", utc(at)).mapTo(Boolean.class).one()));
                }
            }
        }

        assertThat(database).containsExactlyElementsOf(java);
        // not agreement by saying the same thing everywhere: each answer is given somewhere
        assertThat(java).anyMatch(s -> s.endsWith("true")).anyMatch(s -> s.endsWith("false"));
    }

    @Test
    void a_mute_of_the_whole_series_covers_every_metric_and_a_metric_s_mute_only_its_own_while_in_force() {
        Instant during = START.plusSeconds(3600);
        List<Mute> mutes = bm.annotations().mutes(series, null); // newest first: f2's (ended), f1's, the series'

        assertThat(mutes.get(2).covers("f3", during)).as("the whole series").isTrue();
        assertThat(mutes.get(1).covers("f1", during)).isTrue();
        assertThat(mutes.get(1).covers("f2", during)).as("another metric's").isFalse();
        assertThat(mutes.get(1).covers("f1", EXPIRY)).as("at its end").isFalse();
        assertThat(mutes.get(0).covers("f2", ENDED)).as("ended early").isFalse();
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
