package dev.runstream.stats.boundary;

import dev.runstream.Jsons;
import dev.runstream.input.control.BodyReads;
import dev.runstream.runs.boundary.Callers;
import dev.runstream.runs.control.RunRegistry;
import dev.runstream.streaming.control.StreamRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * What the server holds now: runs in memory, the bytes of their events, open event streams, and
 * request bodies being read and the bytes of those in memory. Administrators only (anyone, with
 * identity off).
 */
@ApplicationScoped
@Path("stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

  @Inject RunRegistry runs;

  @Inject StreamRegistry streams;

  @Inject BodyReads bodies;

  @GET
  public JsonObject stats(@Context SecurityContext security) {
    Callers.of(security).requireAdmin();
    return Jsons.object()
        .add("runs", runs.size())
        .add("bytes_held", runs.bytesHeld())
        .add("open_streams", streams.openStreams())
        .add("bodies_reading", bodies.size())
        .add("body_bytes_in_flight", bodies.inFlight())
        .build();
  }
}
