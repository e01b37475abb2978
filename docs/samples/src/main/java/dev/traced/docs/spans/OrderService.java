package dev.traced.docs.spans;

import dev.traced.Tracer;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** creating-spans.md, Across threads. */
@ApplicationScoped
public class OrderService {

    @Inject
    Tracer tracer;

    Inventory inventory = new Inventory();
    Mail mail = new Mail();

    // tag::across-threads[]
    @Resource
    ManagedExecutorService executor;

    public void placeOrder(String order) {
        executor.submit(tracer.wrap(() -> inventory.reserve(order)));   // a Runnable or a Callable
        Executor traced = tracer.wrap(executor);                        // every task submitted through it
        CompletableFuture.runAsync(() -> mail.send(order), traced);
    }
    // end::across-threads[]

    static class Inventory {
        void reserve(String order) {
        }
    }

    static class Mail {
        void send(String order) {
        }
    }
}
