package dev.runstream.runs.control;

import dev.runstream.runs.entity.Responder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The responders this server has, by name, and the one runs get when they name none. */
@ApplicationScoped
public class Responders {

  @Inject @Any Instance<Responder> all;

  @Inject
  @ConfigProperty(name = "chat.responder.default", defaultValue = "echo")
  String defaultName;

  public Optional<Responder> named(String name) {
    return all.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  public String defaultName() {
    return defaultName;
  }

  public SortedSet<String> names() {
    SortedSet<String> names = new TreeSet<>();
    all.forEach(r -> names.add(r.name()));
    return names;
  }
}
