package dev.llmfault.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Seeded random input for the fuzz suites: the same seed gives the same values in the same order, so a
 * failing input is replayed from its seed alone (see {@link Tries}). Numbers and strings lean towards
 * their edges (0, -1, the extremes, the empty string) now and then, where parsers break most often.
 *
 * <pre>{@code
 * Gen gen = new Gen(42);
 * String method = gen.weighted(Gen.weight(8, () -> "POST"), Gen.weight(1, () -> gen.oneOf("GET", "PUT")));
 * String segment = gen.string("abc019-_.~", 0, 12);
 * }</pre>
 */
public final class Gen {
    private static final int[] EDGE_INTS = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final long[] EDGE_LONGS = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE + 1L};
    private static final double[] EDGE_DOUBLES = {0.0, -0.0, 1.0, -1.0, 0.5, Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.MIN_VALUE, 1e-300, 1e300};

    private final SplittableRandom random;

    public Gen(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** An int from {@code min} to {@code max}, both included. */
    public int between(int min, int max) {
        return (int) random.nextLong(min, (long) max + 1);
    }

    /** True once in {@code n} calls, on average. */
    public boolean oneIn(int n) {
        return random.nextInt(n) == 0;
    }

    @SafeVarargs
    public final <T> T oneOf(T... values) {
        return values[random.nextInt(values.length)];
    }

    public <T> T oneOf(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    public int anyInt() {
        return oneIn(8) ? EDGE_INTS[random.nextInt(EDGE_INTS.length)] : random.nextInt();
    }

    public long anyLong() {
        return oneIn(8) ? EDGE_LONGS[random.nextInt(EDGE_LONGS.length)] : random.nextLong();
    }

    /** A finite double of any magnitude (JSON has no NaN or infinity). */
    public double anyDouble() {
        if (oneIn(8)) {
            return EDGE_DOUBLES[random.nextInt(EDGE_DOUBLES.length)];
        }
        return (random.nextDouble() * 2 - 1) * Math.pow(10, between(-10, 20));
    }

    /** A string of {@code min} to {@code max} characters taken from {@code alphabet}. */
    public String string(String alphabet, int min, int max) {
        int length = between(min, max);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** Printable ASCII (space to tilde), up to {@code max} characters. */
    public String printable(int max) {
        StringBuilder s = new StringBuilder();
        for (int i = between(0, max); i > 0; i--) {
            s.append((char) between(' ', '~'));
        }
        return s.toString();
    }

    /**
     * Any text up to {@code max} code points: mostly ASCII, with control characters, letters of other
     * scripts and characters outside the BMP (surrogate pairs) mixed in.
     */
    public String anyString(int max) {
        if (oneIn(10)) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (int i = between(0, max); i > 0; i--) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                s.append((char) between(' ', '~'));
            } else if (kind < 7) {
                s.append((char) between(0, 0x1f));
            } else if (kind < 9) {
                s.append((char) between(0xa0, 0xd7ff));
            } else {
                s.appendCodePoint(between(0x10000, 0x1faff));
            }
        }
        return s.toString();
    }

    /** Up to {@code max} items. */
    public <T> List<T> list(int max, Supplier<T> item) {
        List<T> out = new ArrayList<>();
        for (int i = between(0, max); i > 0; i--) {
            out.add(item.get());
        }
        return out;
    }

    /**
     * A JSON value nested up to {@code depth} levels: three times in five a leaf (null, boolean, number,
     * text), else an array or an object of up to four items, whose keys are often {@code keys}.
     */
    public JsonNode json(int depth, String... keys) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = depth <= 0 ? 0 : between(0, 4);
        if (kind == 3) {
            ArrayNode a = f.arrayNode();
            list(4, () -> json(depth - 1, keys)).forEach(a::add);
            return a;
        }
        if (kind == 4) {
            ObjectNode o = f.objectNode();
            for (int i = between(0, 4); i > 0; i--) {
                o.set(keys.length > 0 && oneIn(2) ? oneOf(keys) : anyString(8), json(depth - 1, keys));
            }
            return o;
        }
        return switch (between(0, 5)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(oneIn(2));
            case 2 -> f.numberNode(anyInt());
            case 3 -> f.numberNode(anyLong());
            case 4 -> f.numberNode(anyDouble());
            default -> f.textNode(anyString(30));
        };
    }

    /** One of the options, chosen in proportion to its weight; only the chosen one is made. */
    @SafeVarargs
    public final <T> T weighted(Weighted<? extends T>... options) {
        int total = 0;
        for (Weighted<? extends T> o : options) {
            total += o.weight();
        }
        int roll = random.nextInt(total);
        for (Weighted<? extends T> o : options) {
            roll -= o.weight();
            if (roll < 0) {
                return o.value().get();
            }
        }
        throw new IllegalStateException("unreachable: the rolls add up to the total weight");
    }

    public static <T> Weighted<T> weight(int weight, Supplier<T> value) {
        if (weight <= 0) {
            throw new IllegalArgumentException("weight: expected > 0, got " + weight);
        }
        return new Weighted<>(weight, value);
    }

    /** An option of {@link #weighted}: how often, and how to make the value. */
    public record Weighted<T>(int weight, Supplier<T> value) {
    }
}
