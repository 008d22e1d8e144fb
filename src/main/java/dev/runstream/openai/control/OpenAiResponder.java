package dev.runstream.openai.control;

import dev.runstream.input.entity.Violations;
import dev.runstream.openai.entity.OpenAiSettings;
import dev.runstream.runs.entity.Responder;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEndedException;
import dev.runstream.runs.entity.RunError;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;

/**
 * Replies through an OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp, LM Studio): streams
 * {@code POST {chat.openai.base-url}/chat/completions} into the run as it arrives.
 *
 * <p>The settings are read through MicroProfile Config each time a run is created and started, not
 * once at deployment, so any config source (including one that learns its value at run time, as the
 * tests' does) is honoured.
 */
@ApplicationScoped
public class OpenAiResponder implements Responder {

  public static final String NAME = "openai";

  @Inject Config config;

  /** The HTTP client's threads: declared in web.xml, the same size on every server. */
  @Resource(lookup = "java:app/concurrent/upstream")
  ManagedExecutorService executor;

  @Resource ManagedScheduledExecutorService scheduler;

  /** One client per connect timeout (the JDK sets it per client); in practice one. */
  private final ConcurrentHashMap<Duration, HttpClient> clients = new ConcurrentHashMap<>();

  private final Set<UpstreamCall> calls = ConcurrentHashMap.newKeySet();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void checkOptions(JsonObject options, Violations violations) {
    violations.onlyKnownFields(options, "/options", Set.of());
  }

  @Override
  public String model(String requested, Violations violations) {
    try {
      return settings().modelFor(requested, violations);
    } catch (IllegalArgumentException misconfigured) {
      violations.add(
          "/responder",
          "The openai responder is misconfigured on this server: " + misconfigured.getMessage());
      return requested;
    }
  }

  @Override
  public void start(Run run) {
    OpenAiSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException misconfigured) {
      settings = null;
    }
    String model = run.request().model();
    if (settings == null || settings.baseUrl() == null || model == null) {
      // Checked when the run was created; only a change of settings since then gets here.
      failUnconfigured(run);
      return;
    }
    UpstreamCall call =
        new UpstreamCall(
            run,
            client(settings.connectTimeout()),
            CompletionRequests.of(settings, model, run.request().messages()),
            settings.readTimeout(),
            scheduler);
    calls.add(call);
    run.ended().thenRun(() -> calls.remove(call));
    call.begin();
  }

  /** Undeploy: drop every open connection to the model server. */
  @PreDestroy
  void stop() {
    calls.forEach(UpstreamCall::abort);
    calls.clear();
  }

  private OpenAiSettings settings() {
    return OpenAiSettings.read(key -> config.getOptionalValue(key, String.class));
  }

  /**
   * HTTP/1.1 on purpose: a plain-http local server gets no h2c upgrade attempt, and cancelling a
   * call closes its own connection, which any server notices at once. Redirects are not followed: a
   * POST with the key must not wander to another host.
   */
  private HttpClient client(Duration connectTimeout) {
    return clients.computeIfAbsent(
        connectTimeout,
        timeout -> {
          HttpClient.Builder client =
              HttpClient.newBuilder()
                  .executor(executor)
                  .connectTimeout(timeout)
                  .version(HttpClient.Version.HTTP_1_1)
                  .followRedirects(HttpClient.Redirect.NEVER);
          ProxySelector proxies = ProxySelector.getDefault(); // honours -Dhttps.proxyHost
          if (proxies != null) {
            client.proxy(proxies);
          }
          return client.build();
        });
  }

  private static void failUnconfigured(Run run) {
    try {
      run.fail(new RunError("responder_error", "The openai responder is not set up."));
    } catch (RunEndedException alreadyEnded) {
      // Cancelled meanwhile.
    }
  }
}
