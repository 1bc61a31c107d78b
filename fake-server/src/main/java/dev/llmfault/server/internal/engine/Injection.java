package dev.llmfault.server.internal.engine;

import dev.llmfault.server.Scenario;

/** A scenario that fired on a request: the fault to inject and the scenario's parameters. */
public record Injection(Scenario scenario, long matchIndex) {

    public String reason() {
        return "scenario " + scenario.id() + " (match #" + (matchIndex + 1) + ")";
    }
}
