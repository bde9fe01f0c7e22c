package dev.benchmon.server.http;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Jetty's {@link GracefulHandler} (a stopping server answers new requests 503 and waits for those in flight, up to its
 * stop timeout) that, once the last request in flight has finished, closes the keep-alive connections left open after
 * {@link #IDLE_AFTER_DRAIN} instead of the connector's shutdown idle timeout (Jetty's 1 s).
 *
 * <p>Why: a server that a command line or a browser had just used took 0.7-1 s to stop, all of it waiting on the idle
 * connection such a client keeps. Jetty gives every connection the same shutdown idle timeout, chosen when the stop
 * begins, so shortening that would also cut a request whose body is still arriving (its connection looks idle while it
 * waits); here the timeout shortens only after the drain, when no request is left to cut.
 */
public final class DrainingHandler extends GracefulHandler {
    /** How long a connection may stay idle once a stopping server has no request in flight. */
    public static final Duration IDLE_AFTER_DRAIN = Duration.ofMillis(50);

    @Override
    public CompletableFuture<Void> shutdown() {
        return super.shutdown().whenComplete((drained, failure) -> expireIdleConnections());
    }

    private void expireIdleConnections() {
        Server server = getServer();
        if (server == null) {
            return;
        }
        for (Connector connector : server.getConnectors()) {
            // Also the connector's own: should Jetty shut it down after this handler (today it comes first), it would
            // otherwise set its 1 s on every connection again.
            if (connector instanceof AbstractConnector c) {
                c.setShutdownIdleTimeout(IDLE_AFTER_DRAIN.toMillis());
            }
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                endPoint.setIdleTimeout(IDLE_AFTER_DRAIN.toMillis());
            }
        }
    }
}
