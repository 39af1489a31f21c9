package dev.vigil.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver. Selenium Manager cannot download a driver here
 * (no network for it, and no Chrome for Testing build for this chromium), so both come from the system packages
 * {@code chromium} and {@code chromium-driver}; {@code ./vigil test} installs them when it runs as root.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** How long a page or a condition may take before the test fails with what it waited for. */
    static final Duration WAIT = Duration.ofSeconds(30);

    final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Fails (never skips) with what to install when chromium or its driver is missing. */
    static void requireInstalled() {
        for (Path required : new Path[] {BINARY, DRIVER}) {
            if (!Files.isExecutable(required)) {
                throw new IllegalStateException(required + " is missing: the console's browser test drives Debian's "
                        + "headless chromium. Install Debian's chromium and chromium-driver (as root: apt-get update "
                        + "&& apt-get install -y chromium chromium-driver; ./vigil test does it when run as root)");
            }
        }
    }

    /** Starts the browser with a window of that size; see {@link #requireInstalled()}. */
    static HeadlessChromium start(int width, int height) throws IOException {
        requireInstalled();
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        Path profile = Files.createTempDirectory("vigil-console-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile,
                "--no-first-run", "--disable-extensions", "--disable-background-networking", "--lang=en-US");
        options.setPageLoadTimeout(WAIT);
        options.setScriptTimeout(WAIT);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(WAIT)
                .build();
        try {
            return new HeadlessChromium(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            service.stop();
            AlertingPipeline.deleteQuietly(profile);
            throw e;
        }
    }

    /** Waits (at most {@link #WAIT}) until {@code condition} gives a non-null, non-false value, and returns it. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).withMessage(what).until(condition);
    }

    /** A screenshot of the window into {@code dir/name}, when a directory is given. */
    void screenshot(Path dir, String name) throws IOException {
        if (dir == null) {
            return;
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    }

    /** What the page's script can tell about itself (returns what the script returns). */
    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            AlertingPipeline.deleteQuietly(profile);
        }
    }
}
