package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CountDownLatch;
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

  @Test
  void aLoadInProgressDoesNotHoldBackAnotherKey() throws Exception {
    Model ready = SharedResources.acquire("ready", Model::new);
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Thread slow =
        new Thread(
            () -> {
              try {
                SharedResources.acquire(
                    "slow",
                    () -> {
                      loading.countDown();
                      finish.await();
                      return new Model();
                    });
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    slow.start();
    loading.await();

    // While "slow" loads, the table is free: another slot takes "ready" at once.
    assertSame(ready, SharedResources.acquire("ready", Model::new));
    assertEquals(2, SharedResources.users("ready"));
    finish.countDown();
    slow.join();
    assertEquals(1, SharedResources.users("slow"));
    SharedResources.release("slow");
    SharedResources.release("ready");
    SharedResources.release("ready");
  }

  @Test
  void aFailedLoadIsForgottenSoTheNextTryLoadsAgain() throws Exception {
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () ->
                SharedResources.acquire(
                    "broken",
                    () -> {
                      throw new IllegalStateException("digest differs");
                    }));
    assertEquals("digest differs", refused.getMessage());
    assertEquals(0, SharedResources.users("broken"));

    Model loaded = SharedResources.acquire("broken", Model::new);
    assertEquals(1, SharedResources.users("broken"));
    SharedResources.release("broken");
    assertEquals(1, loaded.closed.get());
  }
}
