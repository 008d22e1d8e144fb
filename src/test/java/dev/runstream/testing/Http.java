package dev.runstream.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Requests as a browser makes them, with the JDK's HTTP client: it sends {@code Origin} and {@code
 * Access-Control-Request-*}, which Jersey's default client (over {@code HttpURLConnection}) drops
 * without a word, so a CORS test through it could never fail.
 */
public final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Http() {}

  /**
   * {@code method} to {@code uri} with {@code headers} (name, value, name, value ...) and {@code
   * body} (null for none), answered in full.
   */
  public static HttpResponse<String> send(String method, URI uri, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public static HttpResponse<String> get(URI uri, String... headers) {
    return send("GET", uri, null, headers);
  }
}
