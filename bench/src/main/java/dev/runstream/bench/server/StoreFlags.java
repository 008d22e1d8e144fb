package dev.runstream.bench.server;

import dev.runstream.bench.Options;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the server the tool starts keeps its runs. With {@code --store-url} (and {@code
 * --store-user}): that database, as it is. Otherwise the embedded H2, in files of the step's own
 * folder, so no step sees the runs of another, unless {@code --server-opts} names the store itself.
 * The password never goes on a command line: the server inherits {@code CHAT_STORE_PASSWORD} from
 * the tool's environment.
 */
public final class StoreFlags {

  static final String URL = "-Dchat.store.url=";
  static final String USER = "-Dchat.store.user=";
  static final String PATH = "-Dchat.store.path=";
  private static final String PASSWORD = "-Dchat.store.password=";

  private StoreFlags() {}

  /** Whether the tool picks the H2 files of each step (and may delete them afterwards). */
  public static boolean freshH2(Options o) {
    return o.storeUrl == null
        && o.serverOpts.stream().noneMatch(f -> f.startsWith(URL) || f.startsWith(PATH));
  }

  /** The server's {@code -Dchat.store.*} options for a step whose H2 files are {@code store}. */
  static List<String> of(Options o, Path store) {
    List<String> flags = new ArrayList<>();
    if (o.storeUrl != null) {
      flags.add(URL + o.storeUrl);
      if (o.storeUser != null) {
        flags.add(USER + o.storeUser);
      }
    } else if (freshH2(o)) {
      flags.add(PATH + store.toAbsolutePath());
    }
    return flags;
  }

  /**
   * {@code text} (an argument, or several separated by spaces) fit for a results file: no password,
   * no query string of a JDBC URL (where a password may be).
   */
  public static String redact(String text) {
    StringBuilder out = new StringBuilder();
    for (String part : text.split("(?<=\\s)|(?=\\s)")) {
      out.append(redactOne(part));
    }
    return out.toString();
  }

  private static String redactOne(String arg) {
    if (arg.startsWith(PASSWORD)) {
      return PASSWORD + "***";
    }
    int query = arg.indexOf('?');
    if (arg.contains("jdbc:") && query >= 0) {
      return arg.substring(0, query) + "?***";
    }
    return arg;
  }
}
