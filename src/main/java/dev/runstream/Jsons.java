package dev.runstream;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.Reader;
import java.util.Map;

/**
 * JSON builders and parsers from one provider, looked up once. {@code Json.createObjectBuilder()}
 * and the other {@code jakarta.json.Json} shortcuts look the provider up on every call (a
 * service-loader scan): measured at 38% of the server's CPU when many runs stream at once. Use
 * these instead.
 */
public final class Jsons {

  private static final JsonProvider PROVIDER = JsonProvider.provider();
  private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());

  private Jsons() {}

  public static JsonObjectBuilder object() {
    return BUILDERS.createObjectBuilder();
  }

  public static JsonArrayBuilder array() {
    return BUILDERS.createArrayBuilder();
  }

  public static JsonParser parser(Reader reader) {
    return PROVIDER.createParser(reader);
  }
}
