package dev.runstream.testing.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The chat page as a user (and a test) sees it: what it shows, and what can be done on it. */
public final class ChatPage {

  /** How often conditions are checked: often enough to see a stream word by word. */
  private static final Duration POLL = Duration.ofMillis(20);

  private final WebDriver driver;
  private final URL address;

  private ChatPage(WebDriver driver, URL address) {
    this.driver = driver;
    this.address = address;
  }

  /** Opens the page at {@code address} as a browser that has never been there. */
  public static ChatPage fresh(WebDriver driver, URL address) {
    ChatPage page = new ChatPage(driver, address);
    driver.get(address.toExternalForm());
    page.script("localStorage.clear()");
    page.load();
    return page;
  }

  /** (Re)loads the page, optionally with a {@code #fragment}, and waits for its script. */
  public ChatPage load(String fragment) {
    driver.get(address.toExternalForm() + fragment);
    return awaitReady();
  }

  public ChatPage load() {
    return load("");
  }

  public ChatPage reload() {
    driver.navigate().refresh();
    return awaitReady();
  }

  /** Waits until the page's script has started (after a load, or a sign-in's redirects). */
  public ChatPage awaitReady() {
    await(Duration.ofSeconds(10), d -> "true".equals(attribute("html", "data-ready")));
    return this;
  }

  /** The element of this id. */
  public WebElement element(String id) {
    return driver.findElement(By.id(id));
  }

  /** Sets the options a run is created with; null leaves the server's default pause. */
  public ChatPage options(String responder, Integer delayMs) {
    WebElement details = driver.findElement(By.cssSelector("details.options"));
    if (details.getDomAttribute("open") == null) {
      driver.findElement(By.cssSelector("details.options summary")).click();
    }
    new Select(driver.findElement(By.id("responder"))).selectByValue(responder);
    WebElement delay = driver.findElement(By.id("delay"));
    delay.clear();
    if (delayMs != null) {
      delay.sendKeys(delayMs.toString());
    }
    return this;
  }

  /** Types {@code text} in the message box and presses Send. */
  public ChatPage send(String text) {
    WebElement message = driver.findElement(By.id("message"));
    message.clear();
    message.sendKeys(text);
    driver.findElement(By.id("send")).click();
    return this;
  }

  public void stop() {
    driver.findElement(By.id("stop")).click();
  }

  /** The reply exactly as rendered, white space and all. */
  public String reply() {
    return textContent("#reply");
  }

  public String prompt() {
    return textContent("#prompt");
  }

  /** The run's status as the page shows it (its wire name: in_progress, completed ...). */
  public String status() {
    return attribute("#status", "data-status");
  }

  /** The connection as the page shows it: idle, connecting, live, reconnecting, closed. */
  public String connection() {
    return attribute("#connection", "data-state");
  }

  public String connectionLabel() {
    return textContent("#connection");
  }

  public String runId() {
    return attribute("#run", "data-run-id");
  }

  /** The id of the last event the reply has rendered. */
  public long lastEventId() {
    return Long.parseLong(attribute("#reply", "data-last-event-id"));
  }

  /** The run's error or problem as shown, or null while none is shown. */
  public String runError() {
    return shown("run-error");
  }

  /** The problem a refused request was answered with, or null while none is shown. */
  public String formError() {
    return shown("form-error");
  }

  /** The past runs listed, newest first, as their buttons read. */
  public List<WebElement> pastRuns() {
    return driver.findElements(By.cssSelector("#past button"));
  }

  /** Every address the page fetched (documents, scripts, styles, API calls, streams). */
  @SuppressWarnings("unchecked")
  public List<String> fetched() {
    return (List<String>)
        script(
            "return [location.href, ...performance.getEntriesByType('resource').map(e => e.name)]");
  }

  /** The address of every EventSource this page (since its last load) has opened, in order. */
  @SuppressWarnings("unchecked")
  public List<String> streamsOpened() {
    return (List<String>) script("return window.openedStreams");
  }

  /** The {@code error} events of this page's EventSources (since its last load). */
  public long streamErrors() {
    return ((Number) script("return window.streamErrors")).longValue();
  }

  /**
   * Every breach of its Content Security Policy this page (since its last load) has reported: the
   * directive and what it blocked.
   */
  @SuppressWarnings("unchecked")
  public List<String> policyViolations() {
    return (List<String>) script("return window.policyViolations");
  }

  /** Waits, with a deadline, until {@code condition} gives a value other than null or false. */
  public <T> T await(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, POLL).until(condition);
  }

  /** Saves a PNG of the page under target/screenshots (kept with the test reports). */
  public Path screenshot(String name) {
    try {
      Path file = Path.of("target", "screenshots", name + ".png");
      Files.createDirectories(file.getParent());
      Files.write(
          file, ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Object script(String script, Object... arguments) {
    return ((JavascriptExecutor) driver).executeScript(script, arguments);
  }

  private String shown(String id) {
    WebElement element = driver.findElement(By.id(id));
    return element.isDisplayed() ? element.getText() : null;
  }

  private String textContent(String selector) {
    return (String) script("return document.querySelector(arguments[0]).textContent", selector);
  }

  private String attribute(String selector, String name) {
    return (String)
        script(
            "return document.querySelector(arguments[0])?.getAttribute(arguments[1])",
            selector,
            name);
  }
}
