package dev.benchmon;

/**
 * How benchmon names a series in text (alerts, verdicts, chart marks, CLI output): {@code model / dataset @environment},
 * with {@code / prompt} after the dataset when the series has a prompt version. The SQL that names series for chart
 * marks ({@code ChartMarksQuery}) writes the same text.
 */
public final class SeriesLabel {
    private SeriesLabel() {
    }

    /** {@code model / dataset / prompt @environment}; an empty {@code prompt} (no prompt) is left out. */
    public static String of(String model, String dataset, String prompt, String environment) {
        return model + " / " + dataset + (prompt == null || prompt.isEmpty() ? "" : " / " + prompt) + " @" + environment;
    }
}
