package dev.benchmon.alert;

import org.jdbi.v3.core.Jdbi;

import java.util.List;

/** The delivery log ({@code alert_deliveries}): written through {@code record_alert_delivery}, read newest first. */
public final class DeliveryLog {
    private final Jdbi jdbi;

    public DeliveryLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void record(String channel, String target, List<Long> alertIds, int attempt, Integer status, boolean delivered,
                String error) {
        jdbi.useHandle(h -> h.createQuery("SELECT record_alert_delivery(:c, :t, :ids, :a, :s, :d, :e)")
                .bind("c", channel).bind("t", target).bind("ids", alertIds.toArray(Long[]::new)).bind("a", attempt)
                .bind("s", status).bind("d", delivered).bind("e", error).mapTo(Long.class).one());
    }

    /** The latest attempts, newest first (at most {@code limit}). */
    public List<Delivery> latest(int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, channel, target, alert_ids, attempt, status_code, delivered, error, at
                        FROM alert_deliveries ORDER BY id DESC LIMIT :limit""")
                .bind("limit", limit)
                .map((rs, ctx) -> {
                    int status = rs.getInt("status_code");
                    Integer code = rs.wasNull() ? null : status;
                    return new Delivery(rs.getLong("id"), rs.getString("channel"), rs.getString("target"),
                            List.of((Long[]) rs.getArray("alert_ids").getArray()), rs.getInt("attempt"), code,
                            rs.getBoolean("delivered"), rs.getString("error"), rs.getTimestamp("at").toInstant());
                }).list());
    }
}
