package dev.runstream.problems.entity;

import dev.runstream.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/**
 * An RFC 9457 problem: what went wrong, for machines ({@code type}, {@code status}) and people
 * ({@code title}, {@code detail}); {@code errors} lists each invalid field of a bad request.
 */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<InvalidField> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_BASE = "urn:runstream:problem:";

  public Problem {
    errors = List.copyOf(errors);
  }

  public static Problem of(String slug, String title, int status, String detail) {
    return new Problem(TYPE_BASE + slug, title, status, detail, null, List.of());
  }

  public Problem at(String path) {
    return new Problem(type, title, status, detail, path, errors);
  }

  public Problem with(List<InvalidField> invalid) {
    return new Problem(type, title, status, detail, instance, invalid);
  }

  public JsonObject toJson() {
    JsonObjectBuilder json =
        Jsons.object()
            .add("type", type)
            .add("title", title)
            .add("status", status)
            .add("detail", detail);
    if (instance != null) {
      json.add("instance", instance);
    }
    if (!errors.isEmpty()) {
      var list = Jsons.array();
      errors.forEach(
          e -> list.add(Jsons.object().add("pointer", e.pointer()).add("detail", e.detail())));
      json.add("errors", list);
    }
    return json.build();
  }
}
