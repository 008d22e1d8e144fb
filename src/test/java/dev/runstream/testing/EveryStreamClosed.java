package dev.runstream.testing;

import java.lang.reflect.Field;
import java.net.URL;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test, every event stream it opened is closed again: {@code GET /api/v1/stats} shows no
 * open stream (the server notices a client that left at its next write, a heartbeat at the latest,
 * every second in tests). Register it after {@link ArquillianExtension}; the check runs where the
 * test ran: in the container for an in-container test, in the client's JVM for a {@code
 * RunAsClient} one. The test class gives the deployment's URL in an {@code ArquillianResource}
 * field.
 */
public final class EveryStreamClosed implements AfterEachCallback {

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    boolean inContainer =
        context
            .getConfigurationParameter(ArquillianExtension.RUNNING_INSIDE_ARQUILLIAN)
            .map(Boolean::parseBoolean)
            .orElse(false);
    if (inContainer == runsAsClient(context)) {
      return; // the test ran in the other JVM, and is checked there
    }
    try (Api api = new Api(deployment(context.getRequiredTestInstance()))) {
      api.awaitNoOpenStreams();
    }
  }

  private static boolean runsAsClient(ExtensionContext context) {
    return context.getRequiredTestMethod().isAnnotationPresent(RunAsClient.class)
        || context.getRequiredTestClass().isAnnotationPresent(RunAsClient.class);
  }

  private static URL deployment(Object test) throws IllegalAccessException {
    for (Class<?> type = test.getClass(); type != null; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (field.getType() == URL.class && field.isAnnotationPresent(ArquillianResource.class)) {
          field.setAccessible(true);
          URL url = (URL) field.get(test);
          if (url == null) {
            throw new IllegalStateException(field + " was not injected");
          }
          return url;
        }
      }
    }
    throw new IllegalStateException(
        test.getClass() + " has no @ArquillianResource URL field: the deployment to check");
  }
}
