package dev.llmfault.bench;

/** The three servers measured side by side, each with its JMH class for the embedded figures. */
enum Tool {
    OURS("LLM Fault Kit", "OursEmbeddedBench"),
    WIREMOCK("WireMock 3.13.2", "WireMockEmbeddedBench"),
    MOCKSERVER("MockServer 7.6.0", "MockServerEmbeddedBench");

    final String label;
    final String jmhClass;

    Tool(String label, String jmhClass) {
        this.label = label;
        this.jmhClass = jmhClass;
    }
}
