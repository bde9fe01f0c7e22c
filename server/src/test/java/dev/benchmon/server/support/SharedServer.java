package dev.benchmon.server.support;

import dev.benchmon.server.ServerSettings;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link TestServer} shared by the tests of one class: on a {@code static TestServer} field, it is started on a
 * fresh database before the class's {@code @BeforeAll} methods (which may seed it) and stopped after its last test.
 * The attributes are the server's settings; left out, each is {@link ServerSettings#defaults()}'s (an open server).
 * <pre>{@code
 * @SharedServer(writeToken = WRITE, readToken = READ)
 * private static TestServer server;
 * }</pre>
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(SharedServerExtension.class)
public @interface SharedServer {
    /** The token pushes need; empty: none. */
    String writeToken() default "";

    /** The token reads need; empty: none. */
    String readToken() default "";

    /** The token that may triage alerts besides the write token; empty: none. */
    String triageToken() default "";

    /** The largest request body accepted, in bytes. */
    long maxBodyBytes() default ServerSettings.DEFAULT_MAX_BODY_BYTES;

    /** The most results one request may carry. */
    int maxResultsPerRequest() default ServerSettings.DEFAULT_MAX_RESULTS;

    /** Seconds a stalled request body is waited for; 0: {@link ServerSettings#DEFAULT_BODY_TIMEOUT}. */
    long bodyTimeoutSeconds() default 0;
}
