package dev.runstream.responders.control;

import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.input.entity.Violations;
import dev.runstream.runs.entity.Role;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunError;
import dev.runstream.runs.entity.RunEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Events an external producer posts to its run. {@code message.*} and terminal {@code run.*} types
 * change the run as the built-in responders' do; other types are the producer's own and pass
 * through; {@code run.created}, {@code run.in_progress} and unknown {@code run.*} types are the
 * server's.
 */
@ApplicationScoped
public class ProducerEvents {

  public static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
  static final String PRODUCER_ERROR = "producer_error";

  /** Appends the event {@code body} describes to the external {@code run}. */
  public RunEvent publish(Run run, JsonObject body) {
    Violations violations = new Violations();
    violations.onlyKnownFields(body, "", Set.of("type", "data"));
    String type = violations.string(body, "", "type");
    if (type == null && Violations.given(body, "type") == null) {
      violations.add("/type", "Required: the event type.");
    } else if (type != null && !TYPE.matcher(type).matches()) {
      violations.add("/type", "Must match " + TYPE.pattern() + ".");
    }
    JsonObject data = violations.object(body, "", "data");
    violations.throwIfAny();
    if (data == null) {
      data = JsonValue.EMPTY_JSON_OBJECT;
    }
    return apply(run, type, data);
  }

  private static RunEvent apply(Run run, String type, JsonObject data) {
    Violations violations = new Violations();
    switch (type) {
      case RunEvent.MESSAGE_DELTA -> {
        violations.onlyKnownFields(data, "/data", Set.of("delta"));
        String delta = required(violations, data, "delta");
        violations.throwIfAny();
        return run.appendDelta(delta);
      }
      case RunEvent.MESSAGE_COMPLETED -> {
        violations.onlyKnownFields(data, "/data", Set.of("role", "content"));
        String role = violations.string(data, "/data", "role");
        if (role != null && !Role.ASSISTANT.wire().equals(role)) {
          violations.add("/data/role", "Must be assistant.");
        }
        String content = required(violations, data, "content");
        violations.throwIfAny();
        return run.completeMessage(content);
      }
      case RunEvent.RUN_COMPLETED -> {
        violations.onlyKnownFields(data, "/data", Set.of());
        violations.throwIfAny();
        return run.complete();
      }
      case RunEvent.RUN_CANCELLED -> {
        violations.onlyKnownFields(data, "/data", Set.of());
        violations.throwIfAny();
        return run.cancel();
      }
      case RunEvent.RUN_FAILED -> {
        return run.fail(error(data));
      }
      default -> {
        if (type.startsWith("run.")) {
          throw new InvalidInputException(
              "/type",
              "run.* types are the server's: post run.completed, run.failed or run.cancelled to"
                  + " end the run.");
        }
        return run.appendCustom(type, data);
      }
    }
  }

  private static RunError error(JsonObject data) {
    Violations violations = new Violations();
    violations.onlyKnownFields(data, "/data", Set.of("error"));
    JsonObject error = violations.object(data, "/data", "error");
    String code = null;
    String message = null;
    if (error != null) {
      violations.onlyKnownFields(error, "/data/error", Set.of("code", "message"));
      code = violations.string(error, "/data/error", "code");
      message = violations.string(error, "/data/error", "message");
    }
    violations.throwIfAny();
    return new RunError(
        code == null ? PRODUCER_ERROR : code,
        message == null ? "The producer reported a failure." : message);
  }

  private static String required(Violations violations, JsonObject data, String name) {
    String value = violations.string(data, "/data", name);
    if (value == null && Violations.given(data, name) == null) {
      violations.add("/data/" + name, "Required: a string.");
    }
    return value;
  }
}
