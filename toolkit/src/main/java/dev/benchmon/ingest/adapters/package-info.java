/**
 * Adapters: each reads one tool's own output file and maps it onto benchmon's result format, with
 * the metric names exactly as the tool wrote them, the directions and units the tool states, and its
 * uncertainty (standard errors, sample counts) in the {@code stderr} and {@code n} fields.
 *
 * <p>Formats, by the name {@code --format} takes (see {@link dev.benchmon.ingest.adapters.Adapters}):
 * {@code json} (benchmon's own, the default), {@code lm-eval}, {@code hf-trainer}, {@code mlflow},
 * {@code wandb}, {@code pytest-benchmark}, {@code google-benchmark}, and {@code auto}, which tells
 * them apart by content. An adapter only converts: it builds result objects in the native JSON shape
 * ({@link dev.benchmon.ingest.ResultJson}) and validation, overrides ({@link
 * dev.benchmon.ingest.adapters.ResultOverrides}) and storage are the same as for native input.
 * Values that are not finite numbers (NaN, Infinity, null, text) are dropped with an
 * {@link dev.benchmon.ingest.IngestWarning} instead of refusing the file; a file that is not of the named
 * format's shape at all (another tool's file) is refused whole, naming the format it looks like, and so is a tool's
 * file read in the default format ({@link dev.benchmon.ingest.adapters.Adapters#defaultFormatRefusal}, which the CLI,
 * the API and the toolkit share). The advice names the format as each caller takes one
 * ({@link dev.benchmon.ingest.adapters.Adapters.Caller}): {@code --format lm-eval}, {@code format=lm-eval},
 * {@code BenchmarkResult.from("lm-eval", text)}.
 */
package dev.benchmon.ingest.adapters;
