package dev.benchmon.alert;

import java.time.Instant;

/**
 * A note on a run, or its exclusion ({@code excluded}) or re-inclusion ({@code included}).
 *
 * @param kind note, excluded or included
 * @param text the note, or the reason
 */
public record RunAnnotation(long id, long transactionId, int seriesId, String kind, String text, String actor,
                            Instant at) {
}
