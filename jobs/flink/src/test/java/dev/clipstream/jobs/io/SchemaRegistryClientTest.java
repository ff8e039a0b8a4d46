package dev.clipstream.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.testing.MinimalSchemaRegistry;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.format.SchemaRegistryClient;
import dev.clipstream.schemas.format.SchemaRegistryException;
import dev.clipstream.schemas.format.SchemaRegistrySettings;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The registry client against the tests' stand-in of Confluent's REST API: registering is
 * idempotent, a lookup needs the schema registered, unknown ids are empty, and a registry that is
 * not there is one line naming it.
 */
class SchemaRegistryClientTest {

  @Test
  void registersOnceAndLooksUpTheSameId() throws Exception {
    try (MinimalSchemaRegistry registry = MinimalSchemaRegistry.start()) {
      SchemaRegistryClient client =
          new SchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));
      int id = client.register("tags-value", TagResult.getClassSchema());
      assertEquals(id, client.register("tags-value", TagResult.getClassSchema()));
      assertEquals(id, client.lookup("tags-value", TagResult.getClassSchema()));
      assertEquals(Optional.of(TagResult.getClassSchema()), client.schema(id));
      assertEquals(Optional.empty(), client.schema(id + 1));
      SchemaRegistryException notThere =
          assertThrows(
              SchemaRegistryException.class,
              () -> client.lookup("dead-value", DeadLetter.getClassSchema()));
      assertEquals(404, notThere.status());
      assertTrue(
          notThere.getMessage().contains("POST /subjects/dead-value answered 404"),
          notThere.getMessage());
      assertTrue(notThere.getMessage().contains("(error 40403)"), notThere.getMessage());
    }
  }

  @Test
  void aRegistryThatIsNotThereIsOneLineNamingIt() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistrySettings.of(url));
    SchemaRegistryException e =
        assertThrows(
            SchemaRegistryException.class,
            () -> client.register("tags-value", TagResult.getClassSchema()));
    assertEquals(0, e.status());
    assertTrue(e.getMessage().startsWith("schema registry " + url + ": POST"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
