package dev.benchmon.detect;

import dev.benchmon.MetricDirection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The built-in dictionary of common ML and benchmark metric names. A name is split into tokens on
 * {@code _ . / , - :}, spaces and camelCase boundaries, lower-cased, and matched token by token (never
 * as a substring: {@code memory_bandwidth_gbps} is a bandwidth, not a memory size, and {@code rmsd} is
 * not "ms").
 *
 * A ranking cut-off is dropped from a token first: {@code ndcg@10} is an ndcg, {@code recall@k} a recall.
 *
 * <p>Rules, first match wins (the head of a name like {@code eval_wer} or {@code latency_p99_ms} is usually its last
 * meaningful token):
 * <ul>
 *   <li>a token {@code stderr}, {@code stddev} or {@code sem} anywhere: {@link MetricKind#COUNT}; {@code epoch(s)}
 *       anywhere: {@link MetricKind#PROGRESS} (both never judged);</li>
 *   <li>a last meaningful word naming a change of the metric before it, never in that metric's direction:
 *       {@code _degradation}, {@code _regression} (how much it got worse) are lower-is-better
 *       ({@link MetricKind#LOSS}); {@code _drop}, {@code _decrease}, {@code _decline}, {@code _reduction} are
 *       lower-is-better after a higher-is-better metric ({@code accuracy_drop}) and unknown after a lower-is-better
 *       one ({@code loss_drop}); {@code _gap} is unknown ({@code accuracy_gap});</li>
 *   <li>a token of failed items ({@code error(s)}, {@code failure(s)}, {@code failed}, {@code timeout(s)}) with a
 *       count marker ({@code count}, {@code num}, {@code n}, {@code number}, {@code total}) in any order:
 *       {@link MetricKind#ERROR_RATE}, lower-is-better ({@code error_count}, {@code num_errors}, {@code n_failures});</li>
 *   <li>rates ({@code per second}, {@code per_sec}, {@code throughput}, {@code qps}, {@code bandwidth},
 *       {@code gbps}, ...): {@link MetricKind#THROUGHPUT};</li>
 *   <li>then the last token (or pair of tokens: {@code learning_rate}, {@code weight_decay}, {@code batch_size},
 *       {@code cross_entropy}) the tables below know. A generic {@code score} takes the kind of a score, error rate
 *       or loss just before it: {@code brier_score} is a loss, {@code f1_score} a score, {@code brier_skill_score}
 *       a score. Pairs whose direction the field does not agree on ({@code log_score}, {@code energy_score}) are
 *       unknown.</li>
 * </ul>
 * Hyperparameters ({@code lr}, {@code learning_rate}, {@code weight_decay}, {@code warmup_steps}, {@code batch_size},
 * {@code temperature}, {@code seed}) are {@link MetricKind#SETTING} and training progress ({@code epoch},
 * {@code step}, {@code global_step}, {@code iterations}) {@link MetricKind#PROGRESS}: tracked, never judged.
 * Sources for the directions: the metric definitions of Hugging Face {@code evaluate}, lm-evaluation-harness
 * ({@code higher_is_better} per task metric), the HF Trainer's {@code eval_*} names and MLPerf.
 */
public final class MetricDictionary {
    private static final Pattern SPLIT = Pattern.compile("[_./,\\-:\\s]+|(?<=[a-z0-9])(?=[A-Z])");

    private static final Map<String, MetricKind> TOKENS = Map.ofEntries(
            // scores: higher is better
            e("accuracy", MetricKind.SCORE), e("acc", MetricKind.SCORE), e("f1", MetricKind.SCORE),
            e("f1score", MetricKind.SCORE), e("precision", MetricKind.SCORE), e("recall", MetricKind.SCORE),
            e("auc", MetricKind.SCORE), e("auroc", MetricKind.SCORE), e("roc", MetricKind.SCORE),
            e("ap", MetricKind.SCORE), e("map", MetricKind.SCORE), e("mrr", MetricKind.SCORE),
            e("ndcg", MetricKind.SCORE), e("bleu", MetricKind.SCORE), e("sacrebleu", MetricKind.SCORE),
            e("chrf", MetricKind.SCORE), e("rouge", MetricKind.SCORE), e("rouge1", MetricKind.SCORE),
            e("rouge2", MetricKind.SCORE), e("rougel", MetricKind.SCORE), e("rougelsum", MetricKind.SCORE),
            e("meteor", MetricKind.SCORE), e("bertscore", MetricKind.SCORE), e("em", MetricKind.SCORE),
            e("exact", MetricKind.SCORE), e("match", MetricKind.SCORE), e("exactmatch", MetricKind.SCORE),
            e("pass", MetricKind.SCORE), e("score", MetricKind.SCORE),
            e("iou", MetricKind.SCORE), e("miou", MetricKind.SCORE), e("dice", MetricKind.SCORE),
            e("r2", MetricKind.SCORE), e("spearman", MetricKind.SCORE), e("pearson", MetricKind.SCORE),
            e("correlation", MetricKind.SCORE), e("mcc", MetricKind.SCORE), e("kappa", MetricKind.SCORE),
            e("win", MetricKind.SCORE), e("winrate", MetricKind.SCORE), e("hit", MetricKind.SCORE),
            e("hits", MetricKind.SCORE), e("top1", MetricKind.SCORE), e("top5", MetricKind.SCORE),
            e("coverage", MetricKind.SCORE), e("success", MetricKind.SCORE), e("faithfulness", MetricKind.SCORE),
            e("psnr", MetricKind.SCORE), e("ssim", MetricKind.SCORE), e("sensitivity", MetricKind.SCORE),
            e("specificity", MetricKind.SCORE), e("utilization", MetricKind.SCORE), e("speedup", MetricKind.SCORE),
            // error rates: lower is better
            e("wer", MetricKind.ERROR_RATE), e("cer", MetricKind.ERROR_RATE), e("ter", MetricKind.ERROR_RATE),
            e("error", MetricKind.ERROR_RATE), e("errors", MetricKind.ERROR_RATE), e("err", MetricKind.ERROR_RATE),
            e("failure", MetricKind.ERROR_RATE), e("failures", MetricKind.ERROR_RATE), e("fail", MetricKind.ERROR_RATE),
            e("failed", MetricKind.ERROR_RATE),
            e("hallucination", MetricKind.ERROR_RATE), e("toxicity", MetricKind.ERROR_RATE), e("fpr", MetricKind.ERROR_RATE),
            e("fnr", MetricKind.ERROR_RATE), e("eer", MetricKind.ERROR_RATE), e("timeout", MetricKind.ERROR_RATE),
            e("timeouts", MetricKind.ERROR_RATE),
            // not "refusal": a refusal rate on harmful prompts is higher-is-better, on benign ones lower-is-better
            // losses and distances: lower is better
            e("loss", MetricKind.LOSS), e("perplexity", MetricKind.LOSS), e("ppl", MetricKind.LOSS),
            e("mse", MetricKind.LOSS), e("mae", MetricKind.LOSS), e("rmse", MetricKind.LOSS), e("rmsd", MetricKind.LOSS),
            e("mape", MetricKind.LOSS), e("smape", MetricKind.LOSS), e("nll", MetricKind.LOSS), e("bpb", MetricKind.LOSS),
            e("bpc", MetricKind.LOSS), e("fid", MetricKind.LOSS), e("distance", MetricKind.LOSS), e("ece", MetricKind.LOSS),
            e("brier", MetricKind.LOSS), e("divergence", MetricKind.LOSS), e("kl", MetricKind.LOSS),
            e("regret", MetricKind.LOSS), e("residual", MetricKind.LOSS), e("crps", MetricKind.LOSS),
            // times: lower is better
            e("latency", MetricKind.TIME), e("duration", MetricKind.TIME), e("runtime", MetricKind.TIME),
            e("time", MetricKind.TIME), e("elapsed", MetricKind.TIME), e("wall", MetricKind.TIME),
            e("ms", MetricKind.TIME), e("millis", MetricKind.TIME), e("milliseconds", MetricKind.TIME),
            e("us", MetricKind.TIME), e("ns", MetricKind.TIME), e("sec", MetricKind.TIME), e("secs", MetricKind.TIME),
            e("seconds", MetricKind.TIME), e("s", MetricKind.TIME), e("minutes", MetricKind.TIME), e("ttft", MetricKind.TIME),
            e("tpot", MetricKind.TIME), e("p50", MetricKind.TIME), e("p90", MetricKind.TIME), e("p95", MetricKind.TIME),
            e("p99", MetricKind.TIME), e("delay", MetricKind.TIME), e("wait", MetricKind.TIME),
            // rates: higher is better
            e("throughput", MetricKind.THROUGHPUT), e("qps", MetricKind.THROUGHPUT), e("rps", MetricKind.THROUGHPUT),
            e("tps", MetricKind.THROUGHPUT), e("fps", MetricKind.THROUGHPUT), e("bandwidth", MetricKind.THROUGHPUT),
            e("gbps", MetricKind.THROUGHPUT), e("mbps", MetricKind.THROUGHPUT), e("flops", MetricKind.THROUGHPUT),
            e("tflops", MetricKind.THROUGHPUT), e("gflops", MetricKind.THROUGHPUT), e("ops", MetricKind.THROUGHPUT),
            e("iops", MetricKind.THROUGHPUT), e("mfu", MetricKind.THROUGHPUT), e("goodput", MetricKind.THROUGHPUT),
            // costs: lower is better
            e("cost", MetricKind.COST), e("price", MetricKind.COST), e("usd", MetricKind.COST), e("dollars", MetricKind.COST),
            e("spend", MetricKind.COST), e("energy", MetricKind.COST), e("joules", MetricKind.COST), e("watts", MetricKind.COST),
            e("power", MetricKind.COST), e("co2", MetricKind.COST), e("emissions", MetricKind.COST),
            // memory and sizes: lower is better
            e("memory", MetricKind.MEMORY), e("mem", MetricKind.MEMORY), e("rss", MetricKind.MEMORY),
            e("vram", MetricKind.MEMORY), e("bytes", MetricKind.MEMORY), e("kb", MetricKind.MEMORY), e("mb", MetricKind.MEMORY),
            e("gb", MetricKind.MEMORY), e("mib", MetricKind.MEMORY), e("gib", MetricKind.MEMORY), e("size", MetricKind.MEMORY),
            e("footprint", MetricKind.MEMORY), e("allocations", MetricKind.MEMORY), e("allocs", MetricKind.MEMORY),
            // tracked, never judged
            e("stderr", MetricKind.COUNT), e("stddev", MetricKind.COUNT), e("std", MetricKind.COUNT), e("sem", MetricKind.COUNT),
            e("se", MetricKind.COUNT), e("ci", MetricKind.COUNT), e("variance", MetricKind.COUNT), e("var", MetricKind.COUNT),
            e("count", MetricKind.COUNT), e("samples", MetricKind.COUNT), e("examples", MetricKind.COUNT), e("n", MetricKind.COUNT),
            e("num", MetricKind.COUNT),
            // hyperparameters (and, as pairs, learning_rate, weight_decay, batch_size, warmup_steps): never judged
            e("lr", MetricKind.SETTING), e("learning", MetricKind.SETTING), e("temperature", MetricKind.SETTING),
            e("seed", MetricKind.SETTING), e("batch", MetricKind.SETTING), e("warmup", MetricKind.SETTING),
            e("momentum", MetricKind.SETTING), e("dropout", MetricKind.SETTING),
            // training progress: never judged
            e("epoch", MetricKind.PROGRESS), e("epochs", MetricKind.PROGRESS), e("step", MetricKind.PROGRESS),
            e("steps", MetricKind.PROGRESS), e("iteration", MetricKind.PROGRESS), e("iterations", MetricKind.PROGRESS));

    /**
     * Pairs of adjacent tokens whose meaning is not their last token's, checked before it. {@link MetricKind#UNKNOWN}
     * marks a pair whose direction the field does not agree on: the log score is a higher-is-better scoring rule to
     * some (Gneiting and Raftery) and a loss to others (scoringutils); an energy score is a loss as a scoring rule and
     * higher-is-better as an efficiency rating.
     */
    private static final Map<String, MetricKind> PAIRS = Map.ofEntries(
            e("learning rate", MetricKind.SETTING), e("weight decay", MetricKind.SETTING),
            e("batch size", MetricKind.SETTING), e("warmup steps", MetricKind.SETTING),
            e("warmup ratio", MetricKind.SETTING), e("cross entropy", MetricKind.LOSS),
            e("log score", MetricKind.UNKNOWN), e("energy score", MetricKind.UNKNOWN));

    /** A generic last word that the token before it refines when that token is itself a quality measure. */
    private static final Set<String> GENERIC_HEADS = Set.of("score", "scores");
    /** Kinds that refine a generic head: {@code brier_score} is the Brier score, a loss; {@code f1_score} an f1. */
    private static final Set<MetricKind> QUALITY_KINDS = Set.of(MetricKind.SCORE, MetricKind.ERROR_RATE, MetricKind.LOSS);

    /** Last words naming how much a metric got worse, whichever its direction: lower is better. */
    private static final Set<String> WORSENINGS = Set.of("degradation", "regression", "deterioration", "worsening");
    /** Last words naming how much a metric fell: bad for a higher-is-better metric, good for a lower-is-better one. */
    private static final Set<String> FALLS = Set.of("drop", "drops", "decrease", "decline", "reduction");
    /** Last words naming a difference between two values of a metric (groups, splits, models): no direction of its own. */
    private static final Set<String> GAPS = Set.of("gap", "gaps");

    /** Tokens naming failed items, which counted are lower-is-better: {@code error_count}, {@code num_failed}. */
    private static final Set<String> FAILURE_TOKENS = Set.of("error", "errors", "err", "failure", "failures", "fail",
            "failed", "timeout", "timeouts");
    /** Tokens that make a name a count of something. */
    private static final Set<String> COUNT_MARKERS = Set.of("count", "counts", "num", "n", "number", "total");

    /** A ranking cut-off at the end of a token: {@code ndcg@10}, {@code recall@k}, {@code pass@1}. */
    private static final Pattern AT_K = Pattern.compile("@(?:k|\\d+)$");

    /**
     * Tokens that name a share of items (successes or failures out of n): a mean of per-item scores in [0, 1],
     * whose standard error is at most the binomial sqrt(p(1-p)/n). Bounded scores that are not such means
     * ({@code bleu}, {@code auc}, {@code mcc}, {@code ndcg}, {@code psnr}) and rates that can exceed 1 ({@code wer})
     * are not in it.
     */
    private static final Set<String> SHARE_TOKENS = Set.of("accuracy", "acc", "exact", "match", "exactmatch", "em",
            "pass", "top1", "top5", "hit", "hits", "win", "winrate", "success", "f1", "f1score", "precision",
            "recall", "sensitivity", "specificity", "error", "errors", "err", "failure", "failures", "fail", "fpr",
            "fnr", "timeout", "timeouts", "hallucination"); // not "failed": tests_failed counts tests

    /** Kinds whose token anywhere in a name rules out a proportion: {@code time_to_accuracy} is a time. */
    private static final Set<MetricKind> NEVER_SHARES = Set.of(MetricKind.LOSS, MetricKind.TIME, MetricKind.THROUGHPUT,
            MetricKind.COST, MetricKind.MEMORY, MetricKind.COUNT, MetricKind.SETTING, MetricKind.PROGRESS);

    /** Tokens that mark a rate when they follow "per": {@code tokens_per_second}, {@code samples/s}. */
    private static final List<String> PER_TIME = List.of("second", "sec", "s", "minute", "min", "hour", "h", "step");

    private MetricDictionary() {
    }

    private static Map.Entry<String, MetricKind> e(String token, MetricKind kind) {
        return Map.entry(token, kind);
    }

    /**
     * The name's tokens, lower-cased, each without a ranking cut-off {@code @k} / {@code @10}: {@code eval_WER} ->
     * [eval, wer]; {@code evalRuntime} -> [eval, runtime]; {@code ndcg@10} -> [ndcg]; {@code hit_rate@10} -> [hit, rate].
     * (The {@code recall_at_10} form needs no stripping: {@code at} and {@code 10} mean nothing to the tables.)
     */
    public static List<String> tokens(String name) {
        List<String> out = new ArrayList<>();
        for (String t : SPLIT.split(name)) {
            String token = AT_K.matcher(t.toLowerCase(Locale.ROOT)).replaceFirst("");
            if (!token.isEmpty()) {
                out.add(token);
            }
        }
        return out;
    }

    /**
     * Whether the name alone says the metric is a proportion (the name-based half of
     * {@link MetricSemantics#isProportion}): a score or error rate by {@link #kind} with a token naming a share of
     * items ({@code accuracy}, {@code acc}, {@code exact_match}, {@code f1}, {@code pass@1}, {@code error_rate}, ...),
     * and no token of a loss, time, rate, cost, size or count anywhere ({@code eval_loss}, {@code latency_ms},
     * {@code time_to_accuracy}, {@code perplexity} are not).
     */
    public static boolean isProportionName(String name) {
        MetricKind kind = kind(name);
        if (kind != MetricKind.SCORE && kind != MetricKind.ERROR_RATE) {
            return false;
        }
        boolean share = false;
        for (String t : tokens(name)) {
            MetricKind tokenKind = TOKENS.get(t);
            if (tokenKind != null && NEVER_SHARES.contains(tokenKind)) { // Set.of refuses contains(null)
                return false;
            }
            share |= SHARE_TOKENS.contains(t);
        }
        return share;
    }

    /** Units of time, lower-cased: {@code ns} ... {@code days}. */
    private static final Set<String> TIME_UNITS = Set.of("ns", "nanosecond", "nanoseconds", "us", "\u00b5s", "\u03bcs",
            "microsecond", "microseconds", "ms", "millisecond", "milliseconds", "s", "sec", "secs", "second", "seconds",
            "min", "mins", "minute", "minutes", "h", "hr", "hrs", "hour", "hours", "d", "day", "days");
    /** Units of rates without a slash, lower-cased: {@code qps}, {@code Gbps}, {@code Hz}. */
    private static final Set<String> RATE_UNITS = Set.of("qps", "rps", "tps", "fps", "iops", "bps", "kbps", "mbps",
            "gbps", "tbps", "hz", "khz", "mhz", "ghz");
    /** Units of size, lower-cased: {@code B}, {@code bytes}, {@code MB}, {@code GiB}. */
    private static final Set<String> SIZE_UNITS = Set.of("b", "byte", "bytes", "kb", "mb", "gb", "tb", "kib", "mib",
            "gib", "tib", "kbytes", "mbytes", "gbytes");
    /** Units of money and energy, lower-cased: {@code USD}, {@code $}, {@code J}, {@code kWh}, {@code gCO2e}. */
    private static final Set<String> COST_UNITS = Set.of("usd", "$", "eur", "\u20ac", "gbp", "dollar", "dollars", "cent",
            "cents", "j", "kj", "joule", "joules", "wh", "kwh", "w", "kw", "watt", "watts", "gco2", "gco2e", "kgco2",
            "kgco2e", "co2", "co2e");

    /**
     * The kind a definition's unit states, where it names a measured quantity: {@link MetricKind#TIME} for a unit of
     * time ({@code s}, {@code ms}, {@code us}, {@code ns}, {@code min}, {@code h}, and a time per item such as
     * {@code ns/op}), {@link MetricKind#THROUGHPUT} for a rate (anything per unit of time: {@code ops/s},
     * {@code items/s}, {@code B/s}, {@code tokens per second}; {@code qps}, {@code Gbps}, {@code Hz}),
     * {@link MetricKind#MEMORY} for a size ({@code B}, {@code bytes}, {@code MB}, {@code GiB}, {@code B/op}) and
     * {@link MetricKind#COST} for money or energy ({@code USD}, {@code $}, {@code J}, {@code kWh}, {@code W},
     * {@code gCO2e}). Any other unit ({@code ratio}, {@code %}, {@code points}, {@code FLOPs}, {@code tokens}, a
     * count) and {@code null} or blank: {@link MetricKind#UNKNOWN}, so the name decides. Case and surrounding spaces
     * do not matter.
     */
    public static MetricKind unitKind(String unit) {
        if (unit == null || unit.isBlank()) {
            return MetricKind.UNKNOWN;
        }
        String u = unit.trim().toLowerCase(Locale.ROOT);
        List<String> words = List.of(u.split("\\s+"));
        int per = words.indexOf("per");
        if (per >= 0 && per + 1 < words.size()) { // "tokens per second", "USD per hour"
            return rateOr(String.join(" ", words.subList(0, per)), words.get(per + 1));
        }
        int slash = u.lastIndexOf('/');
        if (slash >= 0) { // "items/s", "ns/op", "USD/1M tokens"
            return rateOr(u.substring(0, slash).trim(), u.substring(slash + 1).trim());
        }
        return measured(u);
    }

    /**
     * {@code numerator} per {@code denominator}: money or energy per anything is a cost ({@code USD/h}, {@code J/s});
     * else a rate when the denominator is a time, else the numerator's kind ({@code ns/op} is a time).
     */
    private static MetricKind rateOr(String numerator, String denominator) {
        if (COST_UNITS.contains(numerator)) {
            return MetricKind.COST;
        }
        if (TIME_UNITS.contains(denominator)) {
            return MetricKind.THROUGHPUT;
        }
        return measured(numerator);
    }

    private static MetricKind measured(String u) {
        if (TIME_UNITS.contains(u)) {
            return MetricKind.TIME;
        }
        if (RATE_UNITS.contains(u)) {
            return MetricKind.THROUGHPUT;
        }
        if (SIZE_UNITS.contains(u)) {
            return MetricKind.MEMORY;
        }
        return COST_UNITS.contains(u) ? MetricKind.COST : MetricKind.UNKNOWN;
    }

    /** The kind of a metric by its name alone; {@link MetricKind#UNKNOWN} when nothing matches. */
    public static MetricKind kind(String name) {
        List<String> tokens = tokens(name);
        // Never-judged markers anywhere win: "acc_stderr" is a standard error, not an accuracy.
        for (String t : tokens) {
            if (t.equals("stderr") || t.equals("stddev") || t.equals("sem")) {
                return MetricKind.COUNT;
            }
            if (t.equals("epoch") || t.equals("epochs")) {
                return MetricKind.PROGRESS;
            }
        }
        // A last word of change decides against its base: "accuracy_drop" is lower-is-better, "throughput_regression" too.
        MetricKind change = changeKind(tokens);
        if (change != null) {
            return change;
        }
        // Failed items counted: "error_count" as "num_errors", not a count that is never judged.
        if (tokens.stream().anyMatch(FAILURE_TOKENS::contains) && tokens.stream().anyMatch(COUNT_MARKERS::contains)) {
            return MetricKind.ERROR_RATE;
        }
        // Rates: "per" followed by a unit of time, or a "/s" style tail, or "throughput"-like tokens anywhere.
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.equals("per") && i + 1 < tokens.size() && PER_TIME.contains(tokens.get(i + 1))) {
                return MetricKind.THROUGHPUT;
            }
            if (TOKENS.get(t) == MetricKind.THROUGHPUT) {
                return MetricKind.THROUGHPUT;
            }
        }
        if (name.matches(".*[A-Za-z]/s(ec)?$")) {
            return MetricKind.THROUGHPUT;
        }
        return lastMeaning(tokens);
    }

    /**
     * The kind the last meaningful token (or pair) gives: "eval_wer" -> wer, "latency_p99_ms" -> ms,
     * "train/learning_rate" -> the pair "learning rate"; a generic "score" takes the kind of a quality measure just
     * before it ("brier_score" is a loss; "brier_skill_score" stays a score, as it should).
     */
    private static MetricKind lastMeaning(List<String> tokens) {
        for (int i = tokens.size() - 1; i >= 0; i--) {
            MetricKind pair = i > 0 ? PAIRS.get(tokens.get(i - 1) + " " + tokens.get(i)) : null;
            if (pair != null) {
                return pair;
            }
            MetricKind k = TOKENS.get(tokens.get(i));
            if (k == null) {
                continue;
            }
            if (GENERIC_HEADS.contains(tokens.get(i)) && i > 0) {
                MetricKind before = TOKENS.get(tokens.get(i - 1));
                if (before != null && QUALITY_KINDS.contains(before)) {
                    return before;
                }
            }
            return k;
        }
        return MetricKind.UNKNOWN;
    }

    /**
     * The kind of a name whose last meaningful word names a change of the metric before it (its base), or {@code null}
     * when it does not or the base has no direction: a worsening ({@code _degradation}, {@code _regression}) is
     * lower-is-better whatever the base ({@link MetricKind#LOSS}: how much was lost); a fall ({@code _drop},
     * {@code _decrease}, {@code _decline}, {@code _reduction}) is lower-is-better for a higher-is-better base and
     * {@link MetricKind#UNKNOWN} for a lower-is-better one (a fall of a loss is good, but "drop" also names dropped
     * items); a gap ({@code _gap}: between groups, splits or models) is {@link MetricKind#UNKNOWN}. Never the base's
     * own direction.
     */
    private static MetricKind changeKind(List<String> tokens) {
        for (int i = tokens.size() - 1; i > 0; i--) {
            String t = tokens.get(i);
            boolean changeWord = WORSENINGS.contains(t) || FALLS.contains(t) || GAPS.contains(t);
            if (!changeWord) {
                if (TOKENS.containsKey(t) || PAIRS.containsKey(tokens.get(i - 1) + " " + t)) {
                    return null; // a meaningful token comes last: "accuracy_drop_ms" is a time
                }
                continue;
            }
            MetricDirection base = kind(String.join("_", tokens.subList(0, i))).direction();
            if (base == null || base == MetricDirection.NONE) {
                return null;
            }
            if (WORSENINGS.contains(t)) {
                return MetricKind.LOSS;
            }
            if (FALLS.contains(t)) {
                return base == MetricDirection.HIGHER_IS_BETTER ? MetricKind.LOSS : MetricKind.UNKNOWN;
            }
            return MetricKind.UNKNOWN;
        }
        return null;
    }
}
