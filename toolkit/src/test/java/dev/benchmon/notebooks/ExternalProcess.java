package dev.benchmon.notebooks;

import dev.benchmon.support.RepositoryFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a given environment, and finds processes it left behind. */
final class ExternalProcess {
    private ExternalProcess() {
    }

    /** What a finished process printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {
    }

    static Result run(List<String> command, Path workingDir, Map<String, String> env, String stdin, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("BENCHMON_")); // never the developer's database
        pb.environment().putAll(env);
        Path log = Files.createTempFile("benchmon-process", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish within " + timeout + ":\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        return new Result(p.exitValue(), output);
    }

    /** Live processes whose command line mentions {@code path} (an embedded PostgreSQL left running there). */
    static List<ProcessHandle> mentioning(Path path) {
        String needle = path.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(needle)).orElse(false))
                .toList();
    }

    /** Waits up to a few seconds for processes mentioning {@code path} to end; kills and returns those that did not. */
    static List<String> orphansKilled(Path path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!mentioning(path).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        List<ProcessHandle> left = mentioning(path);
        List<String> described = left.stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        return described;
    }

    /** The self-contained toolkit jar the build made (set by failsafe; else looked up in target/). */
    static Path toolkitJar() throws IOException {
        String configured = System.getProperty("benchmon.toolkitJar");
        if (configured != null && !configured.isBlank()) {
            Path jar = Path.of(configured);
            if (!Files.isRegularFile(jar)) {
                throw new AssertionError("the toolkit jar " + jar + " is missing: run mvn -pl toolkit package first");
            }
            return jar;
        }
        try (var files = Files.list(RepositoryFiles.resolve("toolkit/target"))) {
            return files.filter(f -> f.getFileName().toString().matches("benchmon-toolkit-.*-all\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no toolkit/target/benchmon-toolkit-*-all.jar: run mvn -pl toolkit package first"));
        }
    }

    /** The {@code bin/NAME} tool of the JDK running the tests. */
    static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }
}
