package dev.clipstream.jobs.tagging;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Process-wide, reference-counted sharing of heavy resources (a loaded model) between the task
 * slots of one TaskManager: the first user loads it, later users get the same instance, the last
 * release closes it. A GPU then holds one copy of the weights however many slots use it.
 */
public final class SharedResources {

  private static final Map<String, Entry> ENTRIES = new HashMap<>();

  private record Entry(AutoCloseable resource, int users) {}

  private SharedResources() {}

  /** The resource under {@code key}, loaded by {@code loader} if no slot holds it yet. */
  public static synchronized <T extends AutoCloseable> T acquire(String key, Callable<T> loader)
      throws Exception {
    Entry entry = ENTRIES.get(key);
    if (entry == null) {
      entry = new Entry(loader.call(), 0);
    }
    ENTRIES.put(key, new Entry(entry.resource(), entry.users() + 1));
    @SuppressWarnings("unchecked")
    T resource = (T) entry.resource();
    return resource;
  }

  /** Gives back one use of {@code key}; closes the resource when nobody uses it any more. */
  public static synchronized void release(String key) throws Exception {
    Entry entry = ENTRIES.get(key);
    if (entry == null) {
      return;
    }
    if (entry.users() <= 1) {
      ENTRIES.remove(key);
      entry.resource().close();
    } else {
      ENTRIES.put(key, new Entry(entry.resource(), entry.users() - 1));
    }
  }

  /** How many users hold {@code key} (0 when not loaded). */
  public static synchronized int users(String key) {
    Entry entry = ENTRIES.get(key);
    return entry == null ? 0 : entry.users();
  }
}
