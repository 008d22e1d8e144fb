package dev.runstream.testing;

import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.shrinkwrap.api.Filters;
import org.jboss.shrinkwrap.api.GenericArchive;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR under test: the whole application, these helpers, and test settings. */
public final class Deployments {

  /** Settings every test deployment gets: heartbeats every second. */
  public static final Map<String, String> TEST_SETTINGS =
      Map.of("chat.stream.heartbeat-seconds", "1");

  /** The web content (web.xml, the page) as Maven packs it; tests run in the project folder. */
  private static final String WEBAPP = "src/main/webapp";

  /**
   * Tests themselves, the browser side (Selenium is no library of the server's) and the Arquillian
   * side (extensions of the test client).
   */
  private static final String TEST_CLASSES =
      ".*(Test|IT)(\\$[^/]*)?\\.class|.*/testing/(browser|arquillian)/.*";

  private Deployments() {}

  public static WebArchive war() {
    return war(Map.of());
  }

  /**
   * The application with identity on: it verifies tokens of {@code idp} (issuer {@link
   * Tokens#ISSUER}), and holds idp's key pairs too, for an in-container test to mint tokens with
   * ({@link Tokens#deployed()}). {@code settings} come over these.
   */
  public static WebArchive withIdentity(Tokens idp, Map<String, String> settings) {
    Map<String, String> config = new TreeMap<>();
    config.put("mp.jwt.verify.publickey.location", "classpath:" + Tokens.PUBLIC_JWKS);
    config.put("mp.jwt.verify.issuer", Tokens.ISSUER);
    config.putAll(settings);
    return war(config)
        .addAsResource(new StringAsset(idp.publicJwks()), Tokens.PUBLIC_JWKS)
        .addAsResource(new StringAsset(idp.privateJwks()), Tokens.PRIVATE_JWKS);
  }

  /**
   * The application with {@code settings} (over {@link #TEST_SETTINGS}) as its config. Each
   * deployment keeps its runs in a store of its own: a new H2 database, or with {@code
   * -Dit.store=postgresql} a new database on the build's PostgreSQL.
   */
  public static WebArchive war(Map<String, String> settings) {
    Map<String, String> config = new TreeMap<>(TEST_SETTINGS);
    config.putAll(Stores.settings(System.getProperty("it.store", Stores.H2), "deployment"));
    config.putAll(settings);
    StringBuilder properties = new StringBuilder();
    config.forEach((key, value) -> properties.append(key).append('=').append(value).append('\n'));
    WebArchive war =
        ShrinkWrap.create(WebArchive.class, "runstream.war")
            .addPackages(true, Filters.exclude(TEST_CLASSES), "dev.runstream")
            .addAsResource(
                new StringAsset(properties.toString()), "META-INF/microprofile-config.properties")
            .merge(
                ShrinkWrap.create(GenericArchive.class)
                    .as(ExplodedImporter.class)
                    .importDirectory(WEBAPP)
                    .as(GenericArchive.class),
                "/",
                Filters.includeAll());
    war.addAsResource(new File("target/classes/db"), "db"); // the schema's migrations
    String bundled = System.getProperty("it.bundled");
    if (bundled == null || bundled.isBlank()) {
      throw new IllegalStateException(
          "it.bundled (the WAR's libraries) is not set: run with Maven");
    }
    for (String library : bundled.split(File.pathSeparator)) {
      war.addAsLibrary(new File(library)); // the libraries the WAR bundles (the store's)
    }
    for (String library : System.getProperty("it.libraries", "").split(",")) {
      if (!library.isBlank()) {
        war.addAsLibrary(new File(library));
      }
    }
    return war;
  }
}
