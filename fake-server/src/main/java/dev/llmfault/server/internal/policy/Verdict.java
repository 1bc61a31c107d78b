package dev.llmfault.server.internal.policy;

import dev.llmfault.server.internal.dialect.Rejection;
import dev.llmfault.server.internal.dialect.Throttle;

/**
 * What the policies decided: a refusal (or none), and the rate-limit state the answer reports.
 */
public record Verdict(Rejection rejection, Throttle throttle) {

    public static final Verdict PASS = new Verdict(null, Throttle.unlimited());

    public static Verdict refuse(Rejection rejection) {
        return new Verdict(rejection, Throttle.unlimited());
    }

    public boolean refused() {
        return rejection != null;
    }
}
