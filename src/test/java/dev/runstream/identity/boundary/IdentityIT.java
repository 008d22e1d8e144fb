package dev.runstream.identity.boundary;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.LogRecorder;
import dev.runstream.testing.Tokens;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * Identity on: bearer tokens minted here, with keys made here, as an identity provider would, and
 * verified by the server with nothing mocked inside it. Every endpoint answers every kind of caller
 * as {@link #MATRIX} says.
 */
@ExtendWith(ArquillianExtension.class)
public class IdentityIT {

  /** The tests' identity provider: made once in the JVM that builds the deployment. */
  private static final class Idp {
    static final Tokens TOKENS = Tokens.generate();
  }

  private static final String OWNER = "alice";
  private static final String ANOTHER = "bob";
  private static final String ADMIN = "root";

  @Deployment
  public static WebArchive deployment() {
    return Deployments.withIdentity(
        Idp.TOKENS,
        Map.of(
            "mp.jwt.verify.audiences",
            "other-service, " + Tokens.AUDIENCE,
            "mp.jwt.verify.publickey.algorithm",
            "RS256,ES256",
            "chat.limits.runs-per-minute", // the matrix creates 234 runs as the owner
            "100000"));
  }

  @ArquillianResource URL deployment;

  /**
   * What each endpoint answers each caller (the problem type follows from the status: 401
   * unauthorized, 403 forbidden, 404 run-not-found). The run is the owner's; {@code resume} is
   * {@code events} with {@code Last-Event-ID} of the run's last event.
   */
  private static final String MATRIX =
      """
      caller          create get list cancel delete events resume publish stats
      none            401    401 401  401    401    401    401    401     401
      owner           201    200 200  202    204    200    204    201     403
      another-user    201    404 200  404    404    404    404    404     403
      admin           201    200 200  202    204    200    204    201     200
      producer-this   401    401 401  401    401    401    401    201     401
      producer-other  401    401 401  401    401    401    401    404     401
      expired         401    401 401  401    401    401    401    401     401
      not-yet-valid   401    401 401  401    401    401    401    401     401
      wrong-issuer    401    401 401  401    401    401    401    401     401
      wrong-audience  401    401 401  401    401    401    401    401     401
      tampered        401    401 401  401    401    401    401    401     401
      alg-none        401    401 401  401    401    401    401    401     401
      es256-owner     201    200 200  202    204    200    204    201     403
      """;

  /** The runs a cell of the matrix works on: made anew for each, by the owner. */
  private record Fixture(String runId, String producerToken, String otherProducerToken) {}

  /** The {@code Authorization} header of each caller; null for none. */
  private static final Map<String, Function<Fixture, String>> CALLERS = new LinkedHashMap<>();

  static {
    CALLERS.put("none", f -> null);
    CALLERS.put("owner", f -> bearer(rs256(Tokens.claims(OWNER))));
    CALLERS.put("another-user", f -> bearer(rs256(Tokens.claims(ANOTHER))));
    CALLERS.put("admin", f -> bearer(rs256(Tokens.claims(ADMIN, Tokens.ADMIN_GROUP))));
    CALLERS.put("producer-this", f -> bearer(f.producerToken()));
    CALLERS.put("producer-other", f -> bearer(f.otherProducerToken()));
    CALLERS.put(
        "expired",
        f ->
            bearer(
                rs256(
                    Tokens.claims(OWNER)
                        .issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(10))))
                        .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(2)))))));
    CALLERS.put(
        "not-yet-valid",
        f ->
            bearer(
                rs256(
                    Tokens.claims(OWNER)
                        .notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(2)))))));
    CALLERS.put(
        "wrong-issuer", f -> bearer(rs256(Tokens.claims(OWNER).issuer("https://evil.test"))));
    CALLERS.put(
        "wrong-audience", f -> bearer(rs256(Tokens.claims(OWNER).audience("someone-else"))));
    CALLERS.put(
        "tampered",
        f -> bearer(Tokens.tampered(rs256(Tokens.claims(ANOTHER)), Tokens.claims(OWNER).build())));
    CALLERS.put("alg-none", f -> bearer(Tokens.unsigned(Tokens.claims(OWNER).build())));
    CALLERS.put("es256-owner", f -> bearer(Idp.TOKENS.es256(Tokens.claims(OWNER).build())));
  }

  private static String rs256(JWTClaimsSet.Builder claims) {
    return Idp.TOKENS.rs256(claims.build());
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  private static String owner() {
    return bearer(rs256(Tokens.claims(OWNER)));
  }

  private static String admin() {
    return bearer(rs256(Tokens.claims(ADMIN, Tokens.ADMIN_GROUP)));
  }

  private static final String EXTERNAL =
      "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String CANCELLED = "{\"type\":\"run.cancelled\"}";

  @Test
  @RunAsClient
  public void everyEndpointAnswersEveryCallerAsTheMatrixSays() {
    List<String> lines = MATRIX.lines().filter(line -> !line.isBlank()).toList();
    List<String> endpoints = Arrays.asList(lines.get(0).trim().split("\\s+")).subList(1, 10);
    List<Executable> cells = new ArrayList<>();
    try (Api api = new Api(deployment)) {
      for (String row : lines.subList(1, lines.size())) {
        String[] columns = row.trim().split("\\s+");
        Function<Fixture, String> caller = CALLERS.get(columns[0]);
        for (int i = 0; i < endpoints.size(); i++) {
          String endpoint = endpoints.get(i);
          int expected = Integer.parseInt(columns[i + 1]);
          Fixture fixture = fixture(api, endpoint);
          String authorization = caller.apply(fixture);
          String cell = columns[0] + " x " + endpoint;
          try (Response response = call(api, endpoint, fixture, authorization)) {
            int status = response.getStatus();
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            String challenge = response.getHeaderString(HttpHeaders.WWW_AUTHENTICATE);
            cells.add(() -> assertAnswer(cell, expected, status, body, challenge, authorization));
          }
        }
      }
    }
    assertEquals(13 * 9, cells.size());
    assertAll("the matrix", cells);
  }

  private static void assertAnswer(
      String cell, int expected, int status, String body, String challenge, String authorization) {
    assertEquals(expected, status, () -> cell + " answered " + status + " " + body);
    String type =
        switch (expected) {
          case 401 -> "urn:runstream:problem:unauthorized";
          case 403 -> "urn:runstream:problem:forbidden";
          case 404 -> "urn:runstream:problem:run-not-found";
          default -> null;
        };
    if (type != null) {
      assertEquals(type, Api.parse(body).getString("type"), cell);
    }
    if (expected == 401) {
      String wanted =
          authorization == null
              ? "Bearer realm=\"runstream\""
              : "Bearer realm=\"runstream\", error=\"invalid_token\"";
      assertEquals(wanted, challenge, cell);
      if (authorization != null) {
        String token = authorization.substring("Bearer ".length());
        assertFalse(body.contains(token), cell + ": the answer quotes the token");
      }
    }
  }

  /** The owner's run in the state the endpoint needs, and two producer tokens (its, another's). */
  private Fixture fixture(Api api, String endpoint) {
    JsonObject run = create(api, owner(), EXTERNAL);
    JsonObject other = create(api, owner(), EXTERNAL);
    String runId = run.getString("id");
    if (List.of("delete", "events", "resume").contains(endpoint)) {
      try (Response cancelled =
          as(api.run(runId).path("cancel"), owner()).post(Entity.json("{}"))) {
        assertEquals(202, cancelled.getStatus());
      }
    }
    return new Fixture(runId, run.getString("producer_token"), other.getString("producer_token"));
  }

  private static Response call(Api api, String endpoint, Fixture f, String authorization) {
    return switch (endpoint) {
      case "create" -> as(api.runs(), authorization).post(Entity.json(EXTERNAL));
      case "get" -> as(api.run(f.runId()), authorization).get();
      case "list" -> as(api.runs(), authorization).get();
      case "cancel" -> as(api.run(f.runId()).path("cancel"), authorization).post(Entity.json("{}"));
      case "delete" -> as(api.run(f.runId()), authorization).delete();
      case "events" -> as(api.events(f.runId()), authorization).get();
      case "resume" -> as(api.events(f.runId()), authorization).header("Last-Event-ID", "2").get();
      case "publish" ->
          as(api.events(f.runId()), authorization)
              .post(Entity.json("{\"type\":\"message.delta\",\"data\":{\"delta\":\"x\"}}"));
      case "stats" -> as(api.client().target(api.base().resolve("../stats")), authorization).get();
      default -> throw new IllegalArgumentException(endpoint);
    };
  }

  private static Invocation.Builder as(WebTarget target, String authorization) {
    Invocation.Builder request = target.request();
    return authorization == null
        ? request
        : request.header(HttpHeaders.AUTHORIZATION, authorization);
  }

  private static JsonObject create(Api api, String authorization, String body) {
    try (Response response = as(api.runs(), authorization).post(Entity.json(body))) {
      String text = response.readEntity(String.class);
      assertEquals(201, response.getStatus(), () -> "create answered " + text);
      return Api.parse(text);
    }
  }

  private static JsonObject list(Api api, String authorization) {
    try (Response response = as(api.runs().queryParam("limit", 100), authorization).get()) {
      assertEquals(200, response.getStatus());
      return Api.json(response);
    }
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("data").stream()
        .map(run -> run.asJsonObject().getString("id"))
        .toList();
  }

  @Test
  @RunAsClient
  public void aListShowsTheCallersRunsOnlyAndAnAdministratorEveryRun() {
    String carol = bearer(rs256(Tokens.claims("carol-" + System.nanoTime()))); // no one else's
    String dave = "dave-" + System.nanoTime();
    try (Api api = new Api(deployment)) {
      String carols = create(api, carol, EXTERNAL).getString("id");
      String daves = create(api, bearer(rs256(Tokens.claims(dave))), EXTERNAL).getString("id");
      String davesEcho =
          create(
                  api,
                  bearer(Idp.TOKENS.es256(Tokens.claims(dave).build())),
                  "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
              .getString("id");

      assertEquals(List.of(carols), ids(list(api, carol)), "carol's run, and no other");
      List<String> seenByDave = ids(list(api, bearer(rs256(Tokens.claims(dave)))));
      assertEquals(List.of(davesEcho, daves), seenByDave, "dave's runs, newest first, no other");
      List<String> seenByAdmin = ids(list(api, admin()));
      assertTrue(seenByAdmin.containsAll(List.of(carols, daves, davesEcho)));

      try (Response after = as(api.runs().queryParam("after", daves), carol).get()) {
        assertEquals(400, after.getStatus(), "another's run is no page boundary either");
      }
    }
  }

  /**
   * The run's {@code owner} is the subject of the token that created it, in every answer that shows
   * the run (create, get, list, cancel, the run's events), to its owner and to an administrator.
   */
  @Test
  @RunAsClient
  public void aRunsOwnerIsTheSubjectOfTheTokenThatCreatedIt() {
    String subject = "erin-" + System.nanoTime();
    String erin = bearer(rs256(Tokens.claims(subject)));
    try (Api api = new Api(deployment)) {
      JsonObject created = create(api, erin, EXTERNAL);
      String runId = created.getString("id");
      assertEquals(subject, created.getString("owner"), "the create's answer");
      for (String caller : List.of(erin, admin())) {
        try (Response get = as(api.run(runId), caller).get()) {
          assertEquals(subject, Api.json(get).getString("owner"), "a get");
        }
      }
      List<String> owners =
          list(api, erin).getJsonArray("data").stream()
              .map(run -> run.asJsonObject().getString("owner"))
              .toList();
      assertEquals(List.of(subject), owners, "a list");
      try (Response cancelled = as(api.run(runId).path("cancel"), erin).post(Entity.json("{}"))) {
        assertEquals(202, cancelled.getStatus());
        assertEquals(subject, Api.json(cancelled).getString("owner"), "a cancel's answer");
      }
      try (Response stream = as(api.events(runId), erin).get()) {
        String events = stream.readEntity(String.class);
        assertEquals(
            2,
            events.lines().filter(line -> line.contains("\"owner\":\"" + subject + "\"")).count(),
            () -> "run.created and run.cancelled name the owner: " + events);
      }
    }
  }

  @Test
  @RunAsClient
  public void theProducerTokenIsShownOnceAndWorksForItsRunOnly() throws Exception {
    try (Api api = new Api(deployment)) {
      JsonObject created = create(api, owner(), EXTERNAL);
      String runId = created.getString("id");
      String token = created.getString("producer_token");
      assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
      JsonObject echo =
          create(api, owner(), "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertFalse(echo.containsKey("producer_token"), "only external runs have a producer");

      try (Response posted =
          as(api.events(runId), bearer(token))
              .post(Entity.json("{\"type\":\"message.delta\",\"data\":{\"delta\":\"hi\"}}"))) {
        assertEquals(201, posted.getStatus());
      }
      try (Response ended = as(api.events(runId), bearer(token)).post(Entity.json(CANCELLED))) {
        assertEquals(201, ended.getStatus());
      }
      try (Response get = as(api.run(runId), owner()).get()) {
        assertFalse(get.readEntity(String.class).contains(token), "GET never shows it");
      }
      try (Response listed = as(api.runs(), owner()).get()) {
        assertFalse(listed.readEntity(String.class).contains(token), "nor a list");
      }
      try (Response stream = as(api.events(runId), owner()).get()) {
        assertEquals(200, stream.getStatus());
        String events = stream.readEntity(String.class);
        assertTrue(events.contains("run.created"), events);
        assertFalse(events.contains(token), "nor run.created or any event");
      }
      String garbage = "A".repeat(43);
      try (Response unknown = as(api.events(runId), bearer(garbage)).post(Entity.json(CANCELLED))) {
        assertEquals(401, unknown.getStatus(), "no run's producer token");
      }
    }
  }

  @Test
  @RunAsClient
  public void aReplayedCreateAnswersTheSameRunWithANewTokenThatReplacesTheFirst() {
    try (Api api = new Api(deployment)) {
      String key = "identity-replay-" + System.nanoTime();
      JsonObject first = createWithKey(api, owner(), key, 201, null);
      JsonObject again = createWithKey(api, owner(), key, 201, "true");
      assertEquals(first.getString("id"), again.getString("id"));
      assertNotEquals(first.getString("producer_token"), again.getString("producer_token"));
      JsonObject withoutTokens =
          jakarta.json.Json.createObjectBuilder(first).remove("producer_token").build();
      assertEquals(
          withoutTokens,
          jakarta.json.Json.createObjectBuilder(again).remove("producer_token").build(),
          "the same answer but for the token");

      String runId = first.getString("id");
      String delta = "{\"type\":\"message.delta\",\"data\":{\"delta\":\"x\"}}";
      try (Response old =
          as(api.events(runId), bearer(first.getString("producer_token")))
              .post(Entity.json(delta))) {
        assertEquals(401, old.getStatus(), "the first token no longer works");
      }
      try (Response current =
          as(api.events(runId), bearer(again.getString("producer_token")))
              .post(Entity.json(CANCELLED))) {
        assertEquals(201, current.getStatus());
      }
      createWithKey(api, bearer(rs256(Tokens.claims(ANOTHER))), key, 422, null);
    }
  }

  private static JsonObject createWithKey(
      Api api, String authorization, String key, int status, String replayed) {
    try (Response response =
        as(api.runs(), authorization).header("Idempotency-Key", key).post(Entity.json(EXTERNAL))) {
      String text = response.readEntity(String.class);
      assertEquals(status, response.getStatus(), text);
      assertEquals(replayed, response.getHeaderString("Idempotent-Replayed"));
      return Api.parse(text);
    }
  }

  /**
   * In the container, where the log is: a run's whole life with every kind of token, good and bad,
   * and not one of them in any log line.
   */
  @Test
  public void noTokenOrProducerTokenAppearsInTheLog() {
    Tokens idp = Tokens.deployed();
    String good = idp.rs256(Tokens.claims(OWNER).build());
    List<String> tokens = new ArrayList<>(List.of(good));
    try (LogRecorder logs = LogRecorder.open();
        Api api = new Api(deployment)) {
      JsonObject created = create(api, bearer(good), EXTERNAL);
      String producer = created.getString("producer_token");
      tokens.add(producer);
      String runId = created.getString("id");
      List<String> bad =
          List.of(
              idp.rs256(Tokens.claims(OWNER).issuer("https://evil.test").build()),
              Tokens.tampered(good, Tokens.claims(ADMIN, Tokens.ADMIN_GROUP).build()),
              Tokens.unsigned(Tokens.claims(OWNER).build()),
              Tokens.rs256ByAStranger(Tokens.claims(OWNER).build()),
              "A".repeat(43));
      tokens.addAll(bad);
      for (String token : bad) {
        try (Response refused = as(api.run(runId), bearer(token)).get()) {
          assertEquals(401, refused.getStatus());
        }
      }
      try (Response producerOnGet = as(api.run(runId), bearer(producer)).get()) {
        assertEquals(401, producerOnGet.getStatus());
      }
      try (Response ended = as(api.events(runId), bearer(producer)).post(Entity.json(CANCELLED))) {
        assertEquals(201, ended.getStatus());
      }
      assertTrue(
          logs.of("dev.runstream.identity").stream()
              .anyMatch(line -> line.text().contains("bearer token refused")),
          "refusals are logged (without the token): " + logs.lines());
      for (LogRecorder.Line line : logs.lines()) {
        for (String token : tokens) {
          for (String part : token.split("\\.")) {
            if (part.length() >= 16) {
              assertFalse(line.text().contains(part), () -> "a token in the log: " + line);
            }
          }
        }
      }
    }
  }
}
