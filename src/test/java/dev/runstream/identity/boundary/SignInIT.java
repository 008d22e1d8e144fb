package dev.runstream.identity.boundary;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.LogRecorder;
import dev.runstream.testing.browser.OpenIdProvider;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chat page's sign-in with OpenID Connect against a real provider ({@link OpenIdProvider}): the
 * code flow through the server, the session in cookies the page's scripts cannot read, the page in
 * Chromium signed in, streaming, showing its user's runs only; changes from another origin refused,
 * refresh and sign-out, and no token or cookie in the log.
 */
@ExtendWith(ArquillianExtension.class)
public class SignInIT {

  private static final Duration WAIT = ofSeconds(20);

  /**
   * Cookies by hand, redirects one by one: each step of the flow is seen and asserted. HTTP/1.1, as
   * a browser speaks to a plain-HTTP server: the JDK client's default would upgrade the connection
   * to HTTP/2 ({@code h2c}), which no browser does (SlowBodiesIT covers HTTP/2 on its own).
   */
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(WAIT)
          .build();

  private static final Pattern SESSION = Pattern.compile("runstream_session=([^;]*)");
  private static final Pattern REFRESH = Pattern.compile("runstream_refresh=([^;]*)");
  private static final Pattern LOGIN = Pattern.compile("runstream_login=([^;]*)");
  private static final String CREATE =
      "{\"responder\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hello from a cookie\"}],"
          + "\"options\":{\"token_delay_ms\":0}}";

  @Deployment
  public static WebArchive deployment() {
    return Deployments.war(OpenIdProvider.settings());
  }

  @ArquillianResource URL deployment;

  @Inject
  @ConfigProperty(name = "mp.jwt.verify.issuer")
  String issuer;

  /** What one pass through the code flow gave: the answers of each step, and the cookies. */
  record SignedIn(
      HttpResponse<String> login,
      HttpResponse<String> authorize,
      HttpResponse<String> callback,
      String session,
      String refresh) {

    String cookies() {
      return "runstream_session=" + session + "; runstream_refresh=" + refresh;
    }
  }

  @Test
  @RunAsClient
  public void theCodeFlowEndsInHttpOnlySecureStrictCookiesAndNoTokenInAnyUrl() throws Exception {
    SignedIn signedIn = signIn(deployment);

    assertEquals(303, signedIn.login().statusCode());
    URI provider = URI.create(signedIn.login().headers().firstValue("Location").orElseThrow());
    assertTrue(provider.toString().startsWith(OpenIdProvider.issuer()), provider.toString());
    for (String part : List.of("response_type=code", "code_challenge_method=S256", "state=")) {
      assertTrue(provider.getRawQuery().contains(part), provider.getRawQuery());
    }
    String login = setCookie(signedIn.login(), "runstream_login").orElseThrow();
    assertTrue(login.contains("HttpOnly") && login.contains("Secure"), login);
    assertTrue(
        login.contains("SameSite=Lax") && login.contains("Path=" + apiPath() + "auth/callback"),
        login);

    assertEquals(303, signedIn.callback().statusCode(), signedIn.callback().body());
    String page = signedIn.callback().headers().firstValue("Location").orElseThrow();
    assertEquals(deployment.getPath(), URI.create(page).getPath(), "back to the page: " + page);
    assertFalse(page.contains(signedIn.session()), "no token in the URL");
    String session = setCookie(signedIn.callback(), "runstream_session").orElseThrow();
    for (String attribute :
        List.of("HttpOnly", "Secure", "SameSite=Strict", "Path=" + apiPath(), "Max-Age=")) {
      assertTrue(session.contains(attribute), attribute + " in " + session);
    }
    String refresh = setCookie(signedIn.callback(), "runstream_refresh").orElseThrow();
    assertTrue(
        refresh.contains("Path=" + apiPath() + "auth/") && refresh.contains("SameSite=Strict"),
        refresh);

    HttpResponse<String> who = get("auth/session", signedIn.cookies());
    assertEquals(200, who.statusCode());
    JsonObject answer = Api.parse(who.body());
    assertTrue(answer.getBoolean("signed_in"), who.body());
    assertEquals(OpenIdProvider.USER, answer.getString("subject"));
    assertFalse(who.body().contains(signedIn.session()), "the token stays in its cookie");
  }

  @Test
  @RunAsClient
  public void theSessionCookieAuthenticatesReadsStreamsAndSameOriginChangesOnly() throws Exception {
    SignedIn signedIn = signIn(deployment);
    String cookie = "runstream_session=" + signedIn.session();

    HttpResponse<String> crossSite = post("chat/runs", CREATE, cookie, "cross-site");
    assertEquals(403, crossSite.statusCode(), crossSite.body());
    assertEquals("urn:runstream:problem:cross-site", Api.parse(crossSite.body()).getString("type"));
    HttpResponse<String> sameSite = post("chat/runs", CREATE, cookie, "same-site");
    assertEquals(403, sameSite.statusCode(), "a sibling subdomain is no origin of this page");

    HttpResponse<String> created = post("chat/runs", CREATE, cookie, "same-origin");
    assertEquals(201, created.statusCode(), created.body());
    String runId = Api.parse(created.body()).getString("id");
    HttpResponse<String> stream = get("chat/runs/" + runId + "/events", cookie);
    assertEquals(200, stream.statusCode(), stream.body());
    assertTrue(stream.body().contains("run.completed"), stream.body());

    HttpResponse<String> listed = get("chat/runs", cookie);
    assertTrue(listed.body().contains(runId), listed.body());
    try (Api api = new Api(deployment)) {
      String bob = OpenIdProvider.token("bob");
      try (var others = api.run(runId).request().header("Authorization", "Bearer " + bob).get()) {
        assertEquals(404, others.getStatus(), "another user's run is not there for him");
      }
    }
    HttpResponse<String> noCookie = get("chat/runs/" + runId, null);
    assertEquals(401, noCookie.statusCode());
    HttpResponse<String> forged = get("chat/runs/" + runId, "runstream_session=x.y.z");
    assertEquals(401, forged.statusCode());
  }

  @Test
  @RunAsClient
  public void refreshRenewsTheSessionAndLogoutClearsIt() throws Exception {
    SignedIn signedIn = signIn(deployment);
    HttpResponse<String> crossSite =
        send(
            request("auth/refresh", signedIn.cookies(), "cross-site")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(401, crossSite.statusCode(), "a refresh from another origin is refused");

    HttpResponse<String> renewed =
        send(
            request("auth/refresh", signedIn.cookies(), "same-origin")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, renewed.statusCode(), renewed.body());
    String session = value(SESSION, setCookie(renewed, "runstream_session").orElseThrow());
    assertNotEquals(signedIn.session(), session, "a new access token");
    assertEquals(200, get("chat/runs", "runstream_session=" + session).statusCode());

    HttpResponse<String> out =
        send(
            request("auth/logout", signedIn.cookies(), "same-origin")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(204, out.statusCode());
    assertEquals(2, out.headers().allValues("Set-Cookie").size());
    for (String cleared : out.headers().allValues("Set-Cookie")) {
      assertTrue(cleared.contains("Max-Age=0"), cleared);
    }
  }

  @Test
  @RunAsClient
  public void aCallbackWithAnotherStateSignsNobodyIn() throws Exception {
    HttpResponse<String> login = send(request("auth/login", null, null).GET());
    String attempt = value(LOGIN, setCookie(login, "runstream_login").orElseThrow());
    HttpResponse<String> forged =
        send(
            request(
                    "auth/callback?code=whatever&state=not-the-state",
                    "runstream_login=" + attempt,
                    null)
                .GET());
    assertEquals(303, forged.statusCode());
    assertTrue(forged.headers().firstValue("Location").orElseThrow().endsWith("?sign_in=expired"));
    assertTrue(setCookie(forged, "runstream_session").isEmpty(), "no session");
    HttpResponse<String> who = get("auth/session", null);
    JsonObject answer = Api.parse(who.body());
    assertFalse(answer.getBoolean("signed_in"));
    assertTrue(answer.getBoolean("sign_in"), "the page may offer to sign in: " + who.body());
  }

  /** In the container, where the log is: a whole sign-in, refresh and use, and no token logged. */
  @Test
  public void noTokenOrCookieAppearsInTheLog() throws Exception {
    List<String> secrets = new ArrayList<>();
    try (LogRecorder logs = LogRecorder.open()) {
      SignedIn signedIn = signIn(deployment);
      secrets.add(signedIn.session());
      secrets.add(signedIn.refresh());
      secrets.add(value(LOGIN, setCookie(signedIn.login(), "runstream_login").orElseThrow()));
      HttpResponse<String> renewed =
          send(
              request("auth/refresh", signedIn.cookies(), "same-origin")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.noBody()));
      assertEquals(200, renewed.statusCode());
      secrets.add(value(SESSION, setCookie(renewed, "runstream_session").orElseThrow()));
      assertEquals(
          201,
          post("chat/runs", CREATE, "runstream_session=" + signedIn.session(), "same-origin")
              .statusCode());
      assertEquals(
          401, get("chat/runs", "runstream_session=" + signedIn.session() + "x").statusCode());
      assertTrue(
          logs.of("dev.runstream.identity").stream()
              .anyMatch(line -> line.text().contains("signed in")),
          "a sign-in is logged, without its tokens: " + logs.lines());
      for (LogRecorder.Line line : logs.lines()) {
        for (String secret : secrets) {
          for (String part : secret.split("[.]")) {
            if (part.length() >= 16) {
              assertFalse(line.text().contains(part), () -> "a secret in the log: " + line);
            }
          }
        }
      }
    }
    assertTrue(issuer.startsWith("http"), "the deployment names its provider: " + issuer);
  }

  // ---- the code flow, as a browser goes through it --------------------------------------------

  private SignedIn signIn(URL deployment) throws IOException, InterruptedException {
    HttpResponse<String> login = send(request("auth/login", null, null).GET());
    URI provider = URI.create(login.headers().firstValue("Location").orElseThrow());
    String attempt = value(LOGIN, setCookie(login, "runstream_login").orElseThrow());
    HttpResponse<String> authorize = send(HttpRequest.newBuilder(provider).GET());
    URI callback = URI.create(authorize.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> back =
        send(HttpRequest.newBuilder(callback).header("Cookie", "runstream_login=" + attempt).GET());
    return new SignedIn(
        login,
        authorize,
        back,
        setCookie(back, "runstream_session").map(c -> value(SESSION, c)).orElse(""),
        setCookie(back, "runstream_refresh").map(c -> value(REFRESH, c)).orElse(""));
  }

  private HttpRequest.Builder request(String path, String cookies, String fetchSite) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(deployment + "api/v1/" + path)).timeout(WAIT);
    if (cookies != null) {
      request.header("Cookie", cookies);
    }
    if (fetchSite != null) {
      request.header("Sec-Fetch-Site", fetchSite);
    }
    return request;
  }

  private HttpResponse<String> get(String path, String cookies)
      throws IOException, InterruptedException {
    return send(request(path, cookies, null).GET());
  }

  private HttpResponse<String> post(String path, String json, String cookies, String fetchSite)
      throws IOException, InterruptedException {
    return send(
        request(path, cookies, fetchSite)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /**
   * Sent with a deadline ({@link #WAIT}, each request has it); one that passes names the request
   * (its method and path: never its query, which may carry a code) and whose server it was.
   */
  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpRequest built = request.timeout(WAIT).build();
    try {
      return HTTP.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      URI uri = built.uri();
      throw new AssertionError(
          "no answer within "
              + WAIT
              + " to "
              + built.method()
              + " "
              + uri.getHost()
              + ":"
              + uri.getPort()
              + uri.getPath(),
          e);
    }
  }

  private String apiPath() {
    return deployment.getPath() + "api/v1/";
  }

  private static Optional<String> setCookie(HttpResponse<?> response, String name) {
    return response.headers().allValues("Set-Cookie").stream()
        .filter(cookie -> cookie.startsWith(name + "="))
        .findFirst();
  }

  private static String value(Pattern cookie, String header) {
    Matcher matcher = cookie.matcher(header);
    assertTrue(matcher.find(), header);
    return matcher.group(1);
  }
}
