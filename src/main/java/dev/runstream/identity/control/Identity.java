package dev.runstream.identity.control;

import dev.runstream.identity.entity.Exposure;
import dev.runstream.identity.entity.IdentitySettings;
import dev.runstream.identity.entity.VerifiedToken;
import dev.runstream.runs.entity.Caller;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Identity on or off, read once at start from MicroProfile Config ({@link IdentitySettings}); with
 * it on, the verifier of bearer tokens. Settings that cannot be used (an unreadable key) fail the
 * deployment rather than leave the service open.
 */
@ApplicationScoped
public class Identity {

  private static final Logger LOG = Logger.getLogger(Identity.class.getName());

  @Inject Config config;

  private IdentitySettings settings;
  private boolean open;
  private TokenVerifier verifier;

  @PostConstruct
  void start() {
    settings = IdentitySettings.read(key -> config.getOptionalValue(key, String.class));
    open = config.getOptionalValue(Exposure.OPEN, Boolean.class).orElse(false);
    if (!settings.enabled()) {
      if (open) {
        LOG.warning(
            "identity is off and "
                + Exposure.OPEN
                + "=true: anyone who reaches this server, from any network, may see and change"
                + " every run");
      } else {
        LOG.info(
            "identity is off: this server serves loopback only, where every request may see and"
                + " change every run (set "
                + IdentitySettings.PUBLIC_KEY_LOCATION
                + " to verify bearer tokens, or "
                + Exposure.OPEN
                + "=true to serve every network without identity)");
      }
      return;
    }
    verifier =
        new TokenVerifier(
            settings,
            Keys.source(settings.publicKey(), settings.publicKeyLocation()),
            Clock.systemUTC());
    LOG.info(
        "identity is on: bearer tokens verified ("
            + String.join(", ", settings.algorithms())
            + ", keys from "
            + (settings.publicKey() != null
                ? IdentitySettings.PUBLIC_KEY
                : IdentitySettings.PUBLIC_KEY_LOCATION)
            + (settings.issuer() == null ? "" : ", issuer " + settings.issuer())
            + "); administrators: group "
            + settings.adminGroup());
  }

  /** Reads the settings at deployment, so that bad ones fail it there. */
  void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
    enabled();
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /** Whether a request that reached the server on {@code localAddress} may be served. */
  public boolean serves(String localAddress) {
    return Exposure.serves(settings.enabled(), open, localAddress);
  }

  /** The user a token is; throws {@link dev.runstream.identity.entity.TokenRejectedException}. */
  public Caller caller(String token) {
    return caller(verifier.verify(token));
  }

  /** The user a token is and until when; throws as {@link #caller(String)} does. */
  public Session session(String token) {
    VerifiedToken verified = verifier.verify(token);
    return new Session(caller(verified), verified.expiresAt());
  }

  private Caller caller(VerifiedToken verified) {
    return Caller.user(verified.subject(), verified.groups().contains(settings.adminGroup()));
  }

  /** A verified user and the moment its token expires. */
  public record Session(Caller caller, Instant expiresAt) {}
}
