package org.rnn4j.train;

import org.rnn4j.runtime.BoxedVectorWatch;

/**
 * Tells the user, once, when the training steps allocate as boxed vectors do (see
 * {@link BoxedVectorWatch}). Writes of checkpoints and evaluations allocate by design, so the
 * measurement starts afresh after each.
 */
final class JitWatch implements LoopListener {
  private final BoxedVectorWatch watch = new BoxedVectorWatch();
  private final TrainingListener messages;
  private long checkpointsSeen;

  JitWatch(TrainingListener messages) {
    this.messages = messages;
  }

  @Override
  public void batchFinished(RunState run) {
    if (run.checkpointsWritten != checkpointsSeen) {
      checkpointsSeen = run.checkpointsWritten;
      watch.restart();
      return;
    }
    long bytesPerStep = watch.afterStep();
    if (bytesPerStep > 0) {
      messages.message(BoxedVectorWatch.message(bytesPerStep));
    }
  }

  @Override
  public void epochStarted(RunState run) {
    checkpointsSeen = run.checkpointsWritten;
    watch.restart();
  }
}
