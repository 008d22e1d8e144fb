package dev.runstream.stats.boundary;

import dev.runstream.Jsons;
import dev.runstream.runs.control.RunRegistry;
import dev.runstream.streaming.control.StreamRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the server holds now: runs in memory and open event streams. */
@ApplicationScoped
@Path("stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

  @Inject RunRegistry runs;

  @Inject StreamRegistry streams;

  @GET
  public JsonObject stats() {
    return Jsons.object()
        .add("runs", runs.size())
        .add("open_streams", streams.openStreams())
        .build();
  }
}
