package dev.runstream.bench.scenario;

import dev.runstream.bench.Bench;
import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Runs;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.sse.SseStream;
import dev.runstream.bench.sse.TcpStates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Clients that never read: plain sockets with a 4 KiB receive buffer that send the {@code GET} of a
 * run's events and then nothing, on a run of their own with a large history, so that the server has
 * far more to write to each than it can. They stay open through a fan-out step beside its measured
 * subscribers; at the end the kernel's socket table tells how many the server cut ({@link
 * TcpStates}) without their being read.
 */
final class StuckClients implements AutoCloseable {

  /** Events per request of the history: the contract's batches. */
  static final int BATCH = 100;

  static final int RECEIVE_BUFFER = 4096;

  private final List<Socket> sockets = new ArrayList<>();
  private final Map<String, Long> errors = new TreeMap<>();
  private final Target target;
  private final String runId;

  StuckClients(Target target, String runId) {
    this.target = target;
    this.runId = runId;
  }

  /**
   * A new external run with {@code events} events of {@code bytes}, and {@code n} stuck clients.
   */
  static StuckClients open(Bench bench, int n, int events, int bytes) throws IOException {
    Target target = bench.target();
    StuckClients stuck = new StuckClients(target, Runs.createExternal(target));
    stuck.history(events, bytes);
    for (int i = 0; i < n; i++) {
      stuck.connect(bench.source(i));
    }
    return stuck;
  }

  /** Posts the history in batches of {@link #BATCH}. */
  private void history(int events, int bytes) throws IOException {
    try (HttpCall call = new HttpCall(target, 60_000)) {
      for (int posted = 0; posted < events; posted += BATCH) {
        HttpCall.Response r =
            call.post(target.events(runId), batch(Math.min(BATCH, events - posted), bytes));
        if (r.status() != 201) {
          throw new IllegalStateException("posting the stuck run's history: " + r.status());
        }
      }
    }
  }

  /** A batch of {@code count} events, each about {@code bytes} long. */
  static String batch(int count, int bytes) {
    String head = "{\"type\":\"bench.history\",\"data\":{\"pad\":\"";
    String tail = "\"}}";
    String event = head + "x".repeat(Math.max(0, bytes - head.length() - tail.length())) + tail;
    return "{\"events\":[" + String.join(",", java.util.Collections.nCopies(count, event)) + "]}";
  }

  /** One client: connects from {@code source}, writes the request, and never reads. */
  void connect(InetAddress source) {
    Socket socket = new Socket();
    try {
      socket.setReceiveBufferSize(RECEIVE_BUFFER); // before connecting: the window it offers
      if (source != null) {
        socket.bind(new InetSocketAddress(source, 0));
      }
      socket.connect(target.address(), 30_000);
      String request =
          "GET "
              + target.events(runId)
              + " HTTP/1.1\r\nHost: "
              + target.hostHeader()
              + "\r\nAccept: text/event-stream\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      sockets.add(socket);
    } catch (IOException e) {
      errors.merge(Subscribers.kind(SseStream.describe(e)), 1L, Long::sum);
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /**
   * What became of the clients, judged from the socket table now: {@code held} (still established),
   * {@code closed_by_server} (the server's FIN arrived), {@code reset} (gone from the table: the
   * server reset it), and the bytes waiting unread in their receive queues.
   */
  Map<String, Object> figures() {
    return figures(TcpStates.read());
  }

  Map<String, Object> figures(Map<String, TcpStates.Entry> table) {
    long held = 0;
    long closed = 0;
    long reset = 0;
    long queued = 0;
    for (Socket s : sockets) {
      TcpStates.Entry e = table.get(TcpStates.key(s));
      if (e == null) {
        reset++;
        continue;
      }
      queued += e.receiveQueue();
      if (e.state() == TcpStates.CLOSE_WAIT) {
        closed++;
      } else {
        held++;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("clients", sockets.size() + errors.values().stream().mapToLong(Long::longValue).sum());
    m.put("connect_errors", errors);
    m.put("held", held);
    m.put("closed_by_server", closed);
    m.put("reset", reset);
    m.put("cut_by_server", closed + reset);
    m.put("unread_bytes_queued", queued);
    m.put("run_id", runId);
    return m;
  }

  /** Closes the clients and ends their run. */
  @Override
  public void close() {
    closeSockets();
    try {
      Runs.complete(target, runId);
    } catch (IOException | RuntimeException e) {
      System.err.println("ending the stuck run: " + e.getMessage());
    }
  }

  void closeSockets() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
