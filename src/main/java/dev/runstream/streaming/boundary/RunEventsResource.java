package dev.runstream.streaming.boundary;

import dev.runstream.Jsons;
import dev.runstream.input.control.JsonBodies;
import dev.runstream.input.entity.Body;
import dev.runstream.runs.boundary.Callers;
import dev.runstream.runs.control.IdempotencyKeys;
import dev.runstream.runs.control.RunRegistry;
import dev.runstream.runs.entity.Caller;
import dev.runstream.runs.entity.Run;
import dev.runstream.streaming.control.LastEventIds;
import dev.runstream.streaming.control.StreamRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.InputStream;

/**
 * A run's events: streamed to any number of subscribers, posted by an external producer. One
 * instance serves every request (request-scoped resources cost a CDI context lookup and an
 * injection per request, measured at a tenth of the server's CPU on the append path); what belongs
 * to a request comes as a parameter.
 */
@ApplicationScoped
@Path("chat/runs/{run_id}/events")
public class RunEventsResource {

  public static final String LAST_EVENT_ID = "Last-Event-ID";

  @Inject RunRegistry runs;

  @Inject StreamRegistry streams;

  @Inject JsonBodies bodies;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void stream(
      @PathParam("run_id") String runId,
      @HeaderParam(LAST_EVENT_ID) String lastEventIdHeader,
      @QueryParam("last_event_id") String lastEventIdQuery,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context SecurityContext security,
      @Context HttpServletResponse response) {
    Caller caller = Callers.of(security);
    Run run = runs.find(runId, caller);
    streams.subscribe(
        run,
        LastEventIds.parse(lastEventIdHeader, lastEventIdQuery),
        sink,
        ClientConnections.of(response, sink),
        sse,
        caller);
  }

  /** Answered once the event is committed; once per {@code Idempotency-Key}. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response publish(
      @PathParam("run_id") String runId,
      @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
      InputStream input,
      @Context SecurityContext security) {
    Body body = bodies.read(input);
    RunRegistry.Published published =
        runs.publish(
            runId, body.json(), IdempotencyKeys.of(idempotencyKey, body), Callers.of(security));
    Response.ResponseBuilder answer =
        Response.status(Response.Status.CREATED)
            .entity(
                body.json().containsKey("events")
                    ? Jsons.object()
                        .add("first_id", published.firstId())
                        .add("last_id", published.lastId())
                        .build()
                    : Jsons.object().add("id", published.lastId()).build());
    if (published.replayed()) {
      answer.header(IdempotencyKeys.REPLAYED, "true");
    }
    return answer.build();
  }
}
