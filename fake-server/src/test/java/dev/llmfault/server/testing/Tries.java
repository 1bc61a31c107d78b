package dev.llmfault.server.testing;

import org.junit.jupiter.api.DynamicTest;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * A property checked on many random inputs, one dynamic test per try, each made from its own seed. Each
 * run draws new seeds; a failure names its seed and prints the input, and
 * {@code -Dllmfault.fuzz.seed=SEED} runs that one input again:
 * {@code mvn -B -pl fake-server test -Dtest=ProviderInputPropertiesTest -Dllmfault.fuzz.seed=-4242}.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> everyBodyGetsAnAnswer() {
 *     return Tries.of(Scale.of(200, 5_000), gen -> gen.anyString(50), body -> assertThat(send(body)).isLessThan(500));
 * }
 * }</pre>
 */
public final class Tries {
    /** The seed to replay instead of a run of random ones. */
    public static final String SEED_PROPERTY = "llmfault.fuzz.seed";

    private Tries() {
    }

    /** The quick number of tries in the normal build, the long one under {@code -Preliability}. */
    public static int count() {
        return Scale.of(200, 5_000);
    }

    public static <T> Stream<DynamicTest> of(Function<Gen, T> input, Consumer<T> property) {
        return of(count(), input, property);
    }

    public static <T> Stream<DynamicTest> of(int tries, Function<Gen, T> input, Consumer<T> property) {
        String replay = System.getProperty(SEED_PROPERTY);
        LongStream seeds = replay != null ? LongStream.of(Long.parseLong(replay.strip()))
                : new SplittableRandom().longs(tries);
        return seeds.mapToObj(seed -> dynamicTest("seed " + seed, () -> check(seed, input, property)));
    }

    private static <T> void check(long seed, Function<Gen, T> input, Consumer<T> property) {
        T value = input.apply(new Gen(seed));
        try {
            property.accept(value);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("failed for seed " + seed + " (replay it with -D" + SEED_PROPERTY + "=" + seed
                    + ")\ninput: " + escaped(String.valueOf(value)) + "\n" + e.getMessage(), e);
        }
    }

    /** Control characters as {@code \\uXXXX}, so the log shows exactly what was sent and stays readable. */
    private static String escaped(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.chars().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
