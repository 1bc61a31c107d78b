package dev.llmfault.browser;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Debian's headless Chromium driven through its own chromedriver, both at paths given explicitly, so Selenium
 * Manager never downloads anything. Without Chromium a local run skips with a message; in CI ({@code CI} set) a
 * missing browser fails, since {@code .ci/run} installs it.
 */
final class Browser {
    static final Path CHROMIUM = Path.of(System.getProperty("llmfault.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("llmfault.chromedriver", "/usr/bin/chromedriver"));

    private Browser() {
    }

    /**
     * A fresh headless browser with its own profile.
     *
     * @param javascript false to prove a page needs no script
     */
    static ChromeDriver start(Path profile, boolean javascript) {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            String message = "Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install -y chromium chromium-driver";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(message + " (CI is set: .ci/run installs them, browser tests never skip there)");
            }
            Assumptions.abort(message);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --disable-background-networking & co: no call to any outside address (this network refuses them anyway)
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile.toAbsolutePath());
        if (!javascript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Saves a screenshot of one element as {@code target/screenshots/NAME.png}. */
    static Path screenshot(WebElement element, String name) {
        return save(element.getScreenshotAs(OutputType.FILE), name);
    }

    /** Saves a screenshot of the whole window. */
    static Path screenshot(TakesScreenshot driver, String name) {
        return save(driver.getScreenshotAs(OutputType.FILE), name);
    }

    private static Path save(File png, String name) {
        try {
            Path dir = Path.of(System.getProperty("llmfault.screenshots", "target/screenshots"));
            Files.createDirectories(dir);
            Path to = dir.resolve(name + ".png");
            Files.copy(png.toPath(), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
