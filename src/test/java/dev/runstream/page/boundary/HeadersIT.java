package dev.runstream.page.boundary;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.Http;
import dev.runstream.testing.RawStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * What every answer tells a browser: the security headers (the page's Content-Security-Policy with
 * {@code frame-ancestors 'none'}, {@code nosniff}, the referrer policy) on the page, its files, the
 * API's JSON, problems, event streams and the container's own errors; and, with no allowed origin
 * configured (the default), no CORS header on any answer.
 */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
@RunAsClient
public class HeadersIT {

  private static final String POLICY =
      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'none'";
  private static final String EVIL = "https://evil.example";

  @Deployment(testable = false)
  public static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL deployment;

  private URI at(String path) {
    return URI.create(deployment.toExternalForm()).resolve(path);
  }

  private static Executable securityHeaders(String what, HttpResponse<?> answer) {
    return () ->
        assertAll(
            what + " (" + answer.statusCode() + ")",
            () -> assertEquals(POLICY, header(answer, "Content-Security-Policy")),
            () -> assertEquals("nosniff", header(answer, "X-Content-Type-Options")),
            () -> assertEquals("same-origin", header(answer, "Referrer-Policy")));
  }

  private static String header(HttpResponse<?> answer, String name) {
    return answer.headers().firstValue(name).orElse(null);
  }

  @Test
  public void thePageAndItsFilesComeWithTheSecurityHeaders() {
    List<Executable> checks = new ArrayList<>();
    for (String path : List.of("", "index.html", "app.js", "app.css")) {
      HttpResponse<String> answer = Http.get(at(path));
      assertEquals(200, answer.statusCode(), path);
      checks.add(securityHeaders("/" + path, answer));
    }
    assertAll(checks);
    String page = Http.get(at("")).body();
    assertTrue(page.contains("<script type=\"module\" src=\"app.js\">"), page);
    assertFalse(
        page.contains("http-equiv"), "the header is the policy's one source, not a meta tag");
  }

  @Test
  public void apiAnswersProblemsStreamsAndTheContainersErrorsComeWithThemToo() throws Exception {
    List<Executable> checks = new ArrayList<>();
    URI runs = at("api/v1/chat/runs");
    String external =
        "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> created =
        Http.send("POST", runs, external, "Content-Type", "application/json");
    assertEquals(201, created.statusCode());
    checks.add(securityHeaders("a create", created));
    String runId = Api.parse(created.body()).getString("id");
    URI events = at("api/v1/chat/runs/" + runId + "/events");
    checks.add(securityHeaders("a list", Http.get(runs)));
    checks.add(securityHeaders("a JAX-RS 404 problem", Http.get(at("api/v1/chat/runs/run_none"))));
    checks.add(
        securityHeaders(
            "a 400 problem", Http.send("POST", runs, "{}", "Content-Type", "application/json")));
    checks.add(securityHeaders("a 405 problem", Http.send("PUT", runs, "{}")));
    checks.add(securityHeaders("the container's 404", Http.get(at("no-such-file.txt"))));
    checks.add(
        securityHeaders(
            "a 431 of a servlet filter", Http.get(runs, "X-Padding", "p".repeat(20_000))));
    checks.add(securityHeaders("an OPTIONS of the API", Http.send("OPTIONS", runs, null)));
    try (RawStream stream = RawStream.open(events, Map.of())) {
      assertEquals(200, stream.status());
      assertEquals("text/event-stream", stream.header("Content-Type").orElseThrow());
      assertEquals("nosniff", stream.header("X-Content-Type-Options").orElse(null), "a stream");
      assertEquals(POLICY, stream.header("Content-Security-Policy").orElse(null), "a stream");
    }
    HttpResponse<String> cancelled =
        Http.send(
            "POST", events, "{\"type\":\"run.cancelled\"}", "Content-Type", "application/json");
    assertEquals(201, cancelled.statusCode());
    String last = String.valueOf(Api.parse(cancelled.body()).getInt("id"));
    HttpResponse<String> nothingLeft = Http.get(events, "Last-Event-ID", last);
    assertEquals(204, nothingLeft.statusCode());
    checks.add(securityHeaders("a 204 of an ended stream", nothingLeft));
    assertAll(checks);
  }

  /**
   * One request written as it is on a new connection, and everything the server sends until it
   * closes the connection (the request asks it to, or the server does by itself).
   */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket(deployment.getHost(), deployment.getPort())) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private void cancel(String runId) {
    Http.send(
        "POST",
        at("api/v1/chat/runs/" + runId + "/cancel"),
        null,
        "Content-Type",
        "application/json");
  }

  private static String headerOf(String answer, String name) {
    return answer
        .lines()
        .takeWhile(line -> !line.isEmpty())
        .filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
        .map(line -> line.substring(name.length() + 1).trim())
        .findFirst()
        .orElse(null);
  }

  @Test
  public void noUrlIsBuiltFromTheRequestsHost() throws IOException {
    String body =
        "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String path = deployment.getPath() + "api/v1/chat/runs";
    String answer =
        raw(
            "POST "
                + path
                + " HTTP/1.1\r\nHost: evil.example:666\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body.length()
                + "\r\nConnection: close\r\n\r\n"
                + body);
    assertTrue(answer.startsWith("HTTP/1.1 201"), answer);
    String location = headerOf(answer, "Location");
    String runId = Api.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getString("id");
    assertEquals(path + "/" + runId, location, "relative to the host the client used");
    assertFalse(answer.contains("evil.example"), answer);
    cancel(runId);
  }

  /**
   * Both lengths: WildFly's Undertow refuses the request itself (an empty 400); Payara's Grizzly
   * drops {@code Content-Length} and reads the body by its chunks alone, the other way RFC 9112
   * (section 6.3) allows, and {@code MessageFramingFilter} has the connection closed. Either way
   * the server answers once and closes the connection, so what a proxy may have taken for a second
   * request is never read.
   */
  @Test
  public void aRequestWithTwoLengthsIsAnsweredOnceAndItsConnectionClosed() throws IOException {
    String json =
        "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    // one the application answers, and one a filter refuses before it (415): both close
    for (String type : List.of("application/json", "text/plain")) {
      String answer = withTwoLengths(type, json);
      assertEquals(1, answer.split("HTTP/1\\.1 ", -1).length - 1, "one answer: " + answer);
      assertFalse(answer.contains("run_smuggled"), answer);
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      if (answer.startsWith("HTTP/1.1 400")) {
        assertEquals("", body, "the container's own refusal: " + answer);
      } else if (type.equals("text/plain")) {
        assertTrue(answer.startsWith("HTTP/1.1 415"), answer);
      } else {
        assertTrue(answer.startsWith("HTTP/1.1 201"), answer);
        cancel(Api.parse(body).getString("id"));
      }
    }
  }

  /**
   * A POST of {@code body} in chunks, with a Content-Length that covers a second request after
   * them: what the server answers until it closes the connection (a read timeout if it does not).
   */
  private String withTwoLengths(String contentType, String body) throws IOException {
    String path = deployment.getPath() + "api/v1/chat/runs";
    String smuggled = "GET " + path + "/run_smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    String chunked = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    return raw(
        "POST "
            + path
            + " HTTP/1.1\r\nHost: "
            + deployment.getAuthority()
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + (chunked.length() + smuggled.length())
            + "\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunked
            + smuggled);
  }

  @Test
  public void noWadlIsPublished() {
    assertEquals(404, Http.get(at("api/v1/application.wadl")).statusCode());
    HttpResponse<String> options = Http.send("OPTIONS", at("api/v1/chat/runs"), null);
    assertFalse(options.body().contains("wadl"), options.body());
    assertFalse(
        header(options, "Content-Type") != null && header(options, "Content-Type").contains("wadl"),
        String.valueOf(header(options, "Content-Type")));
    assertTrue(header(options, "Allow").contains("POST"), header(options, "Allow"));
  }

  @Test
  public void noCorsHeaderIsSentWhenNoOriginIsAllowed() {
    URI runs = at("api/v1/chat/runs");
    List<HttpResponse<String>> answers =
        List.of(
            Http.send(
                "OPTIONS",
                runs,
                null,
                "Origin",
                EVIL,
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "content-type"),
            Http.get(runs, "Origin", EVIL),
            Http.send(
                "POST",
                runs,
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Origin",
                EVIL,
                "Content-Type",
                "text/plain"),
            Http.get(at(""), "Origin", EVIL));
    for (HttpResponse<String> answer : answers) {
      String what =
          answer.request().method() + " " + answer.uri() + " (" + answer.statusCode() + ")";
      assertEquals(
          List.of(),
          answer.headers().map().keySet().stream()
              .filter(name -> name.toLowerCase().startsWith("access-control-"))
              .toList(),
          what);
      assertFalse(
          answer.headers().allValues("Vary").stream().anyMatch(v -> v.contains("Origin")), what);
    }
  }
}
