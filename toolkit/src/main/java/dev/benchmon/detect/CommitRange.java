package dev.benchmon.detect;

/**
 * How benchmon writes the commit range of a change, for {@code /api/v1/regressions} ({@link MetricJudgement},
 * {@link ChangePoint}) and for alerts ({@code dev.benchmon.alert.Alert}) alike: {@code before..after}, from the last
 * run before the change to its first run, each end the run's full commit SHA or, for a run without a commit,
 * {@code id } and the run's id ({@code benchmark_transactions.id}), e.g. {@code abc..def}, {@code id 11..id 12},
 * {@code id 11..def}. Empty when either run is unknown. Built here only, so that push, {@code benchmon alerts list},
 * the API, webhooks and pages say the same; {@code id 11} rather than {@code #11}, which beside push's
 * {@code result 7 (id 2198)} and an alert's {@code alert #3} could be read as a position or an alert number.
 */
public final class CommitRange {
    /**
     * How many characters of a commit SHA a range shown for reading keeps: 12, git's own choice for large repositories
     * ({@code core.abbrev} grows past 7 as a repository grows, and the Linux kernel asks for 12). benchmon cannot ask the
     * repository which prefix is unique, so it keeps one that stays unique in large ones; 7 already collides there.
     * JSON answers ({@code commit_range}) keep the whole SHAs.
     */
    public static final int SHORT_SHA = 12;

    /** A whole SHA-1 or SHA-256 commit id in text (40 or 64 lowercase hex digits). */
    private static final java.util.regex.Pattern WHOLE_SHA =
            java.util.regex.Pattern.compile("\\b([0-9a-f]{" + SHORT_SHA + "})(?:[0-9a-f]{28}|[0-9a-f]{52})\\b");

    private CommitRange() {
    }

    /**
     * A range end as shown for reading: a commit SHA cut to its first {@value #SHORT_SHA} characters; a shorter one, and
     * a run's {@code id 11}, whole; {@code null} for {@code null}. The one shortening of push's, {@code benchmon alerts
     * list}'s, the verdicts' and the dashboard's commits.
     */
    public static String shortRef(String ref) {
        if (ref == null || ref.startsWith("id ")) {
            return ref;
        }
        return ref.length() > SHORT_SHA ? ref.substring(0, SHORT_SHA) : ref;
    }

    /** A range {@code before..after} ({@link #of}) with each end shown for reading ({@link #shortRef}); "" for null. */
    public static String shortened(String range) {
        if (range == null) {
            return "";
        }
        int dots = range.indexOf("..");
        return dots < 0 ? shortRef(range) : shortRef(range.substring(0, dots)) + ".." + shortRef(range.substring(dots + 2));
    }

    /** {@code text} with every whole commit SHA in it cut as {@link #shortRef} cuts it (a change point's words). */
    public static String shortenedIn(String text) {
        return text == null ? "" : WHOLE_SHA.matcher(text).replaceAll("$1");
    }

    /**
     * A run as a commit range names it: its commit SHA, else {@code id transactionId}; {@code null} when neither is
     * known.
     */
    public static String ref(String commitSha, Long transactionId) {
        if (commitSha != null && !commitSha.isEmpty()) {
            return commitSha;
        }
        return transactionId == null ? null : "id " + transactionId;
    }

    /** The range from {@code before} (the last run before the change) to {@code after}; empty when either is null. */
    public static String of(Observation before, Observation after) {
        return before == null || after == null ? ""
                : of(before.commitSha(), before.transactionId(), after.commitSha(), after.transactionId());
    }

    /** The range between two runs, each given by its commit SHA and its id (either may be null; {@link #ref}). */
    public static String of(String beforeSha, Long beforeTx, String afterSha, Long afterTx) {
        String from = ref(beforeSha, beforeTx);
        String to = ref(afterSha, afterTx);
        return from == null || to == null ? "" : from + ".." + to;
    }
}
