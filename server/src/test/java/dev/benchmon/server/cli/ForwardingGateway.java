package dev.benchmon.server.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A gateway on loopback in front of a server: forwards every request as it came (method, raw path and query, body,
 * token, content type) and records each request line's raw target ({@code GET /api/v1/metrics/%2E%2E}), what the
 * command sent byte for byte; it may answer something else than the server did (a proxy that gave up waiting).
 */
final class ForwardingGateway implements AutoCloseable {
    /** An answer: status, content type (null for none) and body. */
    record Answer(int status, String contentType, byte[] body) {
    }

    /** Every request line, {@code METHOD raw-path?raw-query}, in the order they came. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpServer http;

    /** A gateway that answers what the server answers. */
    ForwardingGateway(String target) throws IOException {
        this(target, (line, answer) -> answer);
    }

    /**
     * @param target    the server's URL, ending in {@code /}
     * @param answering what to answer a request line, given the server's answer (after the server had the request)
     */
    ForwardingGateway(String target, BiFunction<String, Answer, Answer> answering) throws IOException {
        HttpClient forward = HttpClient.newHttpClient();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            URI uri = exchange.getRequestURI();
            String raw = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String line = exchange.getRequestMethod() + " " + raw;
            requests.add(line);
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + raw.substring(1)))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : List.of("Authorization", "Content-Type", "Accept")) {
                String v = exchange.getRequestHeaders().getFirst(h);
                if (v != null) request.header(h, v);
            }
            HttpResponse<byte[]> real;
            try {
                real = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            Answer answer = answering.apply(line, new Answer(real.statusCode(),
                    real.headers().firstValue("Content-Type").orElse(null), real.body()));
            if (answer.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            }
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
            exchange.close();
        });
        http.start();
    }

    /** How many requests of {@code method} came. */
    long count(String method) {
        return requests.stream().filter(r -> r.startsWith(method + " ")).count();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
