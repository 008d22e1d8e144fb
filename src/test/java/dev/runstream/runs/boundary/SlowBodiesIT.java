package dev.runstream.runs.boundary;

import static java.time.Duration.ofSeconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.KeptAliveConnection;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Request bodies are read without a thread, with a deadline and a minimum rate: clients that
 * trickle their bodies, more of them than the server has request threads, leave the API answering,
 * and each is answered 408 problem+json and closed once it is too slow; a slow but steady body goes
 * through.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public class SlowBodiesIT {

  private static final int DEADLINE_SECONDS = 4;

  /** More than either server's request threads (Payara 200 by default, WildFly 16 a core). */
  private static final int TRICKLERS = 250;

  /** The bytes of bodies the server holds at once: three of {@link #BODY}, not four. */
  private static final int IN_FLIGHT = 20_000;

  private static final String BODY =
      "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\""
          + "x".repeat(6000)
          + "\"}]}";

  @Deployment(testable = false)
  public static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            "chat.limits.body-read-seconds",
            Integer.toString(DEADLINE_SECONDS),
            "chat.limits.body-min-bytes-per-second",
            "1000",
            "chat.limits.body-bytes-in-flight",
            Integer.toString(IN_FLIGHT)));
  }

  @ArquillianResource URL deployment;

  @AfterEach
  void everyBodyIsLetGo() {
    try (Api api = new Api(deployment)) {
      await("no body is read or held once every request is answered")
          .atMost(ofSeconds(DEADLINE_SECONDS + 10))
          .untilAsserted(
              () -> {
                JsonObject stats = api.stats();
                assertEquals(0, stats.getInt("bodies_reading"), stats::toString);
                assertEquals(0, stats.getJsonNumber("body_bytes_in_flight").longValue());
              });
    }
  }

  @Test
  public void tricklingClientsHoldNoThreadAndAreAnswered408OnceTooSlow() throws Exception {
    ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
    List<Socket> tricklers = new ArrayList<>();
    try (Api api = new Api(deployment)) {
      for (int i = 0; i < TRICKLERS; i++) {
        Socket socket = post(BODY.length());
        socket.getOutputStream().write('{'); // then one byte every half second
        tricklers.add(socket);
      }
      pace.scheduleAtFixedRate(
          () -> tricklers.forEach(socket -> trickle(socket, (byte) ' ')),
          500,
          500,
          TimeUnit.MILLISECONDS);

      // every request thread would be taken by now if bodies were read on them
      JsonObject created = api.external();
      assertEquals("queued", created.getString("status"), "a create goes through meanwhile");
      assertEquals(200, status(api, created.getString("id")));

      for (Socket socket : tricklers) {
        String answer = readAnswer(socket, ofSeconds(DEADLINE_SECONDS + 20));
        assertTrue(answer.startsWith("HTTP/1.1 408"), () -> "answered: " + head(answer));
        assertTrue(answer.contains("application/problem+json"), () -> head(answer));
        assertTrue(
            answer.contains("slower than 1000 bytes per second"), () -> "answered: " + answer);
      }
    } finally {
      pace.shutdownNow();
      for (Socket socket : tricklers) {
        socket.close();
      }
    }
  }

  @Test
  public void aBodyThatStopsComingIsAnswered408AtTheDeadline() throws Exception {
    try (Socket socket = post(BODY.length())) {
      // 5 000 bytes at once, then nothing: fast enough on average until the deadline
      socket.getOutputStream().write(BODY.substring(0, 5000).getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      long sent = System.nanoTime();
      String answer = readAnswer(socket, ofSeconds(DEADLINE_SECONDS + 20));
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      assertTrue(answer.startsWith("HTTP/1.1 408"), () -> "answered: " + head(answer));
      assertTrue(
          answer.contains("did not arrive within " + DEADLINE_SECONDS + " seconds"),
          () -> "answered: " + answer);
      assertTrue(waited >= DEADLINE_SECONDS * 1000 - 500, () -> "at the deadline: " + waited);
    }
  }

  @Test
  public void theBytesOfBodiesHeldAtOnceAreBoundedAndABodyPastThemIs503() throws Exception {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    List<Socket> holding = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) { // 9 000 bytes each, then nothing until the deadline
        Socket socket = post(12_000);
        socket.getOutputStream().write(("{" + " ".repeat(8999)).getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        holding.add(socket);
      }
      try (Api api = new Api(deployment)) {
        await("the server holds the two bodies")
            .atMost(ofSeconds(DEADLINE_SECONDS - 1))
            .until(() -> api.stats().getJsonNumber("body_bytes_in_flight").longValue() >= 18_000);
        String refused;
        try (Socket socket = post(body.length)) {
          socket.getOutputStream().write(body);
          socket.getOutputStream().flush();
          refused = readAnswer(socket, ofSeconds(10));
        }
        String answer = refused;
        assertTrue(
            answer != null && answer.startsWith("HTTP/1.1 503"), () -> "answered: " + answer);
        assertTrue(answer.contains("urn:runstream:problem:server-busy"), answer);
        assertTrue(answer.contains("Retry-After: 1"), answer);
        assertTrue(answer.contains("bytes of request bodies"), answer);
        for (Socket socket : holding) {
          String timedOut = readAnswer(socket, ofSeconds(DEADLINE_SECONDS + 20));
          assertTrue(timedOut.startsWith("HTTP/1.1 408"), () -> "answered: " + head(timedOut));
        }
        JsonObject created = api.external(); // their bytes are given back with their answers
        assertEquals("queued", created.getString("status"));
      }
    } finally {
      for (Socket socket : holding) {
        socket.close();
      }
    }
  }

  @Test
  public void aSlowButSteadyBodyGoesThrough() throws Exception {
    ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = post(body.length)) {
      int piece = 1000; // 2 000 bytes a second, twice the minimum: about 3 s for the body
      for (int from = 0; from < body.length; from += piece) {
        int start = from;
        pace.schedule(
            () -> write(socket, body, start, Math.min(piece, body.length - start)),
            from / 2,
            TimeUnit.MILLISECONDS);
      }
      String answer = readAnswer(socket, ofSeconds(DEADLINE_SECONDS + 20));
      assertTrue(answer.startsWith("HTTP/1.1 201"), () -> "answered: " + head(answer));
      assertTrue(answer.contains("\"status\":\"queued\""), () -> "answered: " + answer);
    } finally {
      pace.shutdownNow();
    }
  }

  @Test
  public void everyBodyArrivesWholeHoweverItComes() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      for (int i = 0; i < 200; i++) { // with its header in one packet, or after it
        String pad = i % 10 == 0 ? "x".repeat(15_000) : ""; // and some of 15 KB, in pieces
        String event = "{\"type\":\"tick\",\"data\":{\"n\":" + i + ",\"pad\":\"" + pad + "\"}}";
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(deployment.getHost(), deployment.getPort())) {
          String head =
              "POST "
                  + deployment.getPath()
                  + "api/v1/chat/runs/"
                  + id
                  + "/events HTTP/1.1\r\nHost: "
                  + deployment.getHost()
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + bytes.length
                  + "\r\n\r\n";
          OutputStream out = socket.getOutputStream();
          if (i % 4 == 0) {
            out.write((head + event).getBytes(StandardCharsets.UTF_8));
          } else {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int from = 0; from < bytes.length; from += 4_000) {
              out.write(bytes, from, Math.min(4_000, bytes.length - from));
              out.flush();
            }
          }
          out.flush();
          String answer = readAnswer(socket, ofSeconds(10));
          int n = i;
          assertTrue(answer.startsWith("HTTP/1.1 201"), () -> n + " answered: " + answer);
        }
      }
      assertEquals(202, api.get(id).getInt("last_event_id"), "created, in progress, 200 ticks");
    }
  }

  /**
   * Bodies over HTTP/2: the JDK's client asks a plain-HTTP server to upgrade ({@code h2c}), and
   * both servers do, so its requests after the first come as HTTP/2 streams, whose bodies the
   * containers deliver in frames on their own threads rather than as the listener asks for them.
   * Each body arrives whole and is answered once, small or of several frames, from clients side by
   * side.
   */
  @Test
  public void bodiesOverHttp2ArriveWholeAndAreEachAnsweredOnce() throws Exception {
    int clients = 6;
    int each = 60;
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        List<Future<List<String>>> all = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          int client = c;
          all.add(pool.submit(() -> postOverHttp2(id, client, each)));
        }
        List<String> wrong = new ArrayList<>();
        for (Future<List<String>> client : all) {
          wrong.addAll(client.get(2, TimeUnit.MINUTES));
        }
        assertEquals(List.of(), wrong, "answers not as sent");
      } finally {
        pool.shutdownNow();
      }
      assertEquals(
          2 + clients * each, api.get(id).getInt("last_event_id"), "created, in progress, ticks");
    }
  }

  /** {@code count} events posted to run {@code id} by one HTTP/2 client; the answers not 201. */
  private List<String> postOverHttp2(String id, int client, int count) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    URI events = URI.create(deployment + "api/v1/chat/runs/" + id + "/events");
    List<String> wrong = new ArrayList<>();
    HttpResponse<String> upgraded = // a body-less first request, which both servers upgrade
        http.send(
            HttpRequest.newBuilder(URI.create(deployment + "api/v1/chat/runs/" + id))
                .timeout(ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, upgraded.version(), "upgraded to h2c");
    for (int i = 0; i < count; i++) {
      // client 0 sends some bodies of two frames (16 KB each), within the bytes in flight
      String pad = client == 0 && i % 6 == 0 ? "x".repeat(17_000) : "";
      String event =
          "{\"type\":\"tick\",\"data\":{\"client\":"
              + client
              + ",\"n\":"
              + i
              + ",\"pad\":\""
              + pad
              + "\"}}";
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(events)
                  .timeout(ofSeconds(20))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(event))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 201 || answer.version() != HttpClient.Version.HTTP_2) {
        wrong.add(client + "/" + i + ": " + answer.version() + " " + answer.statusCode());
      }
    }
    return wrong;
  }

  /**
   * Bodies sent after their header, on connections kept alive request after request: each answer
   * comes once and whole, and each request is read as itself. On Payara a body's listener that
   * asked {@code isReady()} again once it had the whole body had Grizzly read on for more: answers
   * came twice (66 of 16 000 over 8 such connections), and a request was once answered 505.
   */
  @Test
  public void keptAliveConnectionsCarryEachAnswerOnce() throws Exception {
    int connections = 8;
    int each = 500;
    ExecutorService clients = Executors.newFixedThreadPool(connections);
    try {
      List<Future<List<String>>> all = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        String missing = "api/v1/chat/runs/none-" + c + "/events";
        all.add(clients.submit(() -> postOneAfterAnother(each, missing)));
      }
      List<String> wrong = new ArrayList<>();
      for (Future<List<String>> client : all) {
        wrong.addAll(client.get(2, TimeUnit.MINUTES));
      }
      assertEquals(List.of(), wrong, "answers not as sent");
    } finally {
      clients.shutdownNow();
    }
  }

  /** Creates and posts to a run that is not there, in turn, on kept-alive connections. */
  private List<String> postOneAfterAnother(int count, String missing) throws IOException {
    List<String> wrong = new ArrayList<>();
    KeptAliveConnection connection = null;
    try {
      for (int i = 0; i < count; i++) {
        if (connection == null) {
          connection = new KeptAliveConnection(deployment, ofSeconds(20));
        }
        boolean create = i % 2 == 0;
        KeptAliveConnection.Answer answer =
            create
                ? connection.post(
                    "api/v1/chat/runs",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi "
                        + i
                        + "\"}],\"options\":{\"token_delay_ms\":0}}")
                : connection.post(missing, "{\"type\":\"note\",\"data\":{\"n\":" + i + "}}");
        if (answer.status() != (create ? 201 : 404)) {
          wrong.add(i + ": " + answer.statusLine());
        }
        if (answer.closes() || answer.status() < 0) {
          connection.close(); // the server may end a connection after many requests
          connection = null;
        }
      }
    } finally {
      if (connection != null) {
        connection.close();
      }
    }
    return wrong;
  }

  /** A connection that has sent a create's headers, declaring {@code length} bytes of body. */
  private Socket post(int length) throws IOException {
    Socket socket = new Socket(deployment.getHost(), deployment.getPort());
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST "
                + deployment.getPath()
                + "api/v1/chat/runs HTTP/1.1\r\nHost: "
                + deployment.getHost()
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  private static void trickle(Socket socket, byte b) {
    try {
      socket.getOutputStream().write(b);
      socket.getOutputStream().flush();
    } catch (IOException closedByTheServer) {
      // answered and closed: nothing more to send
    }
  }

  private static void write(Socket socket, byte[] bytes, int from, int length) {
    try {
      socket.getOutputStream().write(bytes, from, length);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Everything the server sends until it closes the connection or {@code deadline} passes. */
  private static String readAnswer(Socket socket, Duration deadline) throws IOException {
    socket.setSoTimeout((int) deadline.toMillis());
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) != -1; ) {
        answer.write(buffer, 0, n);
        if (answer.toString(StandardCharsets.UTF_8).contains("}")) {
          break; // the whole problem or run: its JSON ends the answer
        }
      }
    } catch (SocketException reset) {
      // closed after its answer
    }
    return answer.toString(StandardCharsets.UTF_8);
  }

  private static int status(Api api, String runId) {
    try (Response response = api.run(runId).request().get()) {
      return response.getStatus();
    }
  }

  private static String head(String answer) {
    int end = answer.indexOf("\r\n");
    return end < 0 ? answer : answer.substring(0, end);
  }
}
