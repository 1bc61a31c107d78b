package dev.llmfault.junit;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.llmfault.server.testing.ApiRules;
import org.junit.jupiter.api.Test;

/**
 * The module boundary of llmfault-junit: it uses the server only through the server's public API, and its own
 * API shows no internal type and says how stable it is.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.llmfault.junit";
    private static final JavaClasses CLASSES = ApiRules.production(LlmFaultExtension.class);

    @Test
    void usesTheServerOnlyThroughItsPublicApi() {
        ApiRules.usesNoInternalsOfOtherModules(ROOT).check(CLASSES);
    }

    @Test
    void thePublicApiExposesNoInternalType() {
        ApiRules.apiExposesNoInternalTypes(ROOT).check(CLASSES);
    }

    @Test
    void everyPublicApiTypeCarriesAStabilityStatus() {
        ApiRules.apiTypesCarryAStatus(ROOT).check(CLASSES);
    }
}
