package dev.traced.compat.weldse;

import dev.traced.Traced;
import jakarta.enterprise.context.ApplicationScoped;

/** The child span's bean. */
@ApplicationScoped
public class Oven {

    @Traced
    public String bake() {
        return "toasted";
    }
}
