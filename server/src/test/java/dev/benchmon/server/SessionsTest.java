package dev.benchmon.server;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's sign-in sessions: they end idle, at their lifetime, on close, and when too many are open. */
class SessionsTest {
    private static final Duration IDLE = Duration.ofMinutes(20);
    private static final Duration LIFETIME = Duration.ofHours(1);

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();

    @Test
    void aSessionInUseIsValidUntilItsLifetimeEnds() {
        Sessions sessions = new Sessions(IDLE, LIFETIME, 10, clock);
        String id = sessions.open().orElseThrow();
        Instant end = clock.instant().plus(LIFETIME);

        while (clock.instant().plus(IDLE).isBefore(end)) {
            clock.advance(IDLE.minusSeconds(1));
            assertThat(sessions.valid(id)).as("used again within the idle timeout, at %s", clock.instant()).isTrue();
        }
        clock.advance(Duration.between(clock.instant(), end).minusSeconds(1));
        assertThat(sessions.valid(id)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.valid(id)).as("at its lifetime, however much it was used").isFalse();
    }

    @Test
    void aSessionUnusedForTheIdleTimeoutEnds() {
        Sessions sessions = new Sessions(IDLE, LIFETIME, 10, clock);
        String used = sessions.open().orElseThrow();
        String idle = sessions.open().orElseThrow();

        clock.advance(IDLE.minusSeconds(1));
        assertThat(sessions.valid(used)).isTrue();
        clock.advance(Duration.ofSeconds(1));

        assertThat(sessions.valid(idle)).isFalse();
        assertThat(sessions.valid(used)).as("its last use restarted its idle time").isTrue();
    }

    @Test
    void theServersSessionsEndAfterTwelveHoursIdleAndSevenDaysInAll() {
        assertThat(Sessions.IDLE_TIMEOUT).isEqualTo(Duration.ofHours(12));
        assertThat(Sessions.ABSOLUTE_LIFETIME).isEqualTo(Duration.ofDays(7));
        assertThat(new Sessions().maxAgeSeconds()).isEqualTo(7 * 24 * 3600);
    }

    @Test
    void openingASessionDropsTheExpiredOnes() {
        Sessions sessions = new Sessions(IDLE, LIFETIME, 10, clock);
        sessions.open();
        sessions.open();
        clock.advance(LIFETIME);

        String fresh = sessions.open().orElseThrow();

        assertThat(sessions.size()).isEqualTo(1);
        assertThat(sessions.valid(fresh)).isTrue();
    }

    @Test
    void atTheCapASignInEndsNoLiveSessionButIsRefused() {
        Sessions sessions = new Sessions(IDLE, LIFETIME, 3, clock);
        String oldest = sessions.open().orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        String second = sessions.open().orElseThrow();
        String third = sessions.open().orElseThrow();

        assertThat(sessions.open()).isEmpty();

        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.valid(oldest)).isTrue();
        assertThat(sessions.valid(second)).isTrue();
        assertThat(sessions.valid(third)).isTrue();
    }

    @Test
    void atTheCapASignInDropsTheSessionsLeftIdleNotTheOldest() {
        Sessions sessions = new Sessions(IDLE, LIFETIME, 3, clock);
        String oldest = sessions.open().orElseThrow();
        String idle = sessions.open().orElseThrow();
        String third = sessions.open().orElseThrow();
        clock.advance(IDLE.minusMinutes(1));
        sessions.valid(oldest);
        sessions.valid(third);
        clock.advance(Duration.ofMinutes(1));

        String fourth = sessions.open().orElseThrow();

        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.valid(idle)).isFalse();
        assertThat(sessions.valid(oldest)).isTrue();
        assertThat(sessions.valid(third)).isTrue();
        assertThat(sessions.valid(fourth)).isTrue();
    }

    @Test
    void manySignInsNeverHoldMoreThanTheCapNorEndTheFirstSession() {
        Sessions sessions = new Sessions(IDLE, LIFETIME, 50, clock);
        String someoneElses = sessions.open().orElseThrow();

        for (int i = 0; i < 1_000; i++) {
            sessions.open();
        }

        assertThat(sessions.size()).isEqualTo(50);
        assertThat(sessions.valid(someoneElses)).isTrue();
    }

    @Test
    void aClosedSessionIsNoLongerValid() {
        Sessions sessions = new Sessions(IDLE, LIFETIME, 10, clock);
        String id = sessions.open().orElseThrow();

        sessions.close(id);
        sessions.close(null);
        sessions.close("unknown");

        assertThat(sessions.valid(id)).isFalse();
    }
}
