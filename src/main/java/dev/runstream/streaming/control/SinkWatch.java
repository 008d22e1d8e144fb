package dev.runstream.streaming.control;

/**
 * One operation on a client's sink that may block, watched: when it began and, while a thread is in
 * it, which thread, so the watchdog can interrupt it. Interrupting is the one way to free a thread
 * blocked in the container (Grizzly's flush, RESTEasy's close waiting for its flush); the thread
 * clears a late interrupt before it goes on to other work.
 */
final class SinkWatch {

  private long since; // System.nanoTime() | 1 while the operation is under way, else 0
  private Thread thread; // the thread in the operation, while it is in it

  /** The calling thread begins the operation. */
  synchronized void begin() {
    since = System.nanoTime() | 1;
    thread = Thread.currentThread();
  }

  /**
   * The calling thread is out of the operation; it may still be under way (an asynchronous write)
   * until {@link #end()}.
   */
  synchronized void leave() {
    thread = null;
    Thread.interrupted(); // an interrupt meant for this operation, not the thread's next task
  }

  synchronized void end() {
    since = 0;
  }

  /** Whether the operation is under way (an asynchronous write until its stage completes). */
  synchronized boolean underWay() {
    return since != 0;
  }

  synchronized boolean startedBefore(long deadline) {
    return since != 0 && since - deadline < 0;
  }

  /** Whether a thread is still in the operation. */
  synchronized boolean holdsThread() {
    return thread != null;
  }

  /** Interrupts the thread in the operation if the operation began before {@code deadline}. */
  synchronized void interruptIfStartedBefore(long deadline) {
    if (thread != null && startedBefore(deadline)) {
      thread.interrupt();
    }
  }
}
