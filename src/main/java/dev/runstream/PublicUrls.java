package dev.runstream;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The URLs the service hands out ({@code Location}, redirects, the sign-in callback). Never built
 * from the request's {@code Host}, which any client sets: from {@code chat.public-base-url} (the
 * service's address as its clients reach it, such as {@code https://chat.example.com/}) when it is
 * set, else a reference relative to the host ({@code /api/v1/chat/runs/run_…}), which a client
 * resolves against the address it used.
 */
@ApplicationScoped
public class PublicUrls {

  private static final String API = "api/v1/";

  @Inject
  @ConfigProperty(name = "chat.public-base-url")
  Optional<String> configured;

  private URI base;

  @PostConstruct
  void check() {
    base = configured.filter(value -> !value.isBlank()).map(PublicUrls::parse).orElse(null);
  }

  /** The configured base, checked; it names the context root. */
  static URI parse(String value) {
    URI uri;
    try {
      uri = URI.create(value.endsWith("/") ? value : value + "/");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("chat.public-base-url is not a URL: " + value, e);
    }
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "chat.public-base-url must be an http or https URL with a host and no query: " + value);
    }
    return uri;
  }

  /**
   * The URL of {@code path} under the context root ({@code api/v1/chat/runs/run_x}, or {@code ""}
   * for the chat page), for a request that came in as {@code request}.
   */
  public URI of(UriInfo request, String path) {
    if (base != null) {
      return base.resolve(path);
    }
    return URI.create(contextPath(request.getBaseUri().getRawPath()) + path);
  }

  /** Whether the URLs are absolute (a base is configured). */
  public boolean absolute() {
    return base != null;
  }

  /**
   * The context root's path, ending with {@code /}, from the path of the API's base ({@code
   * /ctx/api/v1/}), which comes from the request line, not its {@code Host}.
   */
  static String contextPath(String apiBasePath) {
    String api = apiBasePath;
    if (!api.endsWith("/")) {
      api += "/";
    }
    return api.endsWith("/" + API) ? api.substring(0, api.length() - API.length()) : "/";
  }
}
