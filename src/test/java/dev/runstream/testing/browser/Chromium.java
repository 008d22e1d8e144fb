package dev.runstream.testing.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver. Both paths are given to
 * Selenium, so Selenium Manager never runs and nothing is downloaded; a machine without them fails
 * the test with the command that installs them (as {@code .ci/run} does).
 */
public final class Chromium implements AutoCloseable {

  /** Overridable with {@code -Dchromium.binary=...} and {@code -Dchromium.driver=...}. */
  public static final String BINARY = System.getProperty("chromium.binary", "/usr/bin/chromium");

  public static final String DRIVER =
      System.getProperty("chromium.driver", "/usr/bin/chromedriver");

  /**
   * Runs in every page before its own scripts: notes the address of each EventSource the page
   * opens, so a test can see where a stream was resumed from, and counts the {@code error} events
   * of all of them (one per dropped or refused connection, reconnected by the browser or not).
   */
  private static final String RECORD_STREAMS =
      """
      (() => {
        const opened = [];
        window.openedStreams = opened;
        window.streamErrors = 0;
        const Native = window.EventSource;
        window.EventSource = class extends Native {
          constructor(url, init) {
            super(url, init);
            opened.push(this.url);
            this.addEventListener('error', () => window.streamErrors++);
          }
        };
      })();
      """;

  /**
   * Runs in every page before its own scripts: notes each breach of the page's Content Security
   * Policy the browser reports (the directive, and what it blocked), so a test sees what the policy
   * refused.
   */
  private static final String RECORD_POLICY_VIOLATIONS =
      """
      (() => {
        const violations = [];
        window.policyViolations = violations;
        document.addEventListener('securitypolicyviolation', e =>
          violations.push(e.effectiveDirective + ' ' + e.blockedURI));
      })();
      """;

  private final ChromeDriver driver;
  private final Path profile;

  private Chromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Starts a headless Chromium with a fresh profile, its window {@code width} x {@code height}. */
  public static Chromium start(int width, int height) {
    File binary = executable(BINARY);
    File driverExecutable = executable(DRIVER);
    Path profile = tempDirectory();
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(binary)
            .addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(driverExecutable)
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(60))
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    driver.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_STREAMS));
    driver.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_POLICY_VIOLATIONS));
    return new Chromium(driver, profile);
  }

  public ChromeDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      delete(profile);
    }
  }

  private static File executable(String path) {
    File file = new File(path);
    if (!file.canExecute()) {
      fail(
          path
              + " is missing: the browser tests need Debian's Chromium and its driver. Install"
              + " them with `apt-get update && apt-get install -y chromium chromium-driver` (.ci/run"
              + " does), or give other paths with -Dchromium.binary= and -Dchromium.driver=.");
    }
    return file;
  }

  private static Path tempDirectory() {
    try {
      return Files.createTempDirectory("chromium-profile");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // a profile left in the temp folder (target/ in the build) harms nothing
    }
  }
}
