package dev.llmfault.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmfault.junit.fixtures.ReportFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The report of a real run (the extension's ReportFixture, run through EngineTestKit) opened in Chromium with
 * JavaScript switched off: the scorecard's cells, the bars of a timeline against the run's journal, the links and
 * the keyboard.
 */
class ReportPageIT {
    private static final Path RUN = Path.of("target", "report-run");
    private static JsonNode report;
    private static ChromeDriver browser;

    @BeforeAll
    static void runTheFixturesAndOpenTheReport(@TempDir Path profile) throws Exception {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(ReportFixture.class))
                .configurationParameter("llmfault.timeline.print", "false")
                .configurationParameter("llmfault.report.dir", RUN.toString())
                .execute();
        report = new ObjectMapper().readTree(RUN.resolve("report.json").toFile());
        browser = Browser.start(profile, false);
        browser.get(RUN.resolve("index.html").toAbsolutePath().toUri().toString());
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theScorecardShowsEachCellInWordsAndColour() {
        WebElement grid = browser.findElement(By.cssSelector("#class-ReportFixture table.grid"));
        assertThat(grid.findElements(By.cssSelector("thead th")).stream().map(WebElement::getText))
                .containsExactly("Fault", "retryingClient \u00B7 OPENAI", "retryingClient \u00B7 ANTHROPIC");
        assertCell("RATE_LIMITED", "OPENAI", "passed", "\u2713 passed", "rgba(200, 230, 201, 1)");
        assertCell("SERVER_ERROR", "OPENAI", "passed", "\u2713 passed", "rgba(200, 230, 201, 1)");
        assertCell("INVALID_TOKEN", "OPENAI", "failed", "\u2717 failed", "rgba(255, 205, 210, 1)");
        assertCell("INVALID_TOKEN", "ANTHROPIC", "passed", "\u2713 passed", "rgba(200, 230, 201, 1)");
        assertCell("QUOTA_EXCEEDED", "OPENAI", "skipped", "\u2013 skipped", "rgba(238, 238, 238, 1)");
        assertThat(browser.findElement(By.cssSelector("#class-ReportFixture .survived")).getText())
                .isEqualTo("ReportFixture: survived 5 of 6 faults (2 skipped); other tests: passed 0 of 1");

        WebElement failed = cell("INVALID_TOKEN", "OPENAI").findElement(By.tagName("a"));
        assertThat(failed.getAttribute("title")).as("the assertion message on hover")
                .contains("never retry INVALID_TOKEN");
        Browser.screenshot(browser.findElement(By.id("class-ReportFixture")), "report-scorecard");
    }

    @Test
    void aTimelineHasOneBarPerJournalEntryColouredByOutcomeAndTheEarlyRetryMarked() {
        JsonNode test = test("retriesTooSoon");
        JsonNode requests = test.path("requests");
        WebElement article = browser.findElement(By.id(test.path("id").asText()));
        List<WebElement> bars = article.findElements(By.cssSelector("svg g.bar"));
        assertThat(bars).hasSize(requests.size()).hasSize(3);
        for (int i = 0; i < bars.size(); i++) {
            WebElement bar = bars.get(i);
            assertThat(bar.getAttribute("data-seq")).isEqualTo(requests.get(i).path("sequence").asText());
        }
        assertBar(bars.get(0), "success", "#2e7d32", "200");
        assertBar(bars.get(1), "injected-error", "#d84315", "429 RATE_LIMITED \u00B7 wait 5000 ms");
        assertBar(bars.get(2), "success", "#2e7d32", "200 \u00B7 EARLY by");
        assertThat(bars.get(0).getAttribute("class")).doesNotContain("early").doesNotContain("marked");
        assertThat(bars.get(2).getAttribute("class")).contains("early").contains("marked");
        assertThat(bars.get(2).findElement(By.cssSelector("rect.bar-rect")).getAttribute("stroke")).isEqualTo("#d50000");
        assertThat(bars.get(1).findElements(By.cssSelector("rect.wait"))).as("the wait band").hasSize(1);

        // the failed assertion's blamed request is marked and linked to its row of the table
        WebElement blamed = article.findElement(By.cssSelector("p.offenders a"));
        assertThat(blamed.getText()).isEqualTo("#" + requests.get(2).path("sequence").asText());
        blamed.click();
        String row = test.path("id").asText() + "-row-" + requests.get(2).path("sequence").asText();
        assertThat(browser.getCurrentUrl()).endsWith("#" + row);
        assertThat(browser.findElement(By.id(row)).getAttribute("class")).contains("offending").contains("early");
        assertThat(article.getText()).contains("sk-re***cdef").doesNotContain(ReportFixture.KEY);
        Browser.screenshot(article.findElement(By.tagName("figure")), "report-timeline");
    }

    @Test
    void aCellLinksToItsTestAndTheKeyboardReachesIt() {
        browser.navigate().to(browser.getCurrentUrl().replaceAll("#.*", "") + "#top");
        WebElement link = cell("INVALID_TOKEN", "OPENAI").findElement(By.tagName("a"));
        String target = link.getAttribute("href").replaceAll(".*#", "");
        // tab from the page's start until the failed cell has the focus, then press Enter
        WebElement body = browser.findElement(By.tagName("body"));
        body.click();
        boolean reached = false;
        for (int i = 0; i < 60 && !reached; i++) {
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
            reached = link.equals(browser.switchTo().activeElement());
        }
        assertThat(reached).as("the failed cell's link is reachable with Tab").isTrue();
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        assertThat(browser.getCurrentUrl()).endsWith("#" + target);
        WebElement article = browser.findElement(By.id(target));
        assertThat(article.getText()).contains("[INVALID_TOKEN on OPENAI]").contains("\u2717 failed");
        assertThat(article.findElements(By.cssSelector("svg g.bar"))).hasSize(testById(target).path("requests").size());
    }

    @Test
    void theReportIsOneFileThatNeedsNoScript() throws Exception {
        String html = Files.readString(RUN.resolve("index.html"));
        assertThat(html).doesNotContain("<script").doesNotContainPattern("(src|href)=\"(https?:)?//");
        assertThat(browser.findElements(By.cssSelector("svg.timeline"))).hasSize(report.path("tests").size()
                - (int) java.util.stream.StreamSupport.stream(report.path("tests").spliterator(), false)
                        .filter(t -> t.path("requests").isEmpty()).count());
    }

    private static void assertCell(String fault, String provider, String cls, String text, String background) {
        WebElement cell = cell(fault, provider);
        assertThat(cell.getAttribute("class")).as(fault + " x " + provider).contains(cls);
        assertThat(cell.getText()).as(fault + " x " + provider).isEqualTo(text);
        assertThat(cell.getCssValue("background-color")).as(fault + " x " + provider).isEqualTo(background);
        String id = cell.findElement(By.tagName("a")).getAttribute("href").replaceAll(".*#", "");
        assertThat(testById(id).path("outcome").asText()).isEqualTo(cls);
    }

    private static void assertBar(WebElement bar, String outcome, String fill, String label) {
        assertThat(bar.getAttribute("data-outcome")).isEqualTo(outcome);
        assertThat(bar.findElement(By.cssSelector("rect.bar-rect")).getAttribute("fill")).isEqualTo(fill);
        assertThat(bar.findElement(By.cssSelector("text.bar-label")).getText()).startsWith(label);
    }

    private static WebElement cell(String fault, String provider) {
        return browser.findElement(By.cssSelector("td.cell[data-fault='" + fault + "'][data-provider='" + provider + "']"));
    }

    private static JsonNode test(String method) {
        for (JsonNode t : report.path("tests")) {
            if (t.path("method").asText().equals(method)) return t;
        }
        throw new AssertionError("no test " + method + " in report.json");
    }

    private static JsonNode testById(String id) {
        for (JsonNode t : report.path("tests")) {
            if (t.path("id").asText().equals(id)) return t;
        }
        throw new AssertionError("no test " + id + " in report.json");
    }
}
