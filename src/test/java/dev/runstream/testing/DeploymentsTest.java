package dev.runstream.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

class DeploymentsTest {

  private final WebArchive war = Deployments.war();

  @Test
  void holdsTheApplicationThePageAndServerSideHelpers() {
    assertTrue(war.contains("WEB-INF/classes/dev/runstream/JaxrsApplication.class"));
    assertTrue(war.contains("WEB-INF/classes/dev/runstream/testing/StreamCutsResource.class"));
    assertTrue(war.contains("index.html"));
    assertTrue(war.contains("app.js"));
    assertTrue(war.contains("WEB-INF/web.xml"));
  }

  @Test
  void leavesOutTestsTheBrowserSideAndTheArquillianSide() {
    assertFalse(war.contains("WEB-INF/classes/dev/runstream/testing/DeploymentsTest.class"));
    assertFalse(war.contains("WEB-INF/classes/dev/runstream/page/boundary/ChatPageIT.class"));
    assertFalse(war.contains("WEB-INF/classes/dev/runstream/testing/browser/Chromium.class"));
    assertFalse(war.contains("WEB-INF/classes/dev/runstream/testing/browser/ChatPage.class"));
    assertFalse(
        war.contains("WEB-INF/classes/dev/runstream/testing/arquillian/DeployedContext.class"));
  }
}
