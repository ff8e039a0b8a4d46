package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedResourcesTest {

  static final class Model implements AutoCloseable {
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  @Test
  void loadsOncePerProcessAndClosesWhenTheLastSlotReleases() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    Model first =
        SharedResources.acquire(
            "m",
            () -> {
              loads.incrementAndGet();
              return new Model();
            });
    Model second =
        SharedResources.acquire(
            "m",
            () -> {
              loads.incrementAndGet();
              return new Model();
            });

    assertSame(first, second);
    assertEquals(1, loads.get());
    assertEquals(2, SharedResources.users("m"));

    SharedResources.release("m");
    assertEquals(0, first.closed.get(), "still used by one slot");
    SharedResources.release("m");
    assertEquals(1, first.closed.get());
    assertEquals(0, SharedResources.users("m"));
  }
}
