package dev.traced.internal.trace;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracer's thread-locals: per-thread values, all let go of when the tracer closes. */
public class TracerThreadLocalTest {

    @Test
    void eachThreadHasItsOwnValueMadeOnceByTheInitialSupplier() throws Exception {
        AtomicInteger made = new AtomicInteger();
        TracerThreadLocal<Object> local = TracerThreadLocal.withInitial(() -> "value " + made.incrementAndGet());
        Object mine = local.get();
        assertSame(mine, local.get());
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Object theirs = other.submit(local::get).get();
            assertNotSame(mine, theirs);
            assertEquals(2, made.get());
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void withoutASupplierAThreadHasNoValueUntilSetAndNullClearsIt() {
        TracerThreadLocal<String> local = TracerThreadLocal.empty();
        assertNull(local.get());
        local.set("a");
        assertEquals("a", local.get());
        local.set(null);
        assertNull(local.get());
    }

    @Test
    void closingLetsGoOfTheValueOfAThreadThatLivesOn() throws Exception {
        TracerThreadLocal<Object> local = TracerThreadLocal.empty();
        ExecutorService pooled = Executors.newSingleThreadExecutor(); // a container's request thread
        try {
            WeakReference<Object> value = pooled.submit(() -> {
                Object stack = new Object[] {"a library object"};
                local.set(stack);
                return new WeakReference<>(stack);
            }).get();
            assertTrue(pooled.submit(() -> local.get() != null).get(), "kept on the thread");

            local.close();

            assertTrue(collected(value), "the pooled thread still holds the value after close");
            assertNull(pooled.submit(local::get).get());
        } finally {
            pooled.shutdownNow();
        }
    }

    @Test
    void afterCloseValuesAreGivenButNotKept() throws Exception {
        TracerThreadLocal<Object> local = TracerThreadLocal.withInitial(Object::new);
        local.get();
        local.close();
        assertNotSame(local.get(), local.get());
        local.set("late");
        assertNotSame("late", local.get());
    }

    /** True once the referent is collected; a few GCs at most. */
    public static boolean collected(WeakReference<?> reference) throws InterruptedException {
        for (int i = 0; i < 50 && reference.get() != null; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return reference.get() == null;
    }
}
