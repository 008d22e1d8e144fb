package dev.runstream.bench.sse;

import dev.runstream.bench.api.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A server for one connection on 127.0.0.1: it reads the request head, writes a canned response,
 * then closes the connection, or holds it open until {@link #close}.
 */
public final class LoopbackServer implements AutoCloseable {

  private final ServerSocket server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final CompletableFuture<String> request = new CompletableFuture<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  private LoopbackServer(String response, boolean thenClose) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    executor.execute(() -> serve(response.getBytes(StandardCharsets.UTF_8), thenClose));
  }

  /** Answers with {@code response}, then closes the connection. */
  public static LoopbackServer answering(String response) throws IOException {
    return new LoopbackServer(response, true);
  }

  /** Answers with {@code response}, then keeps the connection open until {@link #close}. */
  public static LoopbackServer answeringAndHolding(String response) throws IOException {
    return new LoopbackServer(response, false);
  }

  public Target target() {
    return Target.parse("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The request head the client sent. */
  public String request() throws Exception {
    return request.get(5, TimeUnit.SECONDS);
  }

  private void serve(byte[] response, boolean thenClose) {
    try (Socket socket = server.accept()) {
      request.complete(head(socket.getInputStream()));
      socket.getOutputStream().write(response);
      socket.getOutputStream().flush();
      if (!thenClose) {
        closed.await();
      }
    } catch (IOException e) {
      request.completeExceptionally(new UncheckedIOException(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    server.close();
    executor.shutdownNow();
  }
}
