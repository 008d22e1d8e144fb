package dev.runstream.input.boundary;

import dev.runstream.FilterOrder;
import dev.runstream.input.control.BodyReads;
import dev.runstream.input.control.JsonBodies;
import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads every request body of the API before the API sees it, without a thread: the body's bytes
 * are taken as they come (a {@link ReadListener}), and the request goes on to JAX-RS only once the
 * body is in memory (at most one byte over {@code chat.limits.body-bytes}, which answers 413
 * there). A client that trickles its body, or stops sending it, holds no request thread: {@link
 * BodyReads} ends it with 408 once it is too slow, and the connection is closed. The bodies in
 * memory at once hold at most {@code chat.limits.body-bytes-in-flight} bytes, until their requests
 * are answered: one past it is answered 503 without being read.
 *
 * <p>It registers itself, as a listener, behind every declared filter, for requests only; the
 * filters behind it that look at the request ({@link HeaderLimitFilter}, {@link JsonPostFilter})
 * also take the dispatch that follows the read, whichever of them comes first.
 */
@WebListener
public class BodyReadFilter extends HttpFilter implements ServletContextListener {

  private static final Logger LOG = Logger.getLogger(BodyReadFilter.class.getName());

  /** The methods whose bodies the API reads. */
  private static final Set<String> TAKE_BODIES = Set.of("POST", "PUT", "PATCH");

  @Inject BodyReads reads;

  @Inject JsonBodies bodies;

  @Override
  public void contextInitialized(ServletContextEvent started) {
    FilterOrder.behind(started.getServletContext(), BodyReadFilter.class);
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!TAKE_BODIES.contains(request.getMethod())
        || !hasBody(request)
        || !request.getRequestURI().startsWith(request.getContextPath() + "/api/")
        || !request.isAsyncSupported()) {
      chain.doFilter(request, response); // no body of the API's to read
      return;
    }
    if (request.getContentLengthLong() > bodies.limit()) {
      chain.doFilter(request, response); // 413 from BodyLimitFilter, none of it read here
      return;
    }
    BufferedBodyRequest buffered = new BufferedBodyRequest(request);
    AsyncContext async = request.startAsync(buffered, response);
    async.setTimeout(reads.deadlineMillis() + 10_000); // the sweep ends it first
    ServletInputStream in = request.getInputStream();
    Body body =
        new Body(
            in, async, buffered, response, request.getRequestURI(), request.getContentLengthLong());
    async.addListener(body.releasing());
    reads.add(body);
    in.setReadListener(body);
    body.filtered();
  }

  /** 503: the bodies in flight have all the bytes they may; this one is not read on. */
  private void busy(HttpServletResponse response, String path) throws IOException {
    response.setHeader("Connection", "close"); // the body is never read
    response.setHeader("Retry-After", "1");
    Problems.write(
        response,
        Problem.of(
            "server-busy",
            "Server busy",
            503,
            "The server is reading as many bytes of request bodies as it may at once ("
                + reads.inFlightLimit()
                + "): this request was not read to its end. Retry later; a request retried with the same"
                + " Idempotency-Key is never applied twice."),
        path);
    response.flushBuffer();
  }

  /** Writes a refusal. */
  private interface Answer {
    void write() throws IOException;
  }

  private static boolean hasBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
  }

  /**
   * One body, read as its bytes come; settled once: read, too slow, or its client gone. Its
   * container callbacks and the sweep's refusal take its lock, so a refusal never races a read.
   */
  private final class Body implements ReadListener, BodyReads.Reading {

    private final ServletInputStream in;
    private final AsyncContext async;
    private final BufferedBodyRequest buffered;
    private final HttpServletResponse response;
    private final String path;
    private final long started = System.nanoTime();
    private final ByteArrayOutputStream bytes;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final long declared; // its Content-Length, -1 if chunked
    private volatile long received;
    private volatile long taken; // bytes in flight taken for it as they come
    private boolean filtering = true; // doFilter has not returned yet
    private boolean whole; // read while filtering: doFilter dispatches it

    Body(
        ServletInputStream in,
        AsyncContext async,
        BufferedBodyRequest buffered,
        HttpServletResponse response,
        String path,
        long declared) {
      // what it says it is, but not more than what a trickler gets for nothing
      this.bytes = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 256), 16_384));
      this.in = in;
      this.async = async;
      this.buffered = buffered;
      this.response = response;
      this.path = path;
      this.declared = declared;
    }

    @Override
    public long startedNanos() {
      return started;
    }

    @Override
    public long received() {
      return received;
    }

    @Override
    public synchronized void onDataAvailable() throws IOException {
      take();
      String why = settled.get() ? null : reads.whyTooSlow(this, System.nanoTime());
      if (why != null) {
        tooSlow(why);
      }
    }

    /**
     * The body is in. Payara says so once its connector holds the whole body, which may be before
     * the listener has taken the last of it (a post of 100 KB was answered 400 for a cut body), and
     * it marks the stream finished first, so what is left is taken while {@code available()} says
     * so: never {@code isReady()}, which would ask for more of a connection that holds the next
     * request. Payara may also call this on one thread while {@link #onDataAvailable} still reads
     * on another: the lock keeps the read whole.
     */
    @Override
    public synchronized void onAllDataRead() throws IOException {
      byte[] chunk = new byte[8192];
      long most = bodies.limit() + 1;
      while (!settled.get() && received < most && in.available() > 0) {
        int n = in.read(chunk, 0, (int) Math.min(chunk.length, most - received));
        if (n <= 0) {
          break;
        }
        if (!keep(chunk, n)) {
          return;
        }
      }
      read();
    }

    /** Keeps {@code n} bytes of {@code chunk} if the bodies in flight have room; else refuses. */
    private boolean keep(byte[] chunk, int n) {
      if (!reads.tryTake(n)) {
        refuse(() -> busy(response, path));
        return false;
      }
      taken += n;
      bytes.write(chunk, 0, n);
      received += n;
      return true;
    }

    /** Takes what the stream has now, without waiting; settles the body once it has too much. */
    private void take() throws IOException {
      byte[] chunk = new byte[8192];
      long most = bodies.limit() + 1;
      while (!settled.get() && in.isReady()) {
        int n = in.read(chunk, 0, (int) Math.min(chunk.length, most - received));
        if (n <= 0) {
          return; // the end (onAllDataRead follows), or nothing yet
        }
        if (!keep(chunk, n)) {
          return;
        }
        if (received >= most) {
          read(); // over the limit: JAX-RS answers 413 without more of it
          return;
        }
        if (received == declared) {
          // whole: one more isReady() would have Payara read on the connection for more, while
          // the body is whole but not yet marked so (answers came twice). Marked finished,
          // nothing more comes from the container: it goes on now. Not yet marked, the container
          // is delivering its last bytes and calls onAllDataRead once done with them: it goes on
          // then, not while Payara still works on the request (a post handed on from here was
          // once appended twice, in RestartIT)
          if (in.isFinished()) {
            read();
          }
          return;
        }
      }
    }

    @Override
    public synchronized void onError(Throwable failure) {
      if (settled.compareAndSet(false, true)) {
        reads.remove(this);
        LOG.log(Level.FINE, "a request body was not read to its end", failure);
        try {
          async.complete();
        } catch (IllegalStateException alreadyOver) {
          // the container has ended it
        } finally {
          release(); // nothing of it is kept: not left to listeners the container may not call
        }
      }
    }

    /**
     * The body is whole: the request goes on to JAX-RS. While {@code doFilter} has not returned
     * (Grizzly hands a body that came with its head to the listener at once), from there, as a
     * dispatch inside the request's first one; after, from {@link BodyReads#dispatch}'s thread, not
     * from the container's thread that called back (Payara ran such a request twice now and then).
     */
    private synchronized void read() {
      if (settled.compareAndSet(false, true)) {
        reads.remove(this);
        buffered.body(bytes.toByteArray());
        if (filtering) {
          whole = true;
        } else {
          reads.dispatch(async::dispatch);
        }
      }
    }

    /** {@code doFilter} returns: a body that was read meanwhile goes on now. */
    synchronized void filtered() {
      filtering = false;
      if (whole) {
        async.dispatch();
      }
    }

    /** Gives back its bytes in flight once its request is answered, however it ends. */
    AsyncListener releasing() {
      return new AsyncListener() {
        @Override
        public void onComplete(AsyncEvent event) {
          release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
          release();
        }

        @Override
        public void onError(AsyncEvent event) {
          release();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
          event.getAsyncContext().addListener(this); // still in flight: told of the new end too
        }
      };
    }

    private synchronized void release() {
      if (released.compareAndSet(false, true)) {
        reads.release(taken);
      }
    }

    @Override
    public void tooSlow(String detail) {
      refuse(
          () -> {
            response.setHeader("Connection", "close"); // the rest of the body is never read
            Problems.write(
                response,
                Problem.of("request-timeout", "Request body too slow", 408, detail),
                path);
            response.flushBuffer(); // now: Undertow sends it only once the body's rest is drained
          });
    }

    /** Answers instead of reading on, once: {@code answer} writes the refusal. */
    private synchronized void refuse(Answer answer) {
      if (!settled.compareAndSet(false, true)) {
        return;
      }
      reads.remove(this);
      try {
        answer.write();
      } catch (IOException | IllegalStateException e) {
        LOG.log(Level.FINE, "the answer to a slow request body was not sent", e);
      } finally {
        try {
          async.complete();
        } catch (IllegalStateException alreadyOver) {
          // the container has ended it
        } finally {
          // its bytes go with the answer: Payara does not always tell the request's listeners
          // of an end that a thread of the application's made (5 000 bytes were held for good)
          release();
        }
      }
    }
  }
}
