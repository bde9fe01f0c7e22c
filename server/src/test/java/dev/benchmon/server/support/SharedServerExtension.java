package dev.benchmon.server.support;

import dev.benchmon.server.ServerSettings;
import dev.benchmon.server.Tokens;
import dev.benchmon.server.alert.AlertSettings;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;

/**
 * Starts the server of each {@link SharedServer} field of the test class and stores it in the class's extension
 * store, which closes it (an {@link AutoCloseable}) when the class's tests and {@code @AfterAll} methods are done.
 * A field that is not {@code static TestServer} fails the class (a non-static one registers this extension only per
 * test, too late to start a shared server: it fails each test) rather than leaving the field {@code null}.
 */
final class SharedServerExtension implements BeforeAllCallback, BeforeEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        for (Field field : fields(context)) {
            TestServer server = TestServer.start(settings(field.getAnnotation(SharedServer.class)));
            context.getStore(NAMESPACE).put(field, server);
            field.setAccessible(true);
            field.set(null, server);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        fields(context);
    }

    /** The class's {@link SharedServer} fields, each a {@code static TestServer} that is not final. */
    private static List<Field> fields(ExtensionContext context) {
        List<Field> fields = AnnotationSupport.findAnnotatedFields(context.getRequiredTestClass(), SharedServer.class);
        for (Field field : fields) {
            if (!ModifierSupport.isStatic(field) || ModifierSupport.isFinal(field) || field.getType() != TestServer.class) {
                throw new ExtensionConfigurationException("@SharedServer field " + field.getName()
                        + " must be declared 'static TestServer' (not final), got " + field);
            }
        }
        return fields;
    }

    private static ServerSettings settings(SharedServer options) {
        ServerSettings settings = ServerSettings.defaults()
                .withTokens(Tokens.of(options.writeToken(), options.readToken())) // empty: not configured
                .withAlerts(AlertSettings.none().withTriageToken(options.triageToken()))
                .withMaxBodyBytes(options.maxBodyBytes())
                .withMaxResultsPerRequest(options.maxResultsPerRequest());
        return options.bodyTimeoutSeconds() == 0 ? settings : settings.withBodyTimeout(Duration.ofSeconds(options.bodyTimeoutSeconds()));
    }
}
