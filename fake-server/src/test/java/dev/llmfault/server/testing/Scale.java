package dev.llmfault.server.testing;

/**
 * Sizes of the reliability suites: quick in the normal build, long under {@code -Preliability}
 * (which sets the system property {@code llmfault.reliability=true}).
 */
public final class Scale {
    private Scale() {
    }

    public static boolean reliability() {
        return Boolean.getBoolean("llmfault.reliability");
    }

    /** The quick value normally, the long one under the reliability profile. */
    public static int of(int quick, int reliability) {
        return reliability() ? reliability : quick;
    }
}
