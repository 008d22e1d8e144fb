package dev.runstream.testing.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.Servlet;
import org.junit.jupiter.api.Test;

class DeployedContextTest {

  @Test
  void aContextReportedWithoutServletsGetsTheWarsContextRootAndTestRunner() {
    HTTPContext reported = new HTTPContext("localhost", 8085);
    DeployedContext.complete(reported, "runstream.war");
    assertEquals(1, reported.getServlets().size());
    Servlet runner = reported.getServletByName(DeployedContext.TEST_RUNNER);
    assertEquals("/runstream", runner.getContextRoot());
    assertEquals("http://localhost:8085/runstream/", runner.getBaseURI().toString());
  }

  @Test
  void aContextReportedWithServletsIsLeftAsItIs() {
    HTTPContext reported = new HTTPContext("localhost", 8080);
    reported.add(new Servlet("default", "/elsewhere"));
    DeployedContext.complete(reported, "runstream.war");
    assertEquals(
        List.of("default"), reported.getServlets().stream().map(Servlet::getName).toList());
  }
}
