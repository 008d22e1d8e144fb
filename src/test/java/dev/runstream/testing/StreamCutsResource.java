package dev.runstream.testing;

import dev.runstream.streaming.control.StreamRegistry;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Test deployments only (it lives in the test sources): lets a client-side test end a run's open
 * streams from the server, as a restart or a proxy would, and answers how many it ended.
 */
@RequestScoped
@Path("testing/runs/{run_id}/streams")
public class StreamCutsResource {

  @Inject StreamRegistry streams;

  @DELETE
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject cut(@PathParam("run_id") String runId) {
    int open = streams.subscribers(runId);
    streams.disconnect(runId);
    return Json.createObjectBuilder().add("closed", open).build();
  }
}
