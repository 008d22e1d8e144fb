package dev.runstream.bench.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Reading {@code jcmd PID GC.class_histogram}. */
class ClassHistogramTest {

  private static final String OUTPUT =
      """
      12345:
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:        175244       22112232  [B (java.base@17.0.15)
         2:        151002        3624048  java.lang.String (java.base@17.0.15)
         3:          1024          65536  org.h2.mvstore.Page$Leaf
      Total        327270       25801816
      """;

  @Test
  void totalLineIsTheLiveHeap() {
    ClassHistogram h = ClassHistogram.parse(OUTPUT);
    assertEquals(25801816, h.bytes());
    assertEquals(327270, h.instances());
  }

  @Test
  void everyClassHasItsInstancesAndBytes() {
    ClassHistogram h = ClassHistogram.parse(OUTPUT);
    assertEquals(3, h.classes().size());
    assertArrayEquals(new long[] {175244, 22112232}, h.classes().get("[B"));
    assertArrayEquals(new long[] {1024, 65536}, h.classes().get("org.h2.mvstore.Page$Leaf"));
  }

  @Test
  void outputWithoutTotalHasNone() {
    ClassHistogram h =
        ClassHistogram.parse("12345:\ncom.sun.tools.attach.AttachNotSupportedException");
    assertEquals(-1, h.bytes());
    assertEquals(0, h.classes().size());
  }
}
