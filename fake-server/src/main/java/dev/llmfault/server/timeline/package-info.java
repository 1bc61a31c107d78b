/**
 * The request timeline as data and as pictures (text, SVG, HTML escaping), shared by the server's live dashboard
 * and the JUnit extension's failure messages and resilience report.
 *
 * <p><b>Internal.</b> Every type here is {@code @API(status = INTERNAL)}: public only so that the two modules of
 * the kit draw one timeline, not for users, and free to change in any release. Users read a timeline with
 * {@link dev.llmfault.server.RequestJournal#timeline(java.util.List)} and see it in the report. The API dumps
 * ({@code api/*.api}) leave these types out.
 */
package dev.llmfault.server.timeline;
