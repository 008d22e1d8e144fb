package dev.runstream.cors.boundary;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.Http;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Tokens;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * Cross-origin calls with two allowed origins and identity on, as a single-page application on
 * another site makes them: its preflights (which carry no token) are answered, its answers name its
 * origin and expose what it reads; every other origin gets no CORS header at all.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public class CorsIT {

  private static final class Idp {
    static final Tokens TOKENS = Tokens.generate();
  }

  private static final String APP = "https://app.example";
  private static final String DEV = "http://localhost:5173";
  private static final String EXTERNAL =
      "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Deployment(testable = false)
  public static WebArchive deployment() {
    return Deployments.war(
            Map.of(
                "chat.security.cors.allowed-origins",
                "HTTPS://App.Example:443, " + DEV,
                "mp.jwt.verify.publickey.location",
                "classpath:cors-it-jwks.json",
                "mp.jwt.verify.issuer",
                Tokens.ISSUER,
                "mp.jwt.verify.audiences",
                Tokens.AUDIENCE))
        .addAsResource(new StringAsset(Idp.TOKENS.publicJwks()), "cors-it-jwks.json");
  }

  @ArquillianResource URL deployment;

  private URI at(String path) {
    return URI.create(deployment.toExternalForm()).resolve(path);
  }

  private static String bearer() {
    return "Bearer " + Idp.TOKENS.rs256(Tokens.claims("carol").build());
  }

  private static HttpResponse<String> preflight(URI uri, String origin, String method, String h) {
    return Http.send(
        "OPTIONS",
        uri,
        null,
        "Origin",
        origin,
        "Access-Control-Request-Method",
        method,
        "Access-Control-Request-Headers",
        h);
  }

  private static String header(HttpResponse<?> answer, String name) {
    return answer.headers().firstValue(name).orElse(null);
  }

  private static boolean variesByOrigin(HttpResponse<?> answer) {
    return answer.headers().allValues("Vary").stream().anyMatch(v -> v.contains("Origin"));
  }

  private static List<String> corsHeaders(HttpResponse<?> answer) {
    return answer.headers().map().keySet().stream()
        .filter(name -> name.toLowerCase().startsWith("access-control-"))
        .toList();
  }

  @Test
  public void aPreflightOfAnAllowedOriginIsAnsweredWithoutAToken() {
    String runId = created(APP);
    List<Executable> checks = new ArrayList<>();
    for (String origin : List.of(APP, DEV)) {
      for (String[] call :
          List.of(
              new String[] {
                "api/v1/chat/runs", "POST", "authorization,content-type,idempotency-key"
              },
              new String[] {"api/v1/chat/runs/" + runId, "DELETE", "authorization"},
              new String[] {"api/v1/chat/runs/" + runId + "/events", "GET", "last-event-id"})) {
        HttpResponse<String> answer = preflight(at(call[0]), origin, call[1], call[2]);
        checks.add(
            () ->
                assertAll(
                    origin + " " + call[1] + " " + call[0],
                    () -> assertEquals(204, answer.statusCode()),
                    () -> assertEquals(origin, header(answer, "Access-Control-Allow-Origin")),
                    () -> assertTrue(variesByOrigin(answer)),
                    () ->
                        assertEquals(
                            "GET, POST, DELETE", header(answer, "Access-Control-Allow-Methods")),
                    () ->
                        assertEquals(
                            "Authorization, Content-Type, Idempotency-Key, Last-Event-ID",
                            header(answer, "Access-Control-Allow-Headers")),
                    () -> assertEquals("600", header(answer, "Access-Control-Max-Age")),
                    () -> assertNull(header(answer, "Access-Control-Allow-Credentials")),
                    () -> assertEquals("nosniff", header(answer, "X-Content-Type-Options"))));
      }
    }
    assertAll(checks);
  }

  @Test
  public void answersToAnAllowedOriginNameItAndExposeWhatAClientReads() throws Exception {
    URI runs = at("api/v1/chat/runs");
    String key = "cors-" + System.nanoTime();
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      answers.add(
          Http.send(
              "POST",
              runs,
              EXTERNAL,
              "Origin",
              APP,
              "Authorization",
              bearer(),
              "Content-Type",
              "application/json",
              "Idempotency-Key",
              key));
    }
    assertEquals(201, answers.get(0).statusCode(), answers.get(0).body());
    assertEquals("true", header(answers.get(1), "Idempotent-Replayed"));
    String runId = Api.parse(answers.get(0).body()).getString("id");
    answers.add(
        Http.get(at("api/v1/chat/runs/" + runId), "Origin", APP, "Authorization", bearer()));
    answers.add(Http.get(runs, "Origin", APP));
    answers.add(
        Http.get(at("api/v1/chat/runs/run_none"), "Origin", APP, "Authorization", bearer()));
    answers.add(Http.get(at("api/nothing"), "Origin", APP));
    answers.add(Http.get(runs, "Origin", APP, "X-Padding", "p".repeat(20_000)));
    List<Executable> checks = new ArrayList<>();
    for (HttpResponse<String> answer : answers) {
      checks.add(
          () ->
              assertAll(
                  answer.request().method() + " " + answer.uri() + " " + answer.statusCode(),
                  () -> assertEquals(APP, header(answer, "Access-Control-Allow-Origin")),
                  () -> assertTrue(variesByOrigin(answer)),
                  () ->
                      assertEquals(
                          "Location, Retry-After, Idempotent-Replayed, WWW-Authenticate",
                          header(answer, "Access-Control-Expose-Headers")),
                  () -> assertNull(header(answer, "Access-Control-Allow-Credentials")),
                  () -> assertNull(header(answer, "Access-Control-Allow-Methods"))));
    }
    assertEquals(
        List.of(201, 201, 200, 401, 404, 404, 431),
        answers.stream().map(HttpResponse::statusCode).toList(),
        "a create, its replay, a get, a call without a token, no run, the container's 404, a"
            + " request over the header limit");
    assertAll(checks);
    try (RawStream stream =
        RawStream.open(
            at("api/v1/chat/runs/" + runId + "/events"),
            Map.of("Origin", DEV, "Authorization", bearer()))) {
      assertEquals(200, stream.status());
      assertEquals(DEV, stream.header("Access-Control-Allow-Origin").orElse(null), "a stream");
    }
    cancel(runId);
  }

  @Test
  public void anyOtherOriginGetsNoCorsHeaderAtAll() {
    String runId = created(APP);
    URI run = at("api/v1/chat/runs/" + runId);
    List<Executable> checks = new ArrayList<>();
    for (String origin :
        List.of(
            "https://evil.example",
            "http://app.example",
            "https://app.example:8443",
            "https://app.example.evil.example",
            "http://localhost:5174",
            "null")) {
      for (HttpResponse<String> answer :
          List.of(
              preflight(run, origin, "DELETE", "authorization"),
              Http.get(run, "Origin", origin, "Authorization", bearer()),
              Http.send("DELETE", run, null, "Origin", origin))) {
        checks.add(
            () ->
                assertAll(
                    origin + " " + answer.request().method() + " " + answer.statusCode(),
                    () -> assertEquals(List.of(), corsHeaders(answer)),
                    () -> assertTrue(variesByOrigin(answer), "the answer varies by origin")));
      }
    }
    HttpResponse<String> noOrigin = Http.get(run, "Authorization", bearer());
    assertEquals(200, noOrigin.statusCode());
    checks.add(() -> assertEquals(List.of(), corsHeaders(noOrigin), "no Origin"));
    checks.add(() -> assertTrue(variesByOrigin(noOrigin), "no Origin"));
    assertAll(checks);
    cancel(runId);
  }

  private String created(String origin) {
    HttpResponse<String> created =
        Http.send(
            "POST",
            at("api/v1/chat/runs"),
            EXTERNAL,
            "Origin",
            origin,
            "Authorization",
            bearer(),
            "Content-Type",
            "application/json");
    assertEquals(201, created.statusCode(), created.body());
    return Api.parse(created.body()).getString("id");
  }

  private void cancel(String runId) {
    HttpResponse<String> cancelled =
        Http.send(
            "POST",
            at("api/v1/chat/runs/" + runId + "/cancel"),
            "{}",
            "Authorization",
            bearer(),
            "Content-Type",
            "application/json");
    assertEquals(202, cancelled.statusCode(), cancelled.body());
  }
}
