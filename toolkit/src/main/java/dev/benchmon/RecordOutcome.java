package dev.benchmon;

/**
 * What happened to one recorded result.
 *
 * @param index         its position in the batch (0-based)
 * @param transactionId the id of its row in the log
 * @param created       {@code true} if it was stored now; {@code false} if its idempotency key was
 *                      already present, in which case nothing changed
 */
public record RecordOutcome(int index, long transactionId, boolean created) {
    @Override
    public String toString() {
        return "#" + index + " -> transaction " + transactionId + (created ? " (stored)" : " (already present)");
    }
}
