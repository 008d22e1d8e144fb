package dev.runstream.testing.openai;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the stub upstream was asked and what it is doing, per model name: the model chooses the
 * stub's scenario, so each test uses its own model and finds its exchange here.
 */
@ApplicationScoped
public class UpstreamStub {

  private final ConcurrentHashMap<String, StubExchange> byModel = new ConcurrentHashMap<>();

  public StubExchange exchange(String model) {
    return byModel.computeIfAbsent(model, m -> new StubExchange());
  }
}
