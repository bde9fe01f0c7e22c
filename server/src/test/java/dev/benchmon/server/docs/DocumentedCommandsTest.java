package dev.benchmon.server.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.benchmon.server.cli.ExitCodes;
import dev.benchmon.server.cli.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the README, the docs and the GitHub workflows tell people to run must exist: every
 * {@code benchmon} subcommand and option, every Maven module and profile, every file named.
 */
class DocumentedCommandsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> LAUNCHER_ONLY = Set.of("jshell");
    private static final List<String> TOP_LEVEL = List.of("samples/", "notebooks/", "sql/", "docs/", "toolkit/",
            "server/", ".github/", ".ci/");

    private static final CommandLine CLI = Main.commandLine(Map.of(), InputStream.nullInputStream());

    @Test
    void the_readme_and_docs_run_only_commands_options_and_files_that_exist() throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        int benchmonCalls = 0;
        for (Path doc : docs) {
            for (String line : ShellSnippets.fromMarkdown(Files.readString(doc))) {
                benchmonCalls += check(ROOT.relativize(doc).toString(), line, problems);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(benchmonCalls).as("benchmon invocations found in the README and docs").isGreaterThan(3);
    }

    @Test
    void the_readme_lists_every_exit_code_the_cli_uses() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme).contains("Exit codes: 0 ok, 1 regression, 2 invalid input, 3 server unreachable, "
                + ExitCodes.FAILURE + " other failure");
    }

    @Test
    void the_docs_say_that_metrics_needs_the_read_token_when_one_is_configured() throws IOException {
        for (String doc : List.of("docs/SETUP.md", "docs/QUICKREF.md")) {
            String text = Files.readString(ROOT.resolve(doc)).replaceAll("\\s+", " ");
            assertThat(text).as(doc).containsPattern("`GET /metrics`[^\\n]*read token when one is configured");
        }
    }

    @Test
    void every_workflow_parses_as_yaml_and_calls_benchmon_with_real_options() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<String> problems = new ArrayList<>();
        int benchmonCalls = 0;
        List<Path> workflows;
        try (Stream<Path> s = Files.list(ROOT.resolve(".github/workflows"))) {
            workflows = s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(workflows).extracting(p -> p.getFileName().toString())
                .contains("ci.yml", "benchmark-persist.yml");
        for (Path wf : workflows) {
            JsonNode root = yaml.readTree(wf.toFile());
            String name = ROOT.relativize(wf).toString();
            assertThat(root.has("on")).as(name + " has triggers (on:)").isTrue();
            assertThat(root.path("jobs").size()).as(name + " has jobs").isPositive();
            for (JsonNode job : root.path("jobs")) {
                assertThat(job.has("runs-on") || job.has("uses")).as(name + ": every job says where it runs").isTrue();
                for (JsonNode step : job.path("steps")) {
                    assertThat(step.has("run") || step.has("uses")).as(name + ": every step runs or uses something").isTrue();
                    if (step.has("run")) {
                        for (String line : ShellSnippets.commandLines(step.get("run").asText())) {
                            benchmonCalls += check(name, line, problems);
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(benchmonCalls).as("benchmon invocations found in the workflows").isPositive();
    }

    /** Checks one command line; returns how many benchmon invocations it held. */
    private static int check(String source, String line, List<String> problems) {
        List<String> words = ShellSnippets.words(line);
        int calls = 0;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("./benchmon") || w.equals("benchmon")) {
                calls++;
                checkBenchmon(source, line, words.subList(i + 1, words.size()), problems);
            } else if (w.equals("./mvnw") || w.equals("mvn")) {
                checkMaven(source, line, words.subList(i + 1, words.size()), problems);
            }
            checkPath(source, line, w, problems);
        }
        return calls;
    }

    private static void checkBenchmon(String source, String line, List<String> args, List<String> problems) {
        List<String> own = args.stream().takeWhile(a -> !Set.of("|", ";", "&", ")").contains(a)).toList();
        String sub = own.stream().filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        if (sub == null) {
            own.stream().filter(a -> a.startsWith("-")).filter(a -> CLI.getCommandSpec().findOption(a) == null)
                    .forEach(a -> problems.add(source + ": `" + line + "` uses " + a + ", which benchmon does not have"));
            return;
        }
        if (LAUNCHER_ONLY.contains(sub)) {
            return;
        }
        CommandLine command = CLI.getSubcommands().get(sub);
        if (command == null) {
            problems.add(source + ": `" + line + "` runs `benchmon " + sub + "`, which does not exist (known: "
                    + String.join(", ", CLI.getSubcommands().keySet()) + ")");
            return;
        }
        // A command with subcommands of its own (benchmon alerts ack ...): check the options of the one named.
        String second = own.stream().filter(x -> !x.startsWith("-")).skip(1).findFirst().orElse(null);
        if (second != null && command.getSubcommands().containsKey(second)) {
            command = command.getSubcommands().get(second);
            sub = sub + " " + second;
        }
        for (String a : own) {
            if (a.startsWith("--") || (a.startsWith("-") && a.length() == 2)) {
                String option = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                if (command.getCommandSpec().findOption(option) == null) {
                    problems.add(source + ": `" + line + "` uses " + option + ", which `benchmon " + sub
                            + "` does not have (known: " + command.getCommandSpec().options().stream()
                            .map(o -> o.longestName()).sorted().toList() + ")");
                }
            }
        }
    }

    private static void checkMaven(String source, String line, List<String> args, List<String> problems) {
        String pom;
        try {
            pom = Files.readString(ROOT.resolve("pom.xml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-pl") && i + 1 < args.size()) {
                for (String module : args.get(i + 1).split(",")) {
                    if (!Files.isRegularFile(ROOT.resolve(module).resolve("pom.xml"))) {
                        problems.add(source + ": `" + line + "` names module " + module + ", which does not exist");
                    }
                }
            } else if (a.startsWith("-P")) {
                for (String profile : a.substring(2).split(",")) {
                    if (!pom.contains("<id>" + profile + "</id>")) {
                        problems.add(source + ": `" + line + "` activates profile " + profile + ", which pom.xml lacks");
                    }
                }
            }
        }
    }

    private static String projectVersion() {
        try {
            var m = java.util.regex.Pattern.compile("<artifactId>benchmon-parent</artifactId>\\s*<version>([^<]+)</version>")
                    .matcher(Files.readString(ROOT.resolve("pom.xml")));
            return m.find() ? m.group(1) : "?";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkPath(String source, String line, String word, List<String> problems) {
        String w = word.startsWith("@") ? word.substring(1) : word;
        if (w.contains("$") || w.contains("*") || w.contains("{") || TOP_LEVEL.stream().noneMatch(w::startsWith)) {
            return;
        }
        if (w.contains("/target/")) {
            String version = projectVersion();
            List<String> built = List.of("toolkit/target/benchmon-toolkit-" + version + "-all.jar",
                    "server/target/benchmon.jar", "server/target/screenshots/");
            if (!built.contains(w)) {
                problems.add(source + ": `" + line + "` names " + w + ", which the build does not produce (it makes "
                        + built + ")");
            }
            return;
        }
        if (!Files.exists(ROOT.resolve(w))) {
            problems.add(source + ": `" + line + "` names " + w + ", which does not exist");
        }
    }
}
