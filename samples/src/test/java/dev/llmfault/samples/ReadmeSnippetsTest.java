package dev.llmfault.samples;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README quotes compiled, tested sample code, and this test keeps the quotes true: a code block that follows
 * {@code <!-- snippet: NAME -->} in README.md must equal, line for line, the region of a sample source (under
 * {@code samples/}, its {@code spring-ai/} module included, or the {@code starter/} project) between
 * {@code tag::NAME[]} and {@code end::NAME[]} (in a comment of any syntax: {@code //}, {@code #}, {@code <!-- -->}),
 * with its common indentation removed. Edit the sample, run this test, and paste what it shows.
 */
class ReadmeSnippetsTest {
    /** The quotes the README must keep: a section that loses its snippet marker fails here too. */
    static final List<String> REQUIRED = List.of("quickstart", "openai-rate-limit", "anthropic-overloaded",
            "langchain4j-fixture", "langchain4j-retry-after", "resilience4j", "ci-script", "ci-workflow", "chaos-proxy",
            "starter-dependency", "starter-plugins", "starter-test", "starter-naive",
            "error-request-id", "meters", "alert-rule", "openai-tool-loop", "spring-ai-openai-wiring",
            "spring-ai-retry", "spring-ai-tool-loop", "langchain4j-tool-loop", "agent-retry", "structured-output",
            "key-scoped-token-refresh");

    private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: ([\\w.-]+) -->\\R```[\\w-]*\\R(.*?)^```",
            Pattern.DOTALL | Pattern.MULTILINE);
    private static final Pattern TAG = Pattern.compile("\\b(tag|end)::([\\w.-]+)\\[]");

    private static Path root;
    private static Map<String, String> quoted;
    private static Map<String, Region> regions;

    /** A tagged region of a sample source. */
    record Region(Path file, String text) {
    }

    @BeforeAll
    static void read() throws IOException {
        root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("README.md")) || !Files.isDirectory(root.resolve("samples"))) {
            root = root.getParent();
            assertThat(root).as("the repository root (README.md next to samples/), above the working directory").isNotNull();
        }
        quoted = new LinkedHashMap<>();
        Matcher m = SNIPPET.matcher(Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8));
        while (m.find()) {
            assertThat(quoted.put(m.group(1), m.group(2))).as("README quotes snippet '%s' twice", m.group(1)).isNull();
        }
        regions = new LinkedHashMap<>();
        try (Stream<Path> files = Stream.of("samples/src", "samples/ci", "samples/config",
                        "samples/spring-ai/src", "starter/pom.xml", "starter/src")
                .flatMap(ReadmeSnippetsTest::walk)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !root.relativize(f).toString().replace('\\', '/').contains("target/")) // build output
                    .filter(f -> !f.getFileName().toString().equals(ReadmeSnippetsTest.class.getSimpleName() + ".java"))
                    .forEach(ReadmeSnippetsTest::collectRegions); // this file names the markers without being a sample
        }
    }

    private static Stream<Path> walk(String dir) {
        try {
            return Files.walk(root.resolve(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectRegions(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<String>> open = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher tag = TAG.matcher(line);
            if (tag.find()) {
                String name = tag.group(2);
                if (tag.group(1).equals("tag")) {
                    open.put(name, new ArrayList<>());
                } else {
                    List<String> body = open.remove(name);
                    assertThat(body).as("end::%s[] without tag::%s[] in %s", name, name, file).isNotNull();
                    Region previous = regions.put(name, new Region(file, dedent(body)));
                    assertThat(previous).as("region '%s' tagged twice: %s and %s", name,
                            previous == null ? null : previous.file(), file).isNull();
                }
                continue; // marker lines are never part of a region
            }
            open.values().forEach(body -> body.add(line));
        }
        assertThat(open.keySet()).as("tags never ended in %s", file).isEmpty();
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l.isBlank() ? "" : l.substring(indent).stripTrailing()).append('\n');
        }
        return out.toString();
    }

    static Stream<String> snippets() throws IOException {
        read();
        return quoted.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void theReadmeQuotesTheSampleAsItIs(String name) {
        Region region = regions.get(name);

        assertThat(region).as("README quotes snippet '%s', but no sample source has tag::%s[]; tagged: %s",
                name, name, regions.keySet()).isNotNull();
        assertThat(quoted.get(name)).as("README.md block after <!-- snippet: %s --> must equal the region tagged %s in %s",
                name, name, root.relativize(region.file())).isEqualTo(region.text());
    }

    @Test
    void everyRequiredSnippetIsQuoted() {
        assertThat(quoted.keySet()).as("snippets quoted by README.md").containsAll(REQUIRED);
    }
}
