package dev.benchmon.server.benchmarks;

import dev.benchmon.server.support.TestServer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;

/** Scratch: not committed. */
@Tag("benchmark")
class HistoryProbe {
    static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final String DB = "jdbc:postgresql://127.0.0.1:5432/histprobe?user=postgres";

    @Test
    void probe() throws Exception {
        boolean exists;
        try (Connection c = DriverManager.getConnection(ADMIN, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'histprobe'")) {
            exists = rs.next();
        }
        if (!exists) {
            String name;
            try (TestServer server = TestServer.onExternal(ADMIN, "postgres", "")) {
                ScaleBenchmark b = new ScaleBenchmark();
                Method m = ScaleBenchmark.class.getDeclaredMethod("bulkLoad", TestServer.class);
                m.setAccessible(true);
                m.invoke(b, server);
                System.out.println("PROBE verdicts " + server.benchmon().recomputeDetection());
                server.benchmon().jdbi().useHandle(h -> h.execute("VACUUM ANALYZE"));
                name = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT current_database()").mapTo(String.class).one());
            }
            try (Connection c = DriverManager.getConnection(ADMIN, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
                st.execute("ALTER DATABASE " + name + " RENAME TO histprobe");
            }
        }
        String path = "api/v1/history?model=" + ScaleData.model(0) + "&dataset=" + ScaleData.dataset(0) + "&environment="
                + ScaleData.environment(0) + "&prompt=&limit=1000";
        String raw = "SELECT t.* FROM benchmark_log t WHERE t.series_id = (SELECT id FROM series WHERE model_version = '" + ScaleData.model(0)
                + "' AND dataset_version = '" + ScaleData.dataset(0) + "' AND prompt_version = '' AND environment = '" + ScaleData.environment(0)
                + "') ORDER BY t.run_at DESC, t.id DESC LIMIT 1000";
        String opts = ServeProcess.launcherServeOptions() + " " + System.getProperty("probe.opts", "");
        HttpClient http = HttpClient.newHttpClient();
        Jdbi jdbi0 = Jdbi.create(DB);
        org.jdbi.v3.core.Handle hh = jdbi0.open();
        int warm = Integer.getInteger("probe.warm", 1500);
        try (ServeProcess serve = ServeProcess.start(DB, opts.trim())) {
            URI uri = URI.create(serve.url + path);
            int bytes = 0;
            for (int i = 0; i < warm; i++) {
                bytes = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body().length;
            }
            for (int i = 0; i < warm; i++) {
                hh.createQuery(raw).map((rs, ctx) -> {
                    for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) rs.getString(k);
                    return null;
                }).list();
            }
            for (int round = 0; round < 3; round++) {
                double[] p = new double[101];
                double[] r = new double[101];
                for (int i = 0; i < 101; i++) {
                    long s = System.nanoTime();
                    http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                    p[i] = (System.nanoTime() - s) / 1e6;
                    s = System.nanoTime();
                    hh.createQuery(raw).map((rs, ctx) -> {
                        for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) rs.getString(k);
                        return null;
                    }).list();
                    r[i] = (System.nanoTime() - s) / 1e6;
                }
                Arrays.sort(p);
                Arrays.sort(r);
                System.out.printf("PROBE round %d: product %.2f ms (p10 %.2f), raw %.2f ms (p10 %.2f), ratio %.2f, %d bytes%n",
                        round, p[50], p[10], r[50], r[10], p[50] / r[50], bytes);
            }
        }
    }
}
