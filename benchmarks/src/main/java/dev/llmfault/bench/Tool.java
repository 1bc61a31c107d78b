package dev.llmfault.bench;

/**
 * The servers measured side by side, each with its JMH class for the embedded figures. The floor (a bare
 * Javalin app answering the same body) only takes part in the load phase: it has no cold start or embedded
 * API worth comparing.
 */
enum Tool {
    OURS("LLM Fault Kit", "OursEmbeddedBench"),
    WIREMOCK("WireMock 3.13.2", "WireMockEmbeddedBench"),
    MOCKSERVER("MockServer 7.6.0", "MockServerEmbeddedBench"),
    FLOOR("bare Javalin floor", null);

    /** The tools with a standalone jar and an embedded API: cold start and JMH. */
    static final Tool[] PRODUCTS = {OURS, WIREMOCK, MOCKSERVER};

    final String label;
    final String jmhClass;

    Tool(String label, String jmhClass) {
        this.label = label;
        this.jmhClass = jmhClass;
    }
}
