package dev.benchmon.kernel;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs snippets in this JVM (so {@code display()} reaches the kernel and values stay objects) and
 * keeps each value as an object under a key, instead of JShell's {@code toString()}: the kernel
 * renders the object itself (a Table as HTML). Snippets run on one worker thread so that an
 * interrupt request can stop them.
 */
final class ObjectExecutionControl extends DirectExecutionControl {
    /** The provider name JShell is given. */
    static final String NAME = "benchmon-direct";

    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "benchmon-kernel-eval");
        t.setDaemon(true);
        return t;
    });
    private volatile Future<Object> running;

    /** The object a snippet produced, by the key JShell reported as its value; {@code null} when unknown. */
    Object take(String key) {
        Object v = values.remove(key);
        return v == NULL ? null : v;
    }

    /** True when {@code key} names a value this control holds. */
    boolean holds(String key) {
        return key != null && values.containsKey(key);
    }

    /** Forgets the values nobody took (declarations' values), so they can be collected. */
    void clear() {
        values.clear();
    }

    /** Interrupts the running snippet, if any. */
    void interrupt() {
        Future<Object> f = running;
        if (f != null) {
            f.cancel(true);
        }
    }

    private static final Object NULL = new Object();

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        ClassLoader snippetLoader = doitMethod.getDeclaringClass().getClassLoader();
        Future<Object> f = worker.submit(() -> {
            Thread.currentThread().setContextClassLoader(snippetLoader);
            return doitMethod.invoke(null);
        });
        running = f;
        Object value;
        try {
            value = f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof InvocationTargetException ite ? ite : new InvocationTargetException(cause);
        } catch (CancellationException e) {
            throw new InvocationTargetException(new InterruptedException("evaluation interrupted"));
        } finally {
            running = null;
        }
        String key = UUID.randomUUID().toString();
        values.put(key, value == null ? NULL : value);
        return key;
    }

    @Override
    public void stop() {
        interrupt();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        super.close();
    }

    /** Hands JShell the one control this kernel made. */
    record Provider(ObjectExecutionControl control) implements ExecutionControlProvider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}
