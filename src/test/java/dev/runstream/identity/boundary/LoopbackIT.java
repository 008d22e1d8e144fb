package dev.runstream.identity.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.ServerProcess;
import dev.runstream.testing.Stores;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Secure by default: a server without identity, even one told to listen on every interface, serves
 * this machine only; another network gets 403 {@code loopback-only}, unless {@code
 * chat.security.open=true} says so, which the log then warns of. Server processes of the suite's
 * server, reached on loopback and on the machine's own other address.
 */
class LoopbackIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void withoutIdentityOnlyLoopbackIsServedWhereverTheServerListens() throws Exception {
    InetAddress other = nonLoopbackAddress();
    try (ServerProcess server =
        ServerProcess.startOnEveryInterface("loopback-closed", settings(Map.of()))) {
      assertEquals(200, get(server.base(), "api/v1/chat/runs").statusCode(), "loopback: served");
      HttpResponse<String> refused = get(on(server.base(), other), "api/v1/chat/runs");
      assertEquals(403, refused.statusCode(), refused.body());
      String type = refused.headers().firstValue("Content-Type").orElse("");
      assertTrue(type.startsWith("application/problem+json"), type);
      assertEquals(
          "urn:runstream:problem:loopback-only", Api.parse(refused.body()).getString("type"));
      HttpResponse<String> create =
          send(
              HttpRequest.newBuilder(on(server.base(), other).resolve("api/v1/chat/runs"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
      assertEquals(403, create.statusCode(), "nothing is created from another network");
      assertEquals(
          0, Api.parse(get(server.base(), "api/v1/chat/runs").body()).getJsonArray("data").size());
      String log = Files.readString(server.log());
      assertTrue(log.contains("serves loopback only"), "the start says so");
      assertTrue(log.contains("was refused"), "and the refusal is logged");
    }
  }

  /**
   * The run command's preboot file (and WildFly's default) bind loopback: nothing else connects.
   */
  @Test
  void theServerListensOnLoopbackOnlyByDefault() throws Exception {
    InetAddress other = nonLoopbackAddress();
    try (ServerProcess server = ServerProcess.start("loopback-default", settings(Map.of()))) {
      assertEquals(200, get(server.base(), "api/v1/chat/runs").statusCode());
      assertThrows(ConnectException.class, () -> get(on(server.base(), other), "api/v1/chat/runs"));
    }
  }

  @Test
  void anExplicitOpenSettingServesEveryNetworkAndWarnsAtStart() throws Exception {
    InetAddress other = nonLoopbackAddress();
    try (ServerProcess server =
        ServerProcess.startOnEveryInterface(
            "loopback-open", settings(Map.of("chat.security.open", "true")))) {
      assertEquals(200, get(on(server.base(), other), "api/v1/chat/runs").statusCode());
      assertTrue(
          Files.readString(server.log())
              .contains("chat.security.open=true: anyone who reaches this server"),
          "the start warns");
    }
  }

  private static Map<String, String> settings(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Stores.settings(Stores.H2, "loopback"));
    settings.putAll(extra);
    return settings;
  }

  /** The same port on another address of this machine. */
  private static URI on(URI base, InetAddress address) {
    return URI.create(
        base.getScheme()
            + "://"
            + address.getHostAddress()
            + ":"
            + base.getPort()
            + base.getPath());
  }

  /** An IPv4 address of this machine other than loopback: every machine with a network has one. */
  private static InetAddress nonLoopbackAddress() throws SocketException {
    for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!network.isUp() || network.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(network.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return address;
        }
      }
    }
    throw new IllegalStateException("this machine has no address but loopback: the test needs one");
  }

  private static HttpResponse<String> get(URI base, String path)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HTTP.send(
        request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
