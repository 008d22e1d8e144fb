package dev.runstream;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The HTTP API lives under {@code /api/v1}; everything else in the WAR is static content. */
@ApplicationPath("api/v1")
public class JaxrsApplication extends Application {

  /**
   * Jersey (Payara) would turn a relative {@code Location} into an absolute one from the request's
   * {@code Host}; {@link PublicUrls} decides instead. No WADL: the API is described in the README.
   */
  @Override
  public Map<String, Object> getProperties() {
    return Map.of(
        "jersey.config.server.headers.location.relative.resolution.disabled", true,
        "jersey.config.server.wadl.disableWadl", true);
  }
}
