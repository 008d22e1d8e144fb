package dev.runstream.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Paging through every stored run, following each page's last id. */
class ListWalkTest {

  private final Target target = Target.parse("http://127.0.0.1:8083");
  private final List<String> asked = new ArrayList<>();

  @Test
  void walkFollowsTheLastIdOfEveryPageUntilThereIsNoMore() throws Exception {
    Map<String, String> pages =
        Map.of(
            "/api/v1/chat/runs?limit=2", page(true, "run_c", "run_b"),
            "/api/v1/chat/runs?limit=2&after=run_b", page(true, "run_a", "run_9"),
            "/api/v1/chat/runs?limit=2&after=run_9", page(false, "run_8"));
    ListWalk.Result walk = ListWalk.walk(serving(pages), target, 2);
    assertEquals(5, walk.runs());
    assertEquals(3, walk.pages());
    assertEquals(3, walk.latency().getTotalCount());
    assertNull(walk.error());
    assertEquals(
        List.copyOf(asked),
        List.of(
            "/api/v1/chat/runs?limit=2",
            "/api/v1/chat/runs?limit=2&after=run_b",
            "/api/v1/chat/runs?limit=2&after=run_9"));
  }

  @Test
  void emptyStoreIsOnePageOfNoRuns() throws Exception {
    ListWalk.Result walk =
        ListWalk.walk(serving(Map.of("/api/v1/chat/runs?limit=2", page(false))), target, 2);
    assertEquals(0, walk.runs());
    assertEquals(1, walk.pages());
  }

  @Test
  void walkStopsAtTheFirstAnswerThatIsNot200() throws Exception {
    ListWalk.Result walk =
        ListWalk.walk(
            path ->
                path.contains("after")
                    ? new HttpCall.Response(503, "{}", "3")
                    : new HttpCall.Response(200, page(true, "run_b", "run_a"), null),
            target,
            2);
    assertEquals(2, walk.runs());
    assertEquals("status 503 at page 2", walk.error());
  }

  private ListWalk.Pages serving(Map<String, String> pages) {
    return path -> {
      asked.add(path);
      return new HttpCall.Response(200, pages.get(path), null);
    };
  }

  private static String page(boolean more, String... ids) {
    StringBuilder data = new StringBuilder();
    for (String id : ids) {
      data.append(data.length() == 0 ? "" : ",")
          .append("{\"id\":\"")
          .append(id)
          .append(
              "\",\"status\":\"completed\",\"input\":{\"messages\":[{\"role\":\"user\","
                  + "\"content\":\"benchmark\"}]},\"last_event_id\":3}");
    }
    return "{\"data\":[" + data + "],\"has_more\":" + more + "}";
  }
}
