package dev.runstream.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figures of the stored scenario computed on the client. */
class StoredTest {

  @Test
  void heapDifferenceIsAfterLessBeforeInAllAndPerRun() {
    Map<String, Object> d = Stored.difference(80_000_000, 81_000_000, 400);
    assertEquals(1_000_000L, d.get("difference_bytes"));
    assertEquals(2500.0, d.get("bytes_per_run"));
  }

  @Test
  void heapThatShrankGivesANegativeDifference() {
    Map<String, Object> d = Stored.difference(81_000_000, 80_000_000, 3);
    assertEquals(-1_000_000L, d.get("difference_bytes"));
    assertEquals(-333333.3, d.get("bytes_per_run"));
  }

  @Test
  void noRunFilledHasNoFigurePerRun() {
    assertNull(Stored.difference(1, 2, 0).get("bytes_per_run"));
  }

  @Test
  void storeSizeAddsEveryFileUnderItsFolder(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("runstream.mv.db"), new byte[1000]);
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("sub").resolve("runstream.trace.db"), new byte[24]);
    assertEquals(1024, Stored.folderBytes(dir));
  }

  @Test
  void missingStoreFolderHasNoBytes(@TempDir Path dir) throws Exception {
    assertEquals(0, Stored.folderBytes(dir.resolve("none")));
  }
}
