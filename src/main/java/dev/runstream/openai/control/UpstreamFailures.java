package dev.runstream.openai.control;

import dev.runstream.openai.entity.UpstreamException;
import dev.runstream.openai.entity.UpstreamFailure;
import dev.runstream.runs.entity.RunError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Why a call to the model server failed, as the run's error. The messages are written here: an
 * upstream's body or an exception's message may hold the API key or other secrets, so neither is
 * ever copied.
 */
final class UpstreamFailures {

  private UpstreamFailures() {}

  /** The error of a run whose upstream answered {@code status} (not 2xx). */
  static RunError forStatus(int status) {
    return switch (status) {
      case 401, 403 ->
          UpstreamFailure.UNAUTHORIZED.because(
              "The model server refused the request as unauthorized (HTTP "
                  + status
                  + "): check chat.openai.api-key.");
      case 429 ->
          UpstreamFailure.RATE_LIMITED.because(
              "The model server is limiting requests (HTTP 429): try again later.");
      default -> UpstreamFailure.ERROR.because("The model server answered HTTP " + status + ".");
    };
  }

  /** The error of a run whose call ended with {@code thrown}. */
  static RunError forThrowable(Throwable thrown) {
    Throwable failure = unwrap(thrown);
    if (failure instanceof UpstreamException upstream) {
      return upstream.error();
    }
    if (failure instanceof HttpConnectTimeoutException) {
      return UpstreamFailure.TIMEOUT.because(
          "The model server could not be connected to within the connect timeout.");
    }
    if (failure instanceof HttpTimeoutException) {
      return UpstreamFailure.TIMEOUT.because(
          "The model server did not answer within the read timeout.");
    }
    if (causedBy(failure, SSLException.class)) {
      return UpstreamFailure.UNREACHABLE.because(
          "No secure connection to the model server could be made.");
    }
    if (causedBy(failure, ConnectException.class)
        || causedBy(failure, UnresolvedAddressException.class)
        || causedBy(failure, UnknownHostException.class)
        || causedBy(failure, NoRouteToHostException.class)) {
      return UpstreamFailure.UNREACHABLE.because(
          "The model server could not be reached (connection refused or unknown host).");
    }
    if (failure instanceof IOException) {
      return UpstreamFailure.BAD_RESPONSE.because(
          "The connection to the model server broke off before its answer was complete.");
    }
    return UpstreamFailure.ERROR.because("The call to the model server failed.");
  }

  private static Throwable unwrap(Throwable thrown) {
    Throwable failure = thrown;
    while ((failure instanceof CompletionException || failure instanceof ExecutionException)
        && failure.getCause() != null) {
      failure = failure.getCause();
    }
    return failure;
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
