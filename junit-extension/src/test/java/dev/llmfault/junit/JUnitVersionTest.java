package dev.llmfault.junit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extension's tests run twice, on the JUnit it is compiled against (junit-extension) and on JUnit 6
 * (junit6-compat): this proves each run really has the JUnit it claims.
 */
class JUnitVersionTest {

    @Test
    void theJupiterOnTheClassPathIsTheOneThisRunIsFor() {
        String expected = System.getProperty("llmfault.expected.junit");
        String actual = Test.class.getPackage().getImplementationVersion();
        assertThat(expected).as("-Dllmfault.expected.junit, set by the module's surefire configuration").isNotBlank();
        assertThat(actual).as("the Implementation-Version of junit-jupiter-api").isEqualTo(expected);
    }
}
