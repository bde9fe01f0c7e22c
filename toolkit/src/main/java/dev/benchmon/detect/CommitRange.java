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
    private CommitRange() {
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
