package dev.benchmon.detect;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a change starts, in words: the one wording of verdicts, change points, alerts and chart marks. With a commit on
 * both sides, {@code since commit abc1234..def5678}, each SHA cut to {@value CommitRange#SHORT_SHA} characters (whole
 * SHAs in chart marks' hover text); with a commit on the first
 * run of the change only, {@code since commit def5678 (the run of 2026-11-28 14:03 UTC)}; otherwise
 * {@code since the run of 2026-11-28 14:03 UTC}, the first
 * run of the change by its time, as the series page lists runs (run ids are internal: {@code id 2197..id 2198} read as
 * commits that do not exist).
 */
public final class ChangeSince {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ChangeSince() {
    }

    /** The start of the change from the last run before it to the first run of it. */
    static String of(Observation lastBefore, Observation firstAfter) {
        return of(lastBefore.commitSha(), firstAfter.commitSha(), firstAfter.runAt());
    }

    /**
     * @param commitBefore the last commit before the change, or {@code null}
     * @param commitAfter  the first commit of it, or {@code null}
     * @param firstRunAt   when the first run of the change ran, or {@code null}
     * @return the words, or empty when neither the commits nor the time are known
     */
    static String of(String commitBefore, String commitAfter, Instant firstRunAt) {
        return of(commitBefore, commitAfter, firstRunAt, false);
    }

    /**
     * {@link #of(String, String, Instant)} with the commits' SHAs whole when {@code whole}, else as a range is shown for
     * reading ({@link CommitRange#shortRef}).
     */
    static String of(String commitBefore, String commitAfter, Instant firstRunAt, boolean whole) {
        if (known(commitBefore) && known(commitAfter)) {
            return "since commit " + (whole ? commitBefore : CommitRange.shortRef(commitBefore)) + ".."
                    + (whole ? commitAfter : CommitRange.shortRef(commitAfter));
        }
        if (known(commitAfter)) { // the run before has no commit: the change's own commit still names where it starts
            String commit = "since commit " + (whole ? commitAfter : CommitRange.shortRef(commitAfter));
            return firstRunAt == null ? commit : commit + " (the run of " + MINUTES.format(firstRunAt) + ")";
        }
        return firstRunAt == null ? "" : "since the run of " + MINUTES.format(firstRunAt);
    }

    /**
     * A start as {@link #of} words it (group 1: its commits): {@code since commit abc1234..def5678}, {@code since commit def5678
     * (the run of 2026-11-28 14:03 UTC)} or {@code since the run of 2026-11-28 14:03 UTC}. (A SHA holds no space or comma.)
     */
    private static final Pattern WORDED = Pattern.compile(
            "since commit ([^\\s,]+)(?: \\(the run of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\))?"
                    + "|since the run of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC");

    /**
     * The verdict of an alert while the run it opened on ({@code openedOn}) is excluded and it names a later run of its
     * change ({@code persistsFrom}): its start worded anew, from {@code commitBefore} to {@code commitAfter} (whose run
     * ran at {@code firstRunAt}), as {@link #of} words it, with whole SHAs when {@code words} has them; and its figures,
     * which stay the opening run's, labelled so: {@code f1 regression: -10.0 points (26.2 sd), since commit c9..c10}
     * becomes {@code f1 regression since commit c9..c11; opened on run 35 at -10.0 points (26.2 sd), excluded since: the
     * change persists from run 36}. Words whose start or figures cannot be told apart keep their order and say
     * {@code ...; opened on run 35 with these figures, excluded since: ...}.
     *
     * @return the words restated, {@code null} for {@code null}
     */
    public static String restated(String words, String commitBefore, String commitAfter, Instant firstRunAt,
                                  long openedOn, long persistsFrom) {
        if (words == null) {
            return null;
        }
        String excluded = "excluded since: the change persists from run " + persistsFrom;
        Matcher m = WORDED.matcher(words);
        if (!m.find()) {
            return words + "; opened on run " + openedOn + " with these figures, " + excluded;
        }
        String since = of(commitBefore, commitAfter, firstRunAt, whole(m.group(1)));
        if (since.isEmpty()) {
            since = m.group();
        }
        int colon = words.indexOf(": ");
        if (colon < 0 || colon > m.start()) {
            return words.substring(0, m.start()) + since + words.substring(m.end()) + "; opened on run " + openedOn
                    + " with these figures, " + excluded;
        }
        // the figures around the start: "-10.0 points (20.1 sd), level 0.9 -> 0.8, " and ", confidence 0.999"
        String figures = (words.substring(colon + 2, m.start()).replaceFirst(",\\s*$", "") + words.substring(m.end()))
                .replaceFirst("^,\\s*", "");
        return words.substring(0, colon) + " " + since + "; opened on run " + openedOn
                + (figures.isEmpty() ? "" : " at " + figures) + ", " + excluded;
    }

    /**
     * Whether a worded start's commits ({@code c9..c10}, {@code abc1234}) are whole SHAs rather than shortened ones: longer
     * than {@link CommitRange#SHORT_SHA} (words stored when they were cut to 7 count as shortened too).
     */
    private static boolean whole(String commits) {
        return commits != null && commits.split("\\.\\.", 2)[0].length() > CommitRange.SHORT_SHA;
    }

    private static boolean known(String commit) {
        return commit != null && !commit.isEmpty();
    }
}
