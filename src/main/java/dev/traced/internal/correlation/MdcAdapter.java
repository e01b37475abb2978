package dev.traced.internal.correlation;

/** The MDC of one logging API: the two operations log correlation needs. */
interface MdcAdapter {

    void put(String key, String value);

    void remove(String key);
}
