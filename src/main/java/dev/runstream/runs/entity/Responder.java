package dev.runstream.runs.entity;

import dev.runstream.input.entity.Violations;
import jakarta.json.JsonObject;
import java.util.List;

/**
 * Produces a run's reply by appending to it: {@code run.in_progress}, deltas, the completed
 * message, a terminal event. It must stop as soon as the run has ended (an append then throws
 * {@link RunEndedException}) and should stop at once when {@link Run#ended()} completes.
 */
public interface Responder {

  /** The name clients give in {@code responder}. */
  String name();

  /** Records what is wrong with a run's {@code options} (pointers under {@code /options}). */
  void checkOptions(JsonObject options, Violations violations);

  /**
   * The model a run of this responder uses: the one the request names ({@code requested}, may be
   * null) or the responder's default. Records what keeps this responder from serving the run
   * (pointers {@code /responder} and {@code /model}). By default the requested model, as it is.
   */
  default String model(String requested, Violations violations) {
    return requested;
  }

  /**
   * Whether a run of this responder goes on after the server restarts: true only when its reply
   * comes from outside. Any other run still producing at a stop fails at the next start.
   */
  default boolean resumes() {
    return false;
  }

  /** At start, for each of its runs that goes on after a restart (see {@link #resumes}). */
  default void resumed(Run run) {}

  /**
   * Whether its runs' events come from a producer outside the service, who posts them with the
   * run's producer token (made when the run is created).
   */
  default boolean hasProducer() {
    return false;
  }

  /** Starts producing the reply on container-managed threads and returns at once. */
  void start(Run run);

  /**
   * Appends what a producer posted to the run ({@code POST …/events}: one event or a batch), under
   * the run's lock; the events appended, in order. Only a responder whose replies come from outside
   * takes them; the others refuse with {@link NotExternalException}.
   */
  default List<RunEvent> publish(Run run, JsonObject body) {
    throw new NotExternalException(run.id(), name());
  }
}
