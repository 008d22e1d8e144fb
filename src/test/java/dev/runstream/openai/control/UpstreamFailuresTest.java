package dev.runstream.openai.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.runstream.openai.entity.UpstreamException;
import dev.runstream.openai.entity.UpstreamFailure;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class UpstreamFailuresTest {

  @Test
  void statusCodesMapToStableErrorCodes() {
    assertEquals("upstream_unauthorized", UpstreamFailures.forStatus(401).code());
    assertEquals("upstream_unauthorized", UpstreamFailures.forStatus(403).code());
    assertEquals("upstream_rate_limited", UpstreamFailures.forStatus(429).code());
    for (int status : new int[] {301, 400, 404, 422, 500, 502, 503}) {
      assertEquals("upstream_error", UpstreamFailures.forStatus(status).code());
      assertEquals(
          "The model server answered HTTP " + status + ".",
          UpstreamFailures.forStatus(status).message());
    }
  }

  @Test
  void timeoutsAreTimeouts() {
    assertEquals(
        "upstream_timeout",
        UpstreamFailures.forThrowable(new HttpConnectTimeoutException("HTTP connect timed out"))
            .code());
    assertEquals(
        "upstream_timeout",
        UpstreamFailures.forThrowable(
                new CompletionException(new HttpTimeoutException("request timed out")))
            .code());
  }

  @Test
  void refusedUnresolvedAndTlsFailuresAreUnreachable() {
    ConnectException refused = new ConnectException();
    refused.initCause(new ConnectException("Connection refused"));
    ConnectException unresolved = new ConnectException();
    unresolved.initCause(new UnresolvedAddressException());
    for (Throwable t :
        new Throwable[] {
          new CompletionException(refused),
          unresolved,
          new UnknownHostException("nowhere.invalid"),
          new CompletionException(new SSLHandshakeException("PKIX path building failed"))
        }) {
      assertEquals("upstream_unreachable", UpstreamFailures.forThrowable(t).code(), t.toString());
    }
  }

  @Test
  void aConnectionThatBreaksOffIsABadResponse() {
    assertEquals(
        "upstream_bad_response",
        UpstreamFailures.forThrowable(new IOException(new EOFException("EOF reached"))).code());
  }

  @Test
  void anUpstreamExceptionKeepsItsError() {
    assertEquals(
        "upstream_timeout",
        UpstreamFailures.forThrowable(
                new CompletionException(new UpstreamException(UpstreamFailure.TIMEOUT, "quiet")))
            .code());
  }

  @Test
  void messagesNeverQuoteTheException() {
    String secret = "Bearer sk-secret-0123";
    for (Throwable t :
        new Throwable[] {
          new IOException(secret), new ConnectException(secret), new IllegalStateException(secret)
        }) {
      assertFalse(UpstreamFailures.forThrowable(t).message().contains("sk-secret"));
    }
  }
}
