package dev.llmfault.browser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With --admin-token the dashboard shows nothing but the prompt until the right token is given. */
class DashboardTokenIT {

    @Test
    void thePromptGuardsThePage(@TempDir Path dir) throws Exception {
        try (StandaloneServer server = StandaloneServer.start(dir, "--admin-token", "s3cret-admin-token")) {
            assertThat(server.chat("sk-guarded-0123456789abcdef", "gpt-4o-secret-model")).isEqualTo(200);
            ChromeDriver browser = Browser.start(Files.createDirectories(dir.resolve("profile")), true);
            try {
                browser.get(server.url + "/__admin/ui");
                await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("prompt")).isDisplayed());
                assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();
                assertThat(browser.findElements(By.cssSelector("#journal tbody tr"))).isEmpty();
                assertThat(browser.getPageSource()).doesNotContain("gpt-4o-secret-model");
                assertThat(server.get("/__admin/requests").statusCode()).as("the data stays behind the token").isEqualTo(401);
                assertThat(server.get("/__admin/timeline.svg").statusCode()).isEqualTo(401);
                Browser.screenshot(browser, "dashboard-token-prompt");

                browser.findElement(By.id("token")).sendKeys("wrong");
                browser.findElement(By.id("token-submit")).click();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(browser.findElement(By.id("token-error")).getText()).contains("refused"));
                assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();

                browser.findElement(By.id("token")).clear();
                browser.findElement(By.id("token")).sendKeys("s3cret-admin-token");
                browser.findElement(By.id("token-submit")).click();
                await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("dashboard")).isDisplayed());
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(browser.findElement(By.id("journal")).getText()).contains("gpt-4o-secret-model"));
                assertThat(browser.findElement(By.id("prompt")).isDisplayed()).isFalse();
            } finally {
                browser.quit();
            }
        }
    }
}
