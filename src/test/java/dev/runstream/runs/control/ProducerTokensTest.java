package dev.runstream.runs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class ProducerTokensTest {

  @Test
  void aTokenIs32RandomBytesBase64urlAndOnlyItsHashIsKept() {
    ProducerTokens tokens = new ProducerTokens();
    ProducerTokens.Minted one = tokens.mint();
    ProducerTokens.Minted two = tokens.mint();
    assertNotEquals(one.token(), two.token());
    assertEquals(32, Base64.getUrlDecoder().decode(one.token()).length);
    assertTrue(ProducerTokens.looksLikeOne(one.token()));
    assertFalse(one.token().contains("."), "never mistaken for a JWT");
    assertEquals(ProducerTokens.sha256(one.token()), one.sha256());
    assertEquals(64, one.sha256().length());
    assertFalse(one.toString().contains(one.token()), one.toString());
  }

  @Test
  void otherShapesAreNoProducerTokens() {
    assertFalse(ProducerTokens.looksLikeOne(""));
    assertFalse(ProducerTokens.looksLikeOne("a.b.c"));
    assertFalse(ProducerTokens.looksLikeOne("x".repeat(42) + "="));
  }
}
