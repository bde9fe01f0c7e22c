package dev.benchmon.ingest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The names closest to a mistyped one, for refusals that name what was meant: a command line's option or command,
 * a result's field ({@code metrcs}: did you mean metrics?).
 */
public final class ClosestNames {
    private ClosestNames() {
    }

    /** The most names a word may begin and still be suggested: a word that begins more is too short to guess from. */
    static final int MOST_NAMES_BEGUN = 2;

    /**
     * " (did you mean X?)" naming the {@code choices} closest to {@code typed} (at most one letter in three differs: a
     * letter left out, added, changed, or two swapped); else, when none is, those {@code typed} is the first whole
     * words of (at most {@value #MOST_NAMES_BEGUN}: {@code dataset} for dataset_version, {@code model} for
     * model_version or model_provider); else "".
     */
    public static String didYouMean(String typed, Collection<String> choices) {
        List<String> closest = closest(typed, choices);
        return closest.isEmpty() || closest.contains(typed) ? "" : " (did you mean " + String.join(" or ", closest) + "?)";
    }

    /**
     * The {@code choices} closest to {@code typed}, as {@link #didYouMean} names them (it adds nothing when
     * {@code typed} is among them): empty when none is close.
     */
    public static List<String> closest(String typed, Collection<String> choices) {
        String lower = typed.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, typed.length() / 3);
        int best = limit;
        List<String> closest = new ArrayList<>();
        for (String choice : choices) {
            // The lengths alone differ by more than the limit: no closer. Exact pruning that also bounds the cost of a
            // name from the network (a field name may be 50,000 characters; the table would be length x length).
            if (Math.abs(choice.length() - typed.length()) > limit) {
                continue;
            }
            int d = editDistance(lower, choice.toLowerCase(Locale.ROOT));
            if (d > limit) {
                continue; // more than one letter in three: "add" is not "ack"
            }
            if (d < best) {
                best = d;
                closest.clear();
            }
            if (d == best) {
                closest.add(choice);
            }
        }
        return closest.isEmpty() ? begunBy(typed, choices) : closest;
    }

    /**
     * Those of {@code candidates} that may be metric {@code metric} under another name: the closest
     * ({@link #closest}: {@code acuracy} for accuracy, {@code recall_macro} for recall), but not a sibling: names that
     * differ in their digits alone (p50 and p90, top1 and top5, rouge1 and rouge2) or short ones a letter apart
     * ({@code metric} under 5 characters: acc and auc) are other metrics, reported together or in turn. Empty when
     * none is.
     */
    public static List<String> renamings(String metric, Collection<String> candidates) {
        if (metric.length() < 5) {
            return List.of();
        }
        String letters = metric.replaceAll("\\d", "");
        return closest(metric, candidates).stream().filter(name -> !name.equals(metric)
                && !name.replaceAll("\\d", "").equals(letters)).toList();
    }

    /**
     * The {@code choices} whose first whole words {@code typed} is, ignoring case ({@code model} of model_version, not
     * of modelling; {@code run_at} of run_at_sent): a word ends where {@code _} or {@code -} follows. Empty when
     * {@code typed} does not end a word itself (a lone {@code -} would begin every {@code --option}) or begins more
     * than {@value #MOST_NAMES_BEGUN}. Costs at most the length of {@code typed} per choice, whatever its length.
     */
    private static List<String> begunBy(String typed, Collection<String> choices) {
        List<String> begun = new ArrayList<>();
        if (typed.isEmpty() || !Character.isLetterOrDigit(typed.charAt(typed.length() - 1))) {
            return begun;
        }
        for (String choice : choices) {
            if (choice.length() > typed.length() && choice.regionMatches(true, 0, typed, 0, typed.length())
                    && (choice.charAt(typed.length()) == '_' || choice.charAt(typed.length()) == '-')) {
                begun.add(choice);
            }
        }
        return begun.size() > MOST_NAMES_BEGUN ? List.of() : begun;
    }

    /** Letters left out, added or changed, or neighbours swapped, between {@code a} and {@code b} (Damerau-Levenshtein, restricted). */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int change = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + change);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
