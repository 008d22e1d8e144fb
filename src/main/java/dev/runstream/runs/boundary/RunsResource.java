package dev.runstream.runs.boundary;

import dev.runstream.Jsons;
import dev.runstream.PublicUrls;
import dev.runstream.input.control.JsonBodies;
import dev.runstream.input.entity.Body;
import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.runs.control.IdempotencyKeys;
import dev.runstream.runs.control.RunRegistry;
import dev.runstream.runs.control.RunRequests;
import dev.runstream.runs.entity.Caller;
import dev.runstream.runs.entity.RunStatus;
import dev.runstream.runs.entity.StoredPage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * Chat runs: start, read, list, cancel, delete; each call as its caller (see {@link Callers}), who
 * sees only the runs it may.
 */
@ApplicationScoped
@Path("chat/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {

  static final int DEFAULT_LIMIT = 20;
  static final int MOST_LIMIT = 100;

  @Inject RunRegistry runs;

  @Inject RunRequests requests;

  @Inject JsonBodies bodies;

  @Inject PublicUrls urls;

  /** The one place a producer token is shown: the answer to the create of an external run. */
  public static final String PRODUCER_TOKEN = "producer_token";

  /**
   * Answered once the run is committed; a retry with the same {@code Idempotency-Key} gets the same
   * answer (with a new producer token, see {@link RunRegistry#create}).
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(
      InputStream input,
      @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
      @Context UriInfo uri,
      @Context SecurityContext security) {
    Caller caller = Callers.of(security);
    Body body = bodies.read(input);
    RunRegistry.Created created =
        runs.create(requests.parse(body.json()), IdempotencyKeys.of(idempotencyKey, body), caller);
    JsonObject run =
        created.producerToken() == null
            ? created.run()
            : Jsons.with(created.run(), PRODUCER_TOKEN, created.producerToken());
    Response.ResponseBuilder answer =
        Response.status(Response.Status.CREATED)
            .header(HttpHeaders.LOCATION, urls.of(uri, "api/v1/chat/runs/" + created.runId()))
            .entity(run);
    if (created.replayed()) {
      answer.header(IdempotencyKeys.REPLAYED, "true");
    }
    return answer.build();
  }

  @GET
  @Path("{run_id}")
  public JsonObject get(@PathParam("run_id") String runId, @Context SecurityContext security) {
    return runs.json(runId, Callers.of(security));
  }

  @GET
  public JsonObject list(
      @QueryParam("status") String status,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after,
      @Context SecurityContext security) {
    Caller caller = Callers.of(security);
    StoredPage page = runs.page(status(status), limit(limit), after, caller);
    var data = Jsons.array();
    page.data().forEach(run -> data.add(run.json()));
    var answer = Jsons.object().add("data", data).add("has_more", page.hasMore());
    return (page.next() == null
            ? answer.addNull("next_after")
            : answer.add("next_after", page.next()))
        .build();
  }

  @POST
  @Path("{run_id}/cancel")
  public Response cancel(@PathParam("run_id") String runId, @Context SecurityContext security) {
    return Response.accepted(runs.cancel(runId, Callers.of(security)).data()).build();
  }

  @DELETE
  @Path("{run_id}")
  public Response delete(@PathParam("run_id") String runId, @Context SecurityContext security) {
    runs.delete(runId, Callers.of(security));
    return Response.noContent().build();
  }

  private static Optional<RunStatus> status(String status) {
    if (status == null || status.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        RunStatus.fromWire(status)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "status",
                        "Must be one of "
                            + Arrays.stream(RunStatus.values()).map(RunStatus::wire).toList()
                            + ".")));
  }

  private static int limit(String limit) {
    if (limit == null || limit.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int value = Integer.parseInt(limit);
      if (value >= 1 && value <= MOST_LIMIT) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidInputException(
        "limit", "Must be a whole number from 1 to " + MOST_LIMIT + ".");
  }
}
