package dev.llmfault.server.internal.catalogue;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Scenario;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One list of placeholders for the renderer, the rows and users' body templates. */
class PlaceholderTest {

    @Test
    void everyRowUsesOnlyKnownPlaceholders() {
        assertThat(FaultCatalogue.get().all()).allSatisfy(r -> {
            assertThat(Placeholder.firstUnknown(r.message())).as("message of %s", r).isNull();
            r.headers().values().forEach(v -> assertThat(Placeholder.firstUnknown(v)).as("header of %s", r).isNull());
            assertThat(Placeholder.firstUnknown(r.param())).as("param of %s", r).isNull();
        });
    }

    @Test
    void theRendererFillsEveryPlaceholderAndLeavesOtherBracesAlone() {
        Vars vars = new Vars();
        for (Placeholder p : Placeholder.values()) {
            vars.put(p, p.name());
        }
        for (Placeholder p : Placeholder.values()) {
            assertThat(vars.fill("<{" + p.token() + "}>", false)).isEqualTo("<" + p.name() + ">");
        }
        assertThat(vars.fill("{\"a\":{x}} {model", false)).isEqualTo("{\"a\":{x}} {model");
    }

    @Test
    void aScenarioBodyWithATypoInAPlaceholderIsRefusedNamingTheAllowedOnes() {
        assertThatThrownBy(() -> Scenario.builder(Fault.SERVER_ERROR).body("{\"error\":\"{keyMsk}\"}").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("body: unknown placeholder {keyMsk}, allowed: {key}, {keyMask},");
        assertThatThrownBy(() -> Scenario.builder(Fault.SERVER_ERROR).header("x-id", "{reqestId}").build())
                .hasMessageStartingWith("headers.x-id: unknown placeholder {reqestId}");
        assertThat(Scenario.builder(Fault.SERVER_ERROR).body("{\"error\":{\"code\":1200,\"key\":\"{keyMask}\"}}").build().body())
                .contains("{keyMask}");
    }
}
