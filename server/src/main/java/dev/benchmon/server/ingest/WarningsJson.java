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

    /** Reads the {@code warnings} of a push response (none when absent; a warning without a known code is {@code OTHER}). */
    public static List<IngestWarning> fromJson(JsonNode response) {
        List<IngestWarning> out = new ArrayList<>();
        for (JsonNode o : response.path("warnings")) {
            out.add(new IngestWarning(o.path("index").asInt(-1), o.path("field").asText(), o.path("message").asText(),
                    IngestWarning.Kind.ofCode(o.path("code").asText())));
        }
        return out;
    }
}
