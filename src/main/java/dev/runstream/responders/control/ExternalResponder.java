package dev.runstream.responders.control;

import dev.runstream.input.entity.Violations;
import dev.runstream.runs.entity.Responder;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Set;

/** The reply comes from outside: a producer posts the run's events over HTTP. */
@ApplicationScoped
public class ExternalResponder implements Responder {

  public static final String NAME = "external";

  @Inject ProducerEvents events;

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

  @Override
  public boolean hasProducer() {
    return true;
  }

  /** The producer posts again after a restart, and the run goes on from its last event. */
  @Override
  public boolean resumes() {
    return true;
  }

  @Override
  public List<RunEvent> publish(Run run, JsonObject body) {
    return events.publish(run, body);
  }
}
