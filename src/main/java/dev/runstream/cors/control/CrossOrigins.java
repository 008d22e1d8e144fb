package dev.runstream.cors.control;

import dev.runstream.cors.entity.CorsSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * The origins allowed to call the API from a browser, read once at start ({@link CorsSettings}); a
 * setting that names no origin exactly fails the deployment.
 */
@ApplicationScoped
public class CrossOrigins {

  private static final Logger LOG = Logger.getLogger(CrossOrigins.class.getName());

  @Inject Config config;

  private CorsSettings settings;

  @PostConstruct
  void start() {
    settings = CorsSettings.read(key -> config.getOptionalValue(key, String.class));
    LOG.info(
        settings.enabled()
            ? "cross-origin calls of the API allowed from "
                + String.join(", ", settings.allowedOrigins())
            : "no cross-origin calls of the API (set "
                + CorsSettings.ALLOWED_ORIGINS
                + " to allow some)");
  }

  /** Reads the settings at deployment, so that bad ones fail it there. */
  void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
    enabled();
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /** Whether a request with this {@code Origin} header (may be null) is answered for CORS. */
  public boolean allows(String origin) {
    return settings.allows(origin);
  }
}
