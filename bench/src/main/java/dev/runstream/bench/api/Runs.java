package dev.runstream.bench.api;

import java.io.IOException;

/** The few plain calls of the contract a scenario makes outside its streams. */
public final class Runs {

  private Runs() {}

  /** A new {@code external} run; its id. */
  public static String createExternal(Target target) throws IOException {
    try (HttpCall call = new HttpCall(target, 30_000)) {
      HttpCall.Response r =
          call.post(
              target.runs(),
              "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\"benchmark\"}]}");
      if (r.status() != 201) {
        throw new IllegalStateException("creating an external run: " + r.status() + " " + r.body());
      }
      return Wire.runId(r.body());
    }
  }

  /** Ends an external run with {@code run.completed}; the terminal event's id. */
  public static long complete(Target target, String runId) throws IOException {
    try (HttpCall call = new HttpCall(target, 60_000)) {
      HttpCall.Response r =
          call.post(target.events(runId), "{\"type\":\"run.completed\",\"data\":{}}");
      if (r.status() != 201) {
        throw new IllegalStateException(
            "completing run " + runId + ": " + r.status() + " " + r.body());
      }
      return Wire.eventId(r.body());
    }
  }
}
