package dev.benchmon.server.api;

import dev.benchmon.Benchmon;
import dev.benchmon.RegressionOptions;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ingest.ByteOrderMark;
import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.server.api.errors.InvalidRequestException;
import dev.benchmon.server.api.errors.PayloadTooLargeException;
import dev.benchmon.server.api.errors.UnsupportedMediaTypeException;
import dev.benchmon.server.ingest.IngestReport;
import dev.benchmon.server.ingest.IngestReportJson;
import dev.benchmon.server.ingest.Ingestion;
import dev.benchmon.server.ingest.WarningsJson;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code POST /api/v1/results}: one result, an array, {@code {"results": [...]}} or JSON Lines, benchmon's own CSV
 * (sent as {@code text/csv}, or with {@code ?format=csv}), or with {@code ?format=} a tool's output file
 * ({@link ResultsBody}). All-or-nothing: any invalid result fails the
 * request with every problem listed and nothing stored. A metric value that is NaN, Infinity, null or not a
 * number is dropped with a warning (the response's {@code warnings}) unless {@code ?strict=true}, which refuses
 * the request for it; a percentage ({@code "76.5%"}) is refused either way (a measurement meant, in an unknown scale). A result already stored (its idempotency key) re-sent with other examples than it has is refused
 * as well: its examples were kept as first stored, and "already present" would acknowledge the new ones; so is one
 * re-sent under its own idempotency_key with other values than stored (400 naming the fields, the stored result's id
 * and series).
 * Answers 201 with each result's id, whether it was new, its series' verdict, and the warnings; {@code defined_metrics}
 * holds the body's {@code metric_definitions} (or a tool format's) that this request defined, as a metric had none
 * ({@code {"name": {"direction", "unit", ...}}}, {@code {}} when none).
 */
public final class ResultsEndpoint {
    /** Content types the endpoint reads (parameters such as charset=utf-8 are allowed). */
    // text/csv: benchmon's own CSV (what push results.csv, import and export history read and write), read so without
    // a format parameter, or a tool's CSV (format=mlflow, an MLflow metric CSV) labelled as what it is; a format
    // parameter decides how the body is read. Not a CORS-safelisted type, so a cross-site page still cannot post it
    // without a preflight.
    public static final Set<String> CONTENT_TYPES = Set.of("application/json", "application/x-ndjson", "application/jsonl",
            "text/csv");

    /**
     * The query parameters: strictness, the input's format and the fields that replace the body's (the series, and the
     * run's context as {@code benchmon push --environment/--commit-sha/...} sets it), detection settings.
     */
    private static final Set<String> PARAMETERS = Stream.concat(Stream.of("strict", "format",
            "model_version", "dataset_version", "prompt_version", "sensitivity", "min_effect"),
            ResultOverrides.CONTEXT_FIELDS.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Most bytes of an over-limit body read and discarded so its sender sees the 413 (see drainForTheAnswer). */
    private static final long DRAIN_LIMIT_BYTES = 8L * 1024 * 1024;

    private final Benchmon benchmon;
    private final long maxBodyBytes;
    private final int maxResults;
    private final HttpMetrics metrics;
    private final dev.benchmon.server.alert.Alerting alerting;
    private final dev.benchmon.server.ingest.GroupCommit groups;

    public ResultsEndpoint(Benchmon benchmon, long maxBodyBytes, int maxResults, HttpMetrics metrics,
                           dev.benchmon.server.alert.Alerting alerting) {
        this.benchmon = benchmon;
        this.alerting = alerting;
        this.groups = new dev.benchmon.server.ingest.GroupCommit(benchmon, alerting::announce);
        this.maxBodyBytes = maxBodyBytes;
        this.maxResults = maxResults;
        this.metrics = metrics;
    }

    public void post(Context ctx) throws IOException {
        checkContentType(ctx.contentType(), CONTENT_TYPES,
                "application/json (or application/x-ndjson for JSON Lines, text/csv for benchmon's CSV or, with format=, "
                        + "a tool's CSV)");
        QueryParams params = QueryParams.of(ctx, PARAMETERS);
        boolean strict = Boolean.TRUE.equals(params.bool("strict"));
        String format = params.single("format");
        ResultOverrides fields = new ResultOverrides(params.single("model_version"), params.single("dataset_version"),
                params.single("prompt_version"));
        // The run's context replaces the body's in every format, as push's flags replace a file's; a bad value is
        // refused once, naming its parameter, not once per result.
        java.util.Map<String, String> context = new java.util.LinkedHashMap<>();
        ResultOverrides.CONTEXT_FIELDS.forEach(field -> context.put(field, params.single(field)));
        try {
            fields = fields.withContext(context);
        } catch (dev.benchmon.ValidationException e) {
            e.problems().forEach(p -> params.problem(p.field(), p.message())); // each field is its parameter's name
        }
        dev.benchmon.detect.DetectionOverrides overrides = params.detectionOverrides();
        params.check();
        // Lenient by default: NaN/Infinity/null/non-numeric metric values are dropped with a warning;
        // ?strict=true refuses the whole request for one of them.
        ParsedResults parsed = ResultsBody.read(readBody(ctx), format, isCsv(ctx.contentType()), fields, strict,
                maxResults);
        // The stated definitions this write adds (a metric without one yet), looked up before it: push says which.
        Map<String, dev.benchmon.MetricDefinition> defined = Ingestion.undefined(benchmon, parsed.definitions());
        // One result at the metrics' own settings: committed together with concurrent ones (group commit), which
        // announces the group's alerts once itself.
        boolean grouped = parsed.results().size() == 1 && parsed.definitions().isEmpty() && overrides.isNone();
        dev.benchmon.server.ingest.GroupCommit.Answer answer = grouped ? groups.record(parsed.results().get(0)) : null;
        IngestReport report = grouped ? answer.report()
                : Ingestion.record(benchmon, parsed.results(), parsed.definitions(), overrides);
        metrics.ingested(report.created(), report.alreadyPresent());
        if (!grouped) {
            alerting.announce(report.alerts());
        }
        // Each metric against its baseline only for a push of a few runs (what push lists), not for a back-fill's.
        ObjectNode body = IngestReportJson.toJson(report.judgedOnlyForAFew());
        // And the values stored as sent that a reader would misjudge: a proportion's outside [0, 1] (87.5 for 0.875).
        java.util.List<dev.benchmon.ingest.IngestWarning> warnings = new java.util.ArrayList<>(parsed.warnings());
        // Checked against the definitions the write was judged by, read in its transaction (no read of their own).
        warnings.addAll(dev.benchmon.ingest.ProportionRange.of(parsed.results(), parsed.definitions(), report.definitions(),
                "in this request"));
        body.set("warnings", WarningsJson.toJson(warnings));
        body.set("defined_metrics", ResultJson.definitionsNode(defined));
        // The alerts these runs raised, still show or resolved, each saying whether it fails the push; a quiet push
        // (new runs, no findings) has none, and skips the lookup. A grouped result's were read with its group's.
        body.set("alerts", Ingestion.alertsJson(report,
                grouped ? answer.alerts() : Ingestion.pushAlerts(benchmon, report), alerting::json));
        ctx.status(201).contentType("application/json; charset=utf-8").result(body.toString());
    }

    /**
     * Refuses (415) a request whose Content-Type is none of {@code accepted} (parameters such as charset=utf-8
     * are allowed); {@code expected} says what to send.
     */
    public static void checkContentType(String contentType, Set<String> accepted, String expected) {
        String base = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!accepted.contains(base)) {
            throw new UnsupportedMediaTypeException("Content-Type must be " + expected + ", got "
                    + (base.isEmpty() ? "none" : "'" + base + "'"));
        }
    }

    /** Whether the body is labelled {@code text/csv} (its parameters, such as charset=utf-8, aside). */
    private static boolean isCsv(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("text/csv");
    }

    private String readBody(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            drainForTheAnswer(ctx, declared);
            throw tooLarge(declared);
        }
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            // Read one byte past the limit to detect bodies that declare no length (chunked).
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) {
                drain(in);
                throw tooLarge(-1);
            }
        }
        try {
            return ByteOrderMark.skip(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            throw InvalidRequestException.of("body", "is not valid UTF-8 text");
        }
    }

    /**
     * Reads and discards an over-limit body of moderate size before the 413 is sent. Answering
     * without reading makes Jetty close the connection while the client is still sending, and many
     * clients (the JDK's among them) then report a reset instead of the 413 and its message. A client
     * that asked {@code Expect: 100-continue} has not sent the body, so nothing is read; bodies over
     * {@link #DRAIN_LIMIT_BYTES} are not worth the bandwidth and get the close.
     */
    private void drainForTheAnswer(Context ctx, long declared) throws IOException {
        String expect = ctx.header("Expect");
        if (declared <= DRAIN_LIMIT_BYTES && (expect == null || !expect.equalsIgnoreCase("100-continue"))) {
            try (InputStream in = ctx.bodyInputStream()) {
                drain(in);
            }
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] sink = new byte[64 * 1024];
        long left = DRAIN_LIMIT_BYTES;
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= n;
        }
    }

    private PayloadTooLargeException tooLarge(long declared) {
        return new PayloadTooLargeException("the request body is larger than the limit of " + maxBodyBytes + " bytes"
                + (declared > 0 ? " (" + declared + " bytes sent)" : "") + "; send fewer results per request");
    }
}
