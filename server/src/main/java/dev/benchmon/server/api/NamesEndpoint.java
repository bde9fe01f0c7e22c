package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.ingest.TextRules;
import dev.benchmon.query.NameSearch;
import io.javalin.http.Context;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /api/v1/names?kind=model&prefix=gpt&limit=20}: type-ahead for the filter bars. Answers
 * {@code {"kind": "model", "prefix": "gpt", "names": ["gpt-4o", "openai-gpt-5", ...]}} with at most {@code limit}
 * names (1 to 200, default 20) that hold {@code prefix} anywhere, ignoring case: those starting with it first, each
 * group in ascending order (the parameter keeps its name from when it matched only a start); kind is one of model,
 * dataset, prompt, environment, metric. A scan of the distinct names ({@link NameSearch#matching}).
 */
public final class NamesEndpoint {
    private static final Set<String> PARAMS = Set.of("kind", "prefix", "limit");
    private static final int DEFAULT_LIMIT = 20;

    private final Benchmon benchmon;

    public NamesEndpoint(Benchmon benchmon) {
        this.benchmon = benchmon;
    }

    public void get(Context ctx) {
        QueryParams q = QueryParams.of(ctx, PARAMS);
        String kindText = q.single("kind");
        NameSearch.Kind kind = null;
        if (kindText == null) {
            q.problem("kind", "is required: one of " + kinds());
        } else {
            kind = Arrays.stream(NameSearch.Kind.values()).filter(k -> k.apiName().equals(kindText.toLowerCase(Locale.ROOT)))
                    .findFirst().orElse(null);
            if (kind == null) {
                q.problem("kind", "unknown kind '" + TextRules.quoted(kindText) + "' (allowed: " + kinds() + ")");
            }
        }
        String prefix = q.single("prefix");
        if (prefix != null && prefix.length() > 200) {
            q.problem("prefix", "at most 200 characters, got " + prefix.length());
        }
        int limit = DEFAULT_LIMIT;
        String limitText = q.single("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.trim());
                if (limit < 1 || limit > NameSearch.MAX_LIMIT) {
                    q.problem("limit", "must be between 1 and " + NameSearch.MAX_LIMIT + ", got " + limit);
                }
            } catch (NumberFormatException e) {
                q.problem("limit", "must be a whole number between 1 and " + NameSearch.MAX_LIMIT);
            }
        }
        q.check();
        List<String> names = benchmon.names().matching(kind, prefix, limit);
        ObjectNode root = ResultJson.mapper().createObjectNode();
        root.put("kind", kind.apiName());
        root.put("prefix", prefix == null ? "" : prefix);
        names.forEach(root.putArray("names")::add);
        ctx.contentType("application/json; charset=utf-8").result(root.toString());
    }

    private static String kinds() {
        return String.join(", ", Arrays.stream(NameSearch.Kind.values()).map(NameSearch.Kind::apiName).toList());
    }
}
