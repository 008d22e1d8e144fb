package dev.runstream.testing.arquillian;

import java.util.logging.Logger;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.client.protocol.metadata.Servlet;
import org.jboss.arquillian.container.spi.event.container.AfterDeploy;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Gives a deployment back the context root its container failed to report.
 *
 * <p>Payara Micro's Arquillian connector (arquillian-payara-micro-managed 3.1) reads the server's
 * console every 200 ms and takes the deployment as soon as the start message's first lines are
 * there; if the rest ("Deployed": the context root and the servlets) is not yet read, it reports a
 * context with no servlets. Then {@code @ArquillianResource URL} is {@code http://host:port}
 * without the context root, and in-container tests find no test runner: one deployment in a few
 * hundred failed so in CI ({@code unsupported URI http://localhost:8085api/v1/auth/login}). A
 * deployment here is always one WAR, served at its name ({@code runstream.war} at {@code
 * /runstream}), so that is what this observer adds when the container reported no servlet. It
 * changes nothing where the container reported them (WildFly, and Payara nearly always).
 */
public final class DeployedContext implements LoadableExtension {

  private static final Logger LOG = Logger.getLogger(DeployedContext.class.getName());

  /** The servlet that runs in-container tests (Arquillian's Servlet protocol for Jakarta EE). */
  static final String TEST_RUNNER = "ArquillianServletRunnerEE9";

  @Override
  public void register(ExtensionBuilder builder) {
    builder.observer(Repair.class);
  }

  /** The context root a WAR of this name is served at: its name without {@code .war}. */
  static String contextRoot(String archiveName) {
    return "/" + archiveName.replaceFirst("\\.war$", "");
  }

  /** Adds the WAR's servlets to a reported context that has none. */
  static void complete(HTTPContext context, String archiveName) {
    if (context.getServlets().isEmpty()) {
      LOG.warning(
          () ->
              "the container reported "
                  + archiveName
                  + " without servlets; taking "
                  + contextRoot(archiveName)
                  + " as its context root");
      context.add(new Servlet(TEST_RUNNER, contextRoot(archiveName)));
    }
  }

  /** The observer, called once a deployment is deployed. */
  public static final class Repair {

    @Inject private Instance<ProtocolMetaData> metaData;

    public void afterDeploy(@Observes AfterDeploy deployed) {
      ProtocolMetaData reported = metaData.get();
      if (reported == null) {
        return;
      }
      String archive = deployed.getDeployment().getArchive().getName();
      reported.getContexts(HTTPContext.class).forEach(context -> complete(context, archive));
    }
  }
}
