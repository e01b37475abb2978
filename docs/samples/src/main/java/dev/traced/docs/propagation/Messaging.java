package dev.traced.docs.propagation;

import dev.traced.Span;
import dev.traced.SpanContext;
import dev.traced.Tracer;

import java.util.HashMap;
import java.util.Map;

/** propagation.md, Other transports: a message listener and a producer with headers of their own. */
class Messaging {

    interface Message {
        String getHeader(String name);
    }

    interface Producer {
        void send(String payload, Map<String, String> headers);
    }

    Tracer tracer;
    Producer producer;

    void consumeAndPublish(Message message, String payload) {
        // tag::inject-extract[]
        // Receiving side, e.g. a message listener: headers by lower-case name.
        SpanContext parent = tracer.extract(name -> message.getHeader(name));   // null: no (valid) context
        try (Span span = tracer.spanBuilder("orders.consume").parent(parent).start()) {
            process(message);
        }

        // Sending side: inject the context of the span that makes the call.
        try (Span call = tracer.spanBuilder("orders.publish").start()) {
            Map<String, String> headers = new HashMap<>();
            tracer.inject(call.context(), headers::put);
            producer.send(payload, headers);
        }
        // end::inject-extract[]
    }

    private void process(Message message) {
    }
}
