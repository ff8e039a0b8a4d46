package dev.clipstream.jobs.tagging;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Process-wide, reference-counted sharing of heavy resources (a loaded model, an embedded label
 * matrix) between the task slots of one TaskManager, keyed by content: the first user loads it,
 * later users get the same instance (waiting for the load in flight, if any), the last release
 * closes it. A GPU then holds one copy of the weights however many slots use it.
 *
 * <p>The lock guards only the table, never a load: a slot loading a new model does not stop another
 * slot from taking a resource that is already there.
 */
public final class SharedResources {

  private static final Map<String, Entry> ENTRIES = new HashMap<>();

  private record Entry(CompletableFuture<AutoCloseable> resource, int users) {}

  private SharedResources() {}

  /**
   * The resource under {@code key}, loaded by {@code loader} (on the calling thread) if no slot
   * holds it yet. A failed load is forgotten, so a later call tries again.
   */
  public static <T extends AutoCloseable> T acquire(String key, Callable<T> loader)
      throws Exception {
    CompletableFuture<AutoCloseable> mine = null;
    Entry entry;
    synchronized (SharedResources.class) {
      entry = ENTRIES.get(key);
      if (entry == null) {
        mine = new CompletableFuture<>();
        entry = new Entry(mine, 0);
      }
      entry = new Entry(entry.resource(), entry.users() + 1);
      ENTRIES.put(key, entry);
    }
    if (mine != null) {
      try {
        mine.complete(loader.call());
      } catch (Exception | Error e) {
        mine.completeExceptionally(e);
      }
    }
    try {
      @SuppressWarnings("unchecked")
      T resource = (T) entry.resource().join();
      return resource;
    } catch (CompletionException e) {
      forget(key, entry.resource());
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static synchronized void forget(String key, CompletableFuture<AutoCloseable> failed) {
    Entry entry = ENTRIES.get(key);
    if (entry != null && entry.resource() == failed) {
      ENTRIES.remove(key);
    }
  }

  /** Gives back one use of {@code key}; closes the resource when nobody uses it any more. */
  public static void release(String key) throws Exception {
    AutoCloseable toClose = null;
    synchronized (SharedResources.class) {
      Entry entry = ENTRIES.get(key);
      if (entry == null) {
        return;
      }
      if (entry.users() <= 1) {
        ENTRIES.remove(key);
        toClose = entry.resource().getNow(null);
      } else {
        ENTRIES.put(key, new Entry(entry.resource(), entry.users() - 1));
      }
    }
    if (toClose != null) {
      toClose.close();
    }
  }

  /** How many users hold {@code key} (0 when not loaded). */
  public static synchronized int users(String key) {
    Entry entry = ENTRIES.get(key);
    return entry == null ? 0 : entry.users();
  }
}
