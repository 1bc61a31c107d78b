package dev.llmfault.server.internal.engine;

/**
 * A coin whose n-th toss depends only on the seed and n (SplitMix64's finalizer), not on the order in
 * which threads arrive: the same seed gives the same decisions run after run.
 */
final class SeededCoin {
    private SeededCoin() {
    }

    /** A number in [0, 1) for toss {@code n} of {@code seed}. */
    static double toss(long seed, long n) {
        long z = seed + (n + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
