package com.example;

import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;

// tag::main[]
public class Main {

    public static void main(String[] args) {
        try (SeContainer container = SeContainerInitializer.newInstance().initialize()) {
            System.out.println(container.select(Greeter.class).get().greet("world"));
        }   // closing the container sends the last traces
    }
}
// end::main[]
