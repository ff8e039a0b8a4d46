package dev.clipstream.jobs.training;

import dev.clipstream.model.training.CaptionedPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The trainer's operator state, by name: its position (step, file names and digests, random state),
 * the pairs waiting for a batch, the replay reservoir and the held-out slice (8-bit crops), the
 * files of its retained checkpoints and publications, and the job that wrote them. The names are
 * part of every savepoint: do not rename.
 */
final class TrainerStates {
  final ListState<TrainerPosition> position;
  final ListState<CaptionedPair> pending;
  final ListState<CaptionedPair> replay;
  final ListState<CaptionedPair> holdout;
  final ListState<SnapshotFiles> files;
  final ListState<String> published;
  final ListState<String> filesOwner;

  TrainerStates(OperatorStateStore store) throws Exception {
    TypeInformation<CaptionedPair> pairs = TypeInformation.of(CaptionedPair.class);
    TypeInformation<String> strings = TypeInformation.of(String.class);
    position =
        store.getListState(
            new ListStateDescriptor<>("position", TypeInformation.of(TrainerPosition.class)));
    pending = store.getListState(new ListStateDescriptor<>("pending", pairs));
    replay = store.getListState(new ListStateDescriptor<>("replay", pairs));
    holdout = store.getListState(new ListStateDescriptor<>("holdout", pairs));
    files =
        store.getListState(
            new ListStateDescriptor<>("files", TypeInformation.of(SnapshotFiles.class)));
    published = store.getListState(new ListStateDescriptor<>("published", strings));
    filesOwner = store.getListState(new ListStateDescriptor<>("files-owner", strings));
  }

  /** The elements of {@code state}, in order. */
  static <T> List<T> list(ListState<T> state) throws Exception {
    List<T> out = new ArrayList<>();
    state.get().forEach(out::add);
    return out;
  }
}
