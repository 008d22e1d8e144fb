package dev.runstream.bench.api;

import java.io.IOException;

/** The few plain calls of the contract a scenario makes outside its streams. */
public final class Runs {

  /** The body of a create call for an {@code external} run. */
  public static final String EXTERNAL =
      "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\"benchmark\"}]}";

  /** The body that ends an external run. */
  public static final String COMPLETED = "{\"type\":\"run.completed\",\"data\":{}}";

  private Runs() {}

  /** A new {@code external} run; its id. */
  public static String createExternal(Target target) throws IOException {
    try (HttpCall call = new HttpCall(target, 30_000)) {
      return createExternal(call, target);
    }
  }

  /** A new {@code external} run, created on {@code call}'s connection; its id. */
  public static String createExternal(HttpCall call, Target target) throws IOException {
    HttpCall.Response r = call.post(target.runs(), EXTERNAL);
    if (r.status() != 201) {
      throw new IllegalStateException("creating an external run: " + r.status() + " " + r.body());
    }
    return Wire.runId(r.body());
  }

  /** Ends an external run with {@code run.completed}; the terminal event's id. */
  public static long complete(Target target, String runId) throws IOException {
    try (HttpCall call = new HttpCall(target, 60_000)) {
      return complete(call, target, runId);
    }
  }

  /** Ends an external run with {@code run.completed} on {@code call}'s connection. */
  public static long complete(HttpCall call, Target target, String runId) throws IOException {
    HttpCall.Response r = call.post(target.events(runId), COMPLETED);
    if (r.status() != 201) {
      throw new IllegalStateException(
          "completing run " + runId + ": " + r.status() + " " + r.body());
    }
    return Wire.eventId(r.body());
  }
}
