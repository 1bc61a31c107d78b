package dev.llmfault.server.api;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.testing.ApiRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The module boundary of llmfault-server: its API shows no internal type and says how stable it is. */
class ArchitectureTest {
    private static final String ROOT = "dev.llmfault.server";
    private static final JavaClasses CLASSES = ApiRules.production(FakeLlmServer.class);

    @Test
    void thePublicApiExposesNoInternalType() {
        ApiRules.apiExposesNoInternalTypes(ROOT).check(CLASSES);
    }

    @Test
    void everyPublicApiTypeCarriesAStabilityStatus() {
        ApiRules.apiTypesCarryAStatus(ROOT).check(CLASSES);
    }

    /** A public type that leaks an internal one and has no status: the rules must catch both. */
    public static final class LeakyApi {
        public dev.llmfault.server.internal.ServerBackend backend() {
            return null;
        }
    }

    /** The same leak, marked as not API: the kit's own modules may use it, users are told not to. */
    @org.apiguardian.api.API(status = org.apiguardian.api.API.Status.STABLE)
    public static final class MarkedInternal {
        @org.apiguardian.api.API(status = org.apiguardian.api.API.Status.INTERNAL)
        public dev.llmfault.server.internal.ServerBackend backend() {
            return null;
        }
    }

    @Test
    void aMemberMarkedInternalMayNameAnInternalType() {
        ApiRules.apiExposesNoInternalTypes("dev.llmfault.server").check(new ClassFileImporter().importClasses(MarkedInternal.class));
    }

    @Test
    void theRulesCatchALeakAndAMissingStatus() {
        JavaClasses leaky = new ClassFileImporter().importClasses(LeakyApi.class);
        assertThatThrownBy(() -> ApiRules.apiExposesNoInternalTypes("dev.llmfault.server").check(leaky))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("exposes dev.llmfault.server.internal.ServerBackend");
        assertThatThrownBy(() -> ApiRules.apiTypesCarryAStatus("dev.llmfault").check(
                new ClassFileImporter().importClasses(dev.llmfault.server.testing.Http.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("dev.llmfault.server.testing.Http");
    }
}
