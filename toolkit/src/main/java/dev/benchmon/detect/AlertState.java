package dev.benchmon.detect;

/**
 * What the detector remembers between runs of one series and metric so that one shift gives one
 * alert: the first run of the last shift it alerted on, and that shift's sign (+1 up, -1 down).
 * Stored with the verdict ({@code detection_verdicts.alerted_shift_tx}).
 *
 * @param shiftStartTx transaction id of the first run of the last alerted shift, or 0 for none
 * @param shiftSign    +1 when that shift went up, -1 when down, 0 for none
 */
public record AlertState(long shiftStartTx, int shiftSign) {
    public static final AlertState NONE = new AlertState(0, 0);
}
