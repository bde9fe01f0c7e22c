package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.Benchmon;
import dev.benchmon.UnknownNameException;
import dev.benchmon.ValidationException;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.compare.RunComparison;
import dev.benchmon.server.api.ComparisonJson;
import dev.benchmon.server.api.TableResponses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code benchmon compare A B}: is B really better than A? A paired comparison on the items both results share. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_HELP, ExitCodes.INVALID_INPUT_HELP,
                ExitCodes.UNREACHABLE_STREAMED_HELP, ExitCodes.FAILURE_HELP},
        description = {"Compare B with A, metric by metric: the difference with its confidence interval and p-value.",
                "A is the reference: per metric the difference B - A with its confidence interval, p-value and method.",
                "On the evaluation items both results carry (\"examples\"): a paired bootstrap interval and McNemar's "
                        + "exact test for 0/1 scores, flipped items and per-slice differences; without items, the results' "
                        + "stderr (or n, for a proportion such as an accuracy). A and B are model versions (their latest result on --dataset, preferring one with "
                        + "examples; without --environment, in the environment both have results in: "
                        + "refused when they share several), result ids (#123, or 123) or CI run ids (run:555, or 555; a "
                        + "number that is both a result id and another result's run id is refused). A warning line names "
                        + "what A and B differ in besides the model (environment, prompt version). Two model versions: a "
                        + "metric without items, stderr or n is compared on the means of their runs, and a note says "
                        + "so; one judged by their latest results' stderr or n compares those results, and a note gives "
                        + "the runs' means when either has more runs.",
                "Reads the local database (--db / --home / $BENCHMON_DB_URL), or a server with --server."})
final class CompareCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The reference: a model version, result id (#123) or run id (run:555).")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "Compared with A: a model version, result id (#123) or run id (run:555).")
    String b;

    @Option(names = "--dataset", paramLabel = "D", description = "Dataset version (needed when a model has several).")
    String dataset;
    @Option(names = "--environment", paramLabel = "E", description = "Only results of this environment (needed when both models have several).")
    String environment;
    @Option(names = "--confidence", paramLabel = "C", description = "Confidence level of the intervals (default: 0.95).")
    Double confidence;
    @Option(names = "--seed", paramLabel = "S", description = "Bootstrap seed (default: a fixed seed, so reruns agree).")
    Long seed;
    @Option(names = "--resamples", paramLabel = "N", description = "Bootstrap resamples, 100 to 100000 (default: 2000).")
    Integer resamples;
    @Option(names = "--min-slice-size", paramLabel = "N", description = "Flag slices with fewer shared items (default: 30).")
    Integer minSliceSize;
    @Option(names = "--json", description = "Print the comparison as JSON (the answer of GET /api/v1/compare?paired=true).")
    boolean json;
    @Option(names = "--flips", paramLabel = "FILE", description = "Write the flipped items to FILE as CSV.")
    Path flips;

    /** The API's query parameters by the options that carry them: refusals name the option the user typed. */
    private static final OptionNames OPTIONS = new OptionNames(Map.of("a", "A", "b", "B", "dataset", "--dataset",
            "environment", "--environment", "confidence", "--confidence", "seed", "--seed", "resamples", "--resamples",
            "min_slice_size", "--min-slice-size"));

    @Mixin
    ServerOptions server = ServerOptions.reading();

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() throws IOException {
        server.check("compare", database);
        ExportOutput.requireWritable(flips, "--flips", true); // written in place (Files.writeString)
        CompareOptions options;
        try {
            options = options();
        } catch (ValidationException e) {
            throw OPTIONS.said(e); // "invalid --confidence: ...", not the API's field name
        }
        JsonNode result;
        String flipsCsv = null; // the flips as the API's CSV writer writes them (GET /api/v1/compare's part=flips&format=csv)
        if (server.present()) {
            PushClient client = server.client(main.env(), spec.commandLine().getErr(),
                    "Comparing only reads, so trying again is safe.").naming(OPTIONS);
            result = client.getJson("api/v1/compare?paired=true" + ExportCommand.query(params()));
            // From the answer's own rows: asking again for the CSV compared the two results a second time (the whole
            // bootstrap on the server, and a push in between could change what "latest of model" means).
            flipsCsv = flips == null ? null : TableResponses.csv(TableResponses.table(result.path("flips"),
                    RunComparison.emptyFlips()));
        } else {
            try (Benchmon benchmon = database.openForReading(main.env())) {
                RunComparison c = benchmon.comparison(a, b, dataset, environment, options);
                result = ComparisonJson.of(c, options);
                flipsCsv = flips == null ? null : TableResponses.csv(c.flips());
            } catch (UnknownNameException e) {
                // Worded as the API words it (--server prints the server's), pointing to the names it lists rather
                // than to an HTTP endpoint a database user may not have.
                throw new CliException(ExitCodes.INVALID_INPUT, dev.benchmon.compare.UnknownSide
                        .databaseRefusal(dev.benchmon.compare.UnknownSide.field(e, a, "a", b, "b"), e));
            } catch (ValidationException e) {
                throw OPTIONS.said(e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(result.toString());
            // The text says them above its table; with --json they also go where a person reading the terminal sees
            // them: a newest run under an alert as well as what A and B differ in.
            ComparisonText.warnings(result).forEach(spec.commandLine().getErr()::println);
        } else {
            out.print(ComparisonText.of(result, flips != null));
        }
        out.flush();
        if (flips != null) {
            // The API's CSV writer wrote it, from the database or a server's answer alike: one writer, so the two agree
            // cell for cell (no slice is an empty cell).
            Files.writeString(flips, flipsCsv, StandardCharsets.UTF_8);
            spec.commandLine().getErr().println("wrote " + result.path("flips").path("row_count").asInt()
                    + " flipped item(s) to " + flips);
        }
        return ExitCodes.OK;
    }

    private CompareOptions options() {
        CompareOptions o = CompareOptions.defaults();
        if (confidence != null) o = o.withConfidence(confidence);
        if (seed != null) o = o.withSeed(seed);
        if (resamples != null) o = o.withResamples(resamples);
        if (minSliceSize != null) o = o.withMinSliceSize(minSliceSize);
        return o;
    }

    /** The API's query parameters, comparing {@code a} with {@code b} as given. */
    private Map<String, List<String>> params() {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("a", List.of(a));
        p.put("b", List.of(b));
        if (dataset != null) p.put("dataset", List.of(dataset));
        if (environment != null) p.put("environment", List.of(environment));
        if (confidence != null) p.put("confidence", List.of(String.valueOf(confidence)));
        if (seed != null) p.put("seed", List.of(String.valueOf(seed)));
        if (resamples != null) p.put("resamples", List.of(String.valueOf(resamples)));
        if (minSliceSize != null) p.put("min_slice_size", List.of(String.valueOf(minSliceSize)));
        return p;
    }
}
