package dev.benchmon.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.benchmon.ingest.ResultJson;
import org.jdbi.v3.core.Jdbi;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads stored per-example outcomes (tables {@code example_outcomes} and {@code example_items}, schema V7). */
public final class ExampleStore {
    /**
     * The outcomes of one result.
     *
     * @param transactionId  the result
     * @param datasetVersion its dataset version (item ids are interned per dataset version)
     * @param itemIds        interned item ids, ascending
     * @param scores         {@code scores[k]} is the score of {@code itemIds[k]}
     * @param binary         every score is 0 or 1
     * @param mean           mean score
     */
    public record Outcomes(long transactionId, String datasetVersion, int[] itemIds, double[] scores, boolean binary,
                           double mean) {
    }

    /** An item: its id as sent, and its slice labels (empty when none). */
    public record Item(String key, Map<String, String> slice) {
    }

    private final Jdbi jdbi;

    public ExampleStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The outcomes of result {@code transactionId}, if it has any. */
    public Optional<Outcomes> outcomes(long transactionId) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT o.transaction_id, t.dataset_version, o.item_ids, o.scores, o.all_binary, o.mean_score
                FROM example_outcomes o JOIN benchmark_transactions t ON t.id = o.transaction_id
                WHERE o.transaction_id = :id""")
                .bind("id", transactionId)
                .map((rs, ctx) -> read(rs)).findOne());
    }

    /** The items with these interned ids (ids, slices), keyed by interned id. */
    public Map<Integer, Item> items(int[] ids) {
        Integer[] boxed = new Integer[ids.length];
        for (int i = 0; i < ids.length; i++) {
            boxed[i] = ids[i];
        }
        Map<Integer, Item> out = new HashMap<>(ids.length * 2);
        // A join, not "id = ANY (array)": that compares every row with every element (10,000 x 10,000).
        jdbi.useHandle(h -> h.createQuery("SELECT i.id, i.item_key, i.slice::text AS slice FROM example_items i "
                        + "JOIN unnest(CAST(:ids AS integer[])) AS u(id) ON u.id = i.id")
                .bind("ids", boxed)
                .map((rs, ctx) -> {
                    out.put(rs.getInt("id"), new Item(rs.getString("item_key"), labels(rs.getString("slice"))));
                    return null;
                }).list());
        return out;
    }

    /** Which of these results have outcomes. */
    public List<Long> withOutcomes(List<Long> transactionIds) {
        return jdbi.withHandle(h -> h.createQuery("SELECT transaction_id FROM example_outcomes "
                        + "WHERE transaction_id = ANY (CAST(:ids AS bigint[])) ORDER BY transaction_id")
                .bind("ids", transactionIds.toArray(Long[]::new)).mapTo(Long.class).list());
    }

    private static Outcomes read(ResultSet rs) throws SQLException {
        Array ids = rs.getArray("item_ids");
        Array scores = rs.getArray("scores");
        Integer[] boxedIds = (Integer[]) ids.getArray();
        Double[] boxedScores = (Double[]) scores.getArray();
        int[] i = new int[boxedIds.length];
        double[] s = new double[boxedScores.length];
        for (int k = 0; k < i.length; k++) {
            i[k] = boxedIds[k];
            s[k] = boxedScores[k];
        }
        return new Outcomes(rs.getLong("transaction_id"), rs.getString("dataset_version"), i, s,
                rs.getBoolean("all_binary"), rs.getDouble("mean_score"));
    }

    private static Map<String, String> labels(String json) {
        Map<String, String> out = new TreeMap<>();
        if (json == null) {
            return out;
        }
        try {
            ResultJson.mapper().readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("example_items.slice holds invalid JSON: " + json, e);
        }
        return out;
    }
}
