package ai.attune.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The layer registry of {@link ParameterStore}. */
@Tag("engine")
class ParameterStoreTest {
  record Dense(String name) {}

  record Norm(String name) {}

  @Test
  void modulesListsRegisteredLayersOfATypeInRegistrationOrder() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        ParameterStore store = new ParameterStore(root)) {
      Dense a = new Dense("a");
      Norm n = new Norm("n");
      Dense b = new Dense("b");
      store.register(a);
      store.register(n);
      store.register(b);
      assertThat(store.modules(Dense.class)).containsExactly(a, b);
      assertThat(store.modules(Norm.class)).containsExactly(n);
      assertThat(store.modules(Record.class)).containsExactly(a, n, b);
      assertThat(store.modules(String.class)).isEmpty();
      // equal but distinct objects are distinct modules; the same object twice is an error
      store.register(new Dense("a"));
      assertThat(store.modules(Dense.class)).hasSize(3);
      assertThatThrownBy(() -> store.register(a))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("twice");
      assertThatThrownBy(() -> store.modules(Dense.class).add(a))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
