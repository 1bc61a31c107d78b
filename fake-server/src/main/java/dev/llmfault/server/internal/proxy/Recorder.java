package dev.llmfault.server.internal.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Writes each recorded exchange as one fixture file, {@code 0001-openai-v1-chat-completions.json}, numbered
 * in the order the answers ended and after any file already in the directory, so a second recording session
 * adds to the first. A file appears whole or not at all (written aside, then moved).
 *
 * <pre>{@code
 * Recorder rec = Recorder.into(Path.of("src/test/resources/llm"));
 * Path file = rec.write(fixture);
 * }</pre>
 */
public final class Recorder {
    private final Path dir;
    private final AtomicInteger sequence;

    private Recorder(Path dir, int last) {
        this.dir = dir;
        this.sequence = new AtomicInteger(last);
    }

    /**
     * A recorder into the directory, created when missing.
     *
     * @throws IllegalArgumentException naming the directory when it cannot be created or is a file
     */
    public static Recorder into(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("record: cannot create directory '" + dir + "': " + e.getMessage());
        }
        int last = 0;
        try (Stream<Path> files = Files.list(dir)) {
            last = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("\\d{4,}-.*\\.json"))
                    .mapToInt(n -> Integer.parseInt(n.substring(0, n.indexOf('-'))))
                    .max().orElse(0);
        } catch (IOException e) {
            throw new IllegalArgumentException("record: cannot read directory '" + dir + "': " + e.getMessage());
        }
        return new Recorder(dir, last);
    }

    public Path directory() {
        return dir;
    }

    /** Writes the fixture and returns its file. */
    public Path write(Fixture fixture) {
        String name = String.format(Locale.ROOT, "%04d-%s-%s.json", sequence.incrementAndGet(),
                fixture.provider().name().toLowerCase(Locale.ROOT), slug(fixture.path()));
        Path target = dir.resolve(name);
        try {
            Path tmp = Files.createTempFile(dir, ".recording-", ".tmp");
            Files.write(tmp, FixtureCodec.write(fixture));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("record: cannot write '" + target + "'", e);
        }
    }

    private static String slug(String path) {
        String s = path.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return s.isEmpty() ? "root" : s.length() > 60 ? s.substring(0, 60) : s;
    }
}
