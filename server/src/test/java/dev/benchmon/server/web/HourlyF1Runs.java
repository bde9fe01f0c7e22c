package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/** The Compare tests' fixture: runs of f1 by several models on dataset {@code d}, environment {@code ci}. */
final class HourlyF1Runs {
    private HourlyF1Runs() {
    }

    /** The value of f1 of model {@code k}'s run {@code run} (0 is its newest). */
    interface F1 {
        double of(int k, int run);
    }

    /**
     * 130 models {@code m000} to {@code m129} within the day before {@code now}: {@code m129} has three runs, {@code m128}
     * two, the others one; f1 grows with the model's number. The selects that list 100 models at most list the compared
     * models first ({@code m129}, {@code m128}, then by name), so {@code m126} and {@code m127} are listed by none.
     */
    static List<BenchmarkResult> manyModels(Instant now) {
        return of(now, 130, k -> String.format(java.util.Locale.ROOT, "m%03d", k), k -> k == 129 ? 3 : k == 128 ? 2 : 1,
                (k, run) -> 0.7 + k / 1000.0 + run / 100.0);
    }

    /**
     * For each model {@code k} below {@code models}: {@code runs(k)} runs named {@code name(k)}, one an hour back from
     * an hour before {@code now} (run 0 newest), each with f1 {@code f1.of(k, run)}.
     */
    static List<BenchmarkResult> of(Instant now, int models, IntFunction<String> name, IntUnaryOperator runs, F1 f1) {
        List<BenchmarkResult> results = new ArrayList<>();
        for (int k = 0; k < models; k++) {
            for (int run = 0; run < runs.applyAsInt(k); run++) {
                results.add(BenchmarkResult.builder(name.apply(k), "d").environment("ci")
                        .runAt(now.minus(Duration.ofHours(run + 1))).metric("f1", f1.of(k, run)).build());
            }
        }
        return results;
    }
}
