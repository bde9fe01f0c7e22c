package dev.benchmon.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ResultJson;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code warnings} array of the push response: one object per value not stored as sent,
 * {@code {"index": 3, "field": "metrics.loss", "code": "metric_value_dropped", "message": "value NaN dropped: ..."}}: the
 * {@code code} names the kind for a program ({@link IngestWarning.Kind#code}: {@code metric_value_dropped},
 * {@code proportion_out_of_range}, {@code other}), the message says it for a person.
 */
public final class WarningsJson {
    private WarningsJson() {
    }

    public static ArrayNode toJson(List<IngestWarning> warnings) {
        ArrayNode a = ResultJson.mapper().createArrayNode();
        for (IngestWarning w : warnings) {
            ObjectNode o = a.addObject();
            o.put("index", w.index());
            o.put("field", w.field());
            o.put("code", w.kind().code());
            o.put("message", w.message());
        }
        return a;
    }

    /**
     * The kind of a warning from a server that sent no {@code code} (before 2026-12-06, morning), by the words its
     * proportion warning began with ({@code 87.5 is outside [0, 1], though accuracy is a proportion}), so that push
     * still says that warning once per metric; any other is {@code OTHER}.
     */
    private static IngestWarning.Kind olderServersKind(String message) {
        return message.contains(dev.benchmon.ingest.ProportionRange.OUTSIDE) ? IngestWarning.Kind.PROPORTION_OUT_OF_RANGE
                : IngestWarning.Kind.OTHER;
    }

    /**
     * Reads the {@code warnings} of a push response (none when absent): a warning's kind by its {@code code} (a code
     * this version does not know is {@code OTHER}), or by its words from a server that sends none.
     */
    public static List<IngestWarning> fromJson(JsonNode response) {
        List<IngestWarning> out = new ArrayList<>();
        for (JsonNode o : response.path("warnings")) {
            String message = o.path("message").asText();
            out.add(new IngestWarning(o.path("index").asInt(-1), o.path("field").asText(), message, o.has("code")
                    ? IngestWarning.Kind.ofCode(o.path("code").asText()) : olderServersKind(message)));
        }
        return out;
    }
}
