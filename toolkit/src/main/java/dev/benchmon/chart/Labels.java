package dev.benchmon.chart;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.benchmon.ingest.ResultJson;

import java.util.LinkedHashMap;
import java.util.Map;

/** Issues tokens for the strings of one figure and remembers their JSON replacements. */
final class Labels {
    static final String PREFIX = "bmlabel";
    private final Map<String, String> replacements = new LinkedHashMap<>();

    /** A token that renders as the string {@code text}. */
    String text(String text) {
        return put(js(text == null ? "" : text));
    }

    /**
     * A token for a trace name (or an axis title) that also adds raw properties after it, e.g.
     * {@code error_y: {...}} (jsplot has no builder for them). {@code extra} must be trusted JSON.
     */
    String nameWithExtras(String name, String extra) {
        return put(js(name) + ",\n" + extra);
    }

    /** A token for any trusted JavaScript value (numbers, JSON built with {@link #js}). */
    String raw(String javascript) {
        return put(javascript);
    }

    private String put(String replacement) {
        String token = PREFIX + replacements.size() + "x";
        replacements.put(token, replacement);
        return token;
    }

    Map<String, String> replacements() {
        return replacements;
    }

    /** A JSON array of string literals, each as {@link #js} writes it (for {@link #nameWithExtras}). */
    static String jsArray(String[] texts) {
        StringBuilder out = new StringBuilder(texts.length * 64).append('[');
        for (int i = 0; i < texts.length; i++) {
            out.append(i == 0 ? "" : ",").append(js(texts[i] == null ? "" : texts[i]));
        }
        return out.append(']').toString();
    }

    /** A JSON string literal that is safe inside a {@code <script>} element and an HTML attribute. */
    static String js(String text) {
        try {
            return ResultJson.mapper().writeValueAsString(text)
                    .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                    .replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a string as JSON", e);
        }
    }

    /** Any value as JSON that is safe inside a script element. */
    static String json(Object value) {
        try {
            return ResultJson.mapper().writeValueAsString(value)
                    .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a value as JSON", e);
        }
    }
}
