package dev.llmfault.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The live dashboard of a running standalone server, in Chromium: journal, timeline, stats, the scenario form. */
class DashboardIT {
    static final String KEY = "sk-dashboard-0123456789abcdef";
    private static StandaloneServer server;
    private static ChromeDriver browser;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        server = StandaloneServer.start(dir);
        Path profile = Files.createDirectories(dir.resolve("profile"));
        browser = Browser.start(profile, true);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    @BeforeEach
    void freshServerAndPage() throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url + "/__admin/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url + "/__admin/requests"))
                .DELETE().build(), HttpResponse.BodyHandlers.discarding());
        browser.get(server.url + "/__admin/ui");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("dashboard")).isDisplayed());
    }

    @Test
    void theJournalTimelineAndStatsFollowTheTraffic() throws Exception {
        assertThat(server.chat(KEY, "gpt-4o-mini")).isEqualTo(200);
        assertThat(server.chat(KEY, "gpt-4o")).isEqualTo(200);

        List<WebElement> rows = awaitRows(2);
        assertThat(rows.get(0).getText()).as("newest first").contains("gpt-4o 200").contains("sk-da***cdef");
        assertThat(rows.get(1).getText()).contains("gpt-4o-mini 200");
        List<WebElement> bars = awaitBars(2);
        assertThat(bars).allSatisfy(bar -> {
            assertThat(bar.getAttribute("data-outcome")).isEqualTo("success");
            assertThat(bar.findElement(By.cssSelector("rect.bar-rect")).getAttribute("fill")).isEqualTo("#2e7d32");
            assertThat(bar.findElement(By.cssSelector("text.bar-label")).getText()).startsWith("200");
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(browser.findElement(By.id("stats")).getText()).contains("2 request(s) in the journal")
                        .contains("OPENAI 2"));
        assertThat(browser.getPageSource()).doesNotContain(KEY);
    }

    @Test
    void aScenarioAddedThroughTheFormMakesTheNextRequestFailWithThatFault() throws Exception {
        new Select(browser.findElement(By.id("sc-fault"))).selectByValue("RATE_LIMITED");
        new Select(browser.findElement(By.id("sc-provider"))).selectByValue("OPENAI");
        browser.findElement(By.id("sc-times")).sendKeys("1");
        browser.findElement(By.id("sc-retryAfterMs")).sendKeys("3000");
        browser.findElement(By.id("scenario-add")).click();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(browser.findElement(By.id("scenario-result")).getText()).startsWith("added "));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(browser.findElement(By.cssSelector("#scenarios tbody")).getText()).contains("RATE_LIMITED")
                        .contains("OPENAI").contains("times 1"));

        assertThat(server.chat(KEY, "gpt-4o-mini")).as("the next request meets the fault").isEqualTo(429);
        assertThat(server.chat(KEY, "gpt-4o-mini")).as("a retry at once, inside the 3 s asked for").isEqualTo(200);

        List<WebElement> rows = awaitRows(2);
        assertThat(rows.get(1).getText()).contains("429 RATE_LIMITED");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(browser.findElement(By.cssSelector("#scenarios tbody td.fired")).getText()).isEqualTo("1"));
        List<WebElement> bars = awaitBars(2);
        assertThat(bars.get(0).getAttribute("data-outcome")).isEqualTo("injected-error");
        assertThat(bars.get(0).findElement(By.cssSelector("rect.bar-rect")).getAttribute("fill")).isEqualTo("#d84315");
        assertThat(bars.get(0).findElement(By.cssSelector("text.bar-label")).getText()).startsWith("429 RATE_LIMITED");
        assertThat(bars.get(1).getAttribute("class")).contains("early");
        assertThat(bars.get(1).findElement(By.cssSelector("text.bar-label")).getText()).contains("EARLY by");
        Browser.screenshot(browser, "dashboard");

        // the server's validation answers the form: nothing bypasses it
        browser.findElement(By.id("sc-probability")).sendKeys("2");
        browser.findElement(By.id("scenario-add")).click();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(browser.findElement(By.id("scenario-result")).getText()).startsWith("refused: probability"));
        assertThat(browser.findElements(By.cssSelector("#scenarios tbody tr"))).hasSize(1);

        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() ->
                browser.findElement(By.cssSelector("#scenarios tbody button")).click());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(browser.findElement(By.cssSelector("#scenarios tbody")).getText()).isEqualTo("none"));
        assertThat(server.chat(KEY, "gpt-4o-mini")).as("removed: requests pass again").isEqualTo(200);
    }

    @Test
    void replyRulesAreListedWithWhatTheyAnsweredAndCanBeRemoved() throws Exception {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(browser.findElement(By.cssSelector("#replies tbody")).getText()).isEqualTo("none: the default reply"));
        HttpResponse<String> added = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url + "/__admin/replies"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"provider\":\"OPENAI\",\"match\":{\"model\":\"gpt-4o\"},"
                        + "\"toolCalls\":[{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(browser.findElement(By.cssSelector("#replies tbody")).getText()).contains("r-1").contains("OPENAI")
                        .contains("\"model\":\"gpt-4o\"").contains("tool call get_weather({\"city\":\"Paris\"})"));
        assertThat(server.chat(KEY, "gpt-4o")).isEqualTo(200);
        assertThat(awaitRows(1).get(0).getText()).contains("200 (reply r-1)");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(browser.findElement(By.cssSelector("#replies tbody td.answered")).getText()).isEqualTo("1"));
        Browser.screenshot(browser, "dashboard-replies");

        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() ->
                browser.findElement(By.cssSelector("#replies tbody button[aria-label='remove reply rule r-1']")).click());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(browser.findElement(By.cssSelector("#replies tbody")).getText()).isEqualTo("none: the default reply"));
    }

    @Test
    void filtersNarrowTheJournalAndARowOpensTheMaskedRequest() throws Exception {
        server.chat(KEY, "gpt-4o-mini");
        server.chat("sk-other-0123456789abcdef", "gpt-4o");
        server.chat(KEY, "does-not-exist-model");
        awaitRows(3);

        browser.findElement(By.id("f-model")).sendKeys("gpt-4o");
        assertThat(rows()).hasSize(2);
        browser.findElement(By.id("f-key")).sendKeys("sk-ot");
        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.getText()).contains("sk-ot***cdef"));

        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() ->
                rows().get(0).findElement(By.tagName("button")).click());
        WebElement detail = browser.findElement(By.id("detail"));
        assertThat(detail.isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("detail-request")).getText()).contains("Bearer sk-ot***cdef")
                .doesNotContain("sk-other-0123456789abcdef");
        assertThat(browser.findElement(By.id("detail-answer")).getText()).contains("\"status\": 200");
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#journal tbody tr"));
    }

    private static List<WebElement> awaitRows(int n) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(rows().stream().map(WebElement::getText).toList()).as("journal rows; status: %s",
                        browser.findElement(By.id("status")).getText()).hasSize(n));
        return rows();
    }

    private static List<WebElement> awaitBars(int n) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.findElements(By.cssSelector("#timeline g.bar")).stream()
                        .map(b -> b.getAttribute("data-seq") + " " + b.getText()).toList())
                        .as("timeline bars; rows: %s", rows().stream().map(WebElement::getText).toList()).hasSize(n));
        return browser.findElements(By.cssSelector("#timeline g.bar"));
    }
}
