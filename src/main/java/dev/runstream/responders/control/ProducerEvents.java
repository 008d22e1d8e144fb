package dev.runstream.responders.control;

import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.input.entity.Violations;
import dev.runstream.runs.entity.Role;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunError;
import dev.runstream.runs.entity.RunEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Events an external producer posts to its run: one ({@code {"type", "data"}}), or a batch of up to
 * {@value #MOST_EVENTS} ({@code {"events": [...]}}), appended together or not at all. {@code
 * message.*} and terminal {@code run.*} types change the run as the built-in responders' do; other
 * types are the producer's own and pass through; {@code run.created}, {@code run.in_progress} and
 * unknown {@code run.*} types are the server's. Everything is checked before anything is appended.
 */
@ApplicationScoped
public class ProducerEvents {

  public static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
  static final String PRODUCER_ERROR = "producer_error";
  static final int MOST_EVENTS = 1000;

  /** An event, checked, waiting to be appended. */
  private interface Append extends Function<Run, RunEvent> {}

  /**
   * Appends what {@code body} describes to the external {@code run}; the events appended, in order
   * (ids contiguous: the caller holds the run's lock).
   */
  public List<RunEvent> publish(Run run, JsonObject body) {
    List<Append> appends = parse(body);
    List<RunEvent> appended = new ArrayList<>(appends.size());
    for (Append append : appends) {
      appended.add(append.apply(run));
    }
    return appended;
  }

  private static List<Append> parse(JsonObject body) {
    if (!body.containsKey("events")) {
      return List.of(event(body, ""));
    }
    Violations violations = new Violations();
    violations.onlyKnownFields(body, "", Set.of("events"));
    JsonValue value = body.get("events");
    if (value.getValueType() != JsonValue.ValueType.ARRAY) {
      violations.add("/events", "Must be an array of events.");
    } else if (value.asJsonArray().isEmpty() || value.asJsonArray().size() > MOST_EVENTS) {
      violations.add("/events", "Give 1 to " + MOST_EVENTS + " events.");
    }
    violations.throwIfAny();
    JsonArray events = value.asJsonArray();
    List<Append> appends = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      String pointer = "/events/" + i;
      if (events.get(i).getValueType() != JsonValue.ValueType.OBJECT) {
        throw new InvalidInputException(pointer, "Must be an event: {\"type\", \"data\"}.");
      }
      JsonObject event = events.get(i).asJsonObject();
      if (i < events.size() - 1 && RunEvent.isTerminal(event.getString("type", ""))) {
        throw new InvalidInputException(
            pointer + "/type",
            "A terminal event ends the run: only the last of a batch may be one.");
      }
      appends.add(event(event, pointer));
    }
    return appends;
  }

  /** One event at {@code base} in the body, checked. */
  private static Append event(JsonObject body, String base) {
    Violations violations = new Violations();
    violations.onlyKnownFields(body, base, Set.of("type", "data"));
    String type = violations.string(body, base, "type");
    if (type == null && Violations.given(body, "type") == null) {
      violations.add(base + "/type", "Required: the event type.");
    } else if (type != null && !TYPE.matcher(type).matches()) {
      violations.add(base + "/type", "Must match " + TYPE.pattern() + ".");
    }
    JsonObject given = violations.object(body, base, "data");
    violations.throwIfAny();
    JsonObject data = given == null ? JsonValue.EMPTY_JSON_OBJECT : given;
    return checked(type, data, base + "/data");
  }

  private static Append checked(String type, JsonObject data, String at) {
    Violations violations = new Violations();
    switch (type) {
      case RunEvent.MESSAGE_DELTA -> {
        violations.onlyKnownFields(data, at, Set.of("delta"));
        String delta = required(violations, data, at, "delta");
        violations.throwIfAny();
        return run -> run.appendDelta(delta);
      }
      case RunEvent.MESSAGE_COMPLETED -> {
        violations.onlyKnownFields(data, at, Set.of("role", "content"));
        String role = violations.string(data, at, "role");
        if (role != null && !Role.ASSISTANT.wire().equals(role)) {
          violations.add(at + "/role", "Must be assistant.");
        }
        String content = required(violations, data, at, "content");
        violations.throwIfAny();
        return run -> run.completeMessage(content);
      }
      case RunEvent.RUN_COMPLETED -> {
        violations.onlyKnownFields(data, at, Set.of());
        violations.throwIfAny();
        return Run::complete;
      }
      case RunEvent.RUN_CANCELLED -> {
        violations.onlyKnownFields(data, at, Set.of());
        violations.throwIfAny();
        return Run::cancel;
      }
      case RunEvent.RUN_FAILED -> {
        RunError error = error(data, at);
        return run -> run.fail(error);
      }
      default -> {
        if (type.startsWith("run.")) {
          throw new InvalidInputException(
              at.substring(0, at.length() - "/data".length()) + "/type",
              "run.* types are the server's: post run.completed, run.failed or run.cancelled to"
                  + " end the run.");
        }
        return run -> run.appendCustom(type, data);
      }
    }
  }

  private static RunError error(JsonObject data, String at) {
    Violations violations = new Violations();
    violations.onlyKnownFields(data, at, Set.of("error"));
    JsonObject error = violations.object(data, at, "error");
    String code = null;
    String message = null;
    if (error != null) {
      violations.onlyKnownFields(error, at + "/error", Set.of("code", "message"));
      code = violations.string(error, at + "/error", "code");
      message = violations.string(error, at + "/error", "message");
    }
    violations.throwIfAny();
    return new RunError(
        code == null ? PRODUCER_ERROR : code,
        message == null ? "The producer reported a failure." : message);
  }

  private static String required(Violations violations, JsonObject data, String at, String name) {
    String value = violations.string(data, at, name);
    if (value == null && Violations.given(data, name) == null) {
      violations.add(at + "/" + name, "Required: a string.");
    }
    return value;
  }
}
