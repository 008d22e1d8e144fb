package dev.runstream.responders.control;

import dev.runstream.input.control.Violations;
import dev.runstream.responders.entity.Responder;
import dev.runstream.runs.entity.Run;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import java.util.Set;

/** The reply comes from outside: a producer posts the run's events over HTTP. */
@ApplicationScoped
public class ExternalResponder implements Responder {

  public static final String NAME = "external";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void checkOptions(JsonObject options, Violations violations) {
    violations.onlyKnownFields(options, "/options", Set.of());
  }

  @Override
  public void start(Run run) {
    // Nothing runs here: the run stays queued until its producer posts the first event.
  }
}
