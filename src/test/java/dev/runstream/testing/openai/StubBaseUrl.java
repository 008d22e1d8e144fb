package dev.runstream.testing.openai;

import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Test-only config source: {@code chat.openai.base-url} is the {@link StubCompletions} of this very
 * deployment. The server's port is random on Payara (and shifted on WildFly), so the URL cannot be
 * written into the WAR; instead {@link Recorder} notes the address of the first request the
 * deployment serves (Arquillian's own call that runs a test, or the test's create request), and the
 * responder, which reads its settings when a run is created, finds it here.
 *
 * <p>A deployment opts in by listing this class in {@code META-INF/services} ({@link #register}).
 * The address is per deployment: each WAR has its own class loader, so its own copy of it.
 */
public final class StubBaseUrl implements ConfigSource {

  public static final String KEY = "chat.openai.base-url";

  /** Where the stub answers, under the deployment's context root. */
  public static final String PATH = "/openai-stub/v1";

  private static final AtomicReference<String> BASE = new AtomicReference<>();

  @Override
  public Set<String> getPropertyNames() {
    return BASE.get() == null ? Set.of() : Set.of(KEY);
  }

  @Override
  public String getValue(String propertyName) {
    return KEY.equals(propertyName) ? BASE.get() : null;
  }

  @Override
  public int getOrdinal() {
    return 500;
  }

  @Override
  public String getName() {
    return "openai-stub-base-url";
  }

  /** The base URL the responder is given, once the deployment has served a request. */
  public static String base() {
    return BASE.get();
  }

  /** Notes the address the deployment is reached at, from its first request. */
  @WebListener
  public static final class Recorder implements ServletRequestListener {
    @Override
    public void requestInitialized(ServletRequestEvent event) {
      if (BASE.get() == null && event.getServletRequest() instanceof HttpServletRequest request) {
        String host = request.getLocalAddr();
        if (host.contains(":")) {
          host = "[" + host + "]";
        }
        BASE.compareAndSet(
            null,
            request.getScheme()
                + "://"
                + host
                + ":"
                + request.getLocalPort()
                + request.getContextPath()
                + PATH);
      }
    }
  }
}
