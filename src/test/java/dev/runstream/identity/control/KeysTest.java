package dev.runstream.identity.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import dev.runstream.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Every form MicroProfile JWT's key settings take. */
class KeysTest {

  private static final Tokens IDP = Tokens.generate();

  @Test
  void pemPublicKeysRsaAndEc() {
    JWKSet rsa = Keys.parse(IDP.rsaPem());
    assertEquals(KeyType.RSA, rsa.getKeys().get(0).getKeyType());
    assertEquals(
        IDP.rsa().toPublicJWK().getRequiredParams(), rsa.getKeys().get(0).getRequiredParams());
    JWKSet both = Keys.parse(IDP.rsaPem() + "\n" + IDP.ecPem());
    assertEquals(2, both.getKeys().size());
    assertEquals(KeyType.EC, both.getKeys().get(1).getKeyType());
  }

  @Test
  void aJwkAndAJwkSet() {
    assertEquals(2, Keys.parse(IDP.publicJwks()).getKeys().size());
    JWKSet one = Keys.parse(IDP.ec().toPublicJWK().toJSONString());
    assertEquals("ec-1", one.getKeys().get(0).getKeyID());
  }

  @Test
  void base64DerWithoutPemLines() throws Exception {
    String der = Base64.getEncoder().encodeToString(IDP.rsa().toPublicKey().getEncoded());
    assertEquals(KeyType.RSA, Keys.parse(der).getKeys().get(0).getKeyType());
  }

  @Test
  void aLocationIsAFileAFileUrlOrAClasspathResource() throws Exception {
    Path file = Files.createTempFile(Path.of("target"), "jwks", ".json");
    Files.writeString(file, IDP.publicJwks());
    assertEquals(2, Keys.parse(Keys.read(file.toString())).getKeys().size());
    assertEquals(2, Keys.parse(Keys.read(file.toUri().toString())).getKeys().size());
    Path classes = Path.of("target", "test-classes", "keys-test.pem");
    Files.writeString(classes, IDP.rsaPem());
    assertEquals(1, Keys.parse(Keys.read("classpath:keys-test.pem")).getKeys().size());
    assertEquals(1, Keys.parse(Keys.read("/keys-test.pem")).getKeys().size());
    assertThrows(IllegalArgumentException.class, () -> Keys.read("classpath:no-such.pem"));
  }

  @Test
  void textThatHoldsNoKeyIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Keys.parse("hello"));
    assertThrows(IllegalArgumentException.class, () -> Keys.parse("{\"kty\":\"nope\"}"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Keys.parse("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"));
  }
}
