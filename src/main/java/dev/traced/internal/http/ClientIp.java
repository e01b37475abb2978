package dev.traced.internal.http;

import dev.traced.Span;
import dev.traced.internal.config.Config;
import dev.traced.internal.log.RateLimitedLog;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code dd.trace.client.ip.enabled} (default false): the {@code http.client_ip} tag of server spans,
 * as dd-trace-java resolves it. With {@code dd.trace.client.ip.header} set, only that header is read;
 * otherwise the usual proxy headers in order ({@code x-forwarded-for}, {@code x-real-ip}, ...,
 * {@code forwarded}). The first public address wins; failing that the first private one, failing
 * that the peer's address. Only IP literals are parsed, never resolved (no DNS), and only the first
 * {@value #MAX_HEADER_CHARS} characters of a header are read.
 *
 * <pre>{@code
 * clientIp.tag(span, name -> requestContext.getHeaderString(name), remoteAddress);
 * }</pre>
 */
public final class ClientIp {

    static final int MAX_HEADER_CHARS = 4096;
    static final String TAG = "http.client_ip";
    private static final RateLimitedLog LOG = RateLimitedLog.of(ClientIp.class);
    private static final String[] HEADERS = {"x-forwarded-for", "x-real-ip", "true-client-ip", "x-client-ip",
        "x-forwarded", "forwarded-for", "x-cluster-client-ip", "fastly-client-ip", "cf-connecting-ip",
        "cf-connecting-ipv6", "forwarded"};

    private final boolean enabled;
    private final String[] headers;

    ClientIp(boolean enabled, String customHeader) {
        this.enabled = enabled;
        this.headers = customHeader == null ? HEADERS : new String[] {customHeader.trim().toLowerCase(Locale.ROOT)};
    }

    public static ClientIp from(Config config) {
        return new ClientIp(config.getBoolean("dd.trace.client.ip.enabled", false),
                config.getString("dd.trace.client.ip.header", null));
    }

    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets {@code http.client_ip} on the span when enabled and an address is found. {@code headers}
     * looks up request headers by lower-case name; {@code peerAddress} is the connection's remote
     * address (may be null). Never throws.
     */
    public void tag(Span span, Function<String, String> headers, String peerAddress) {
        if (!enabled || span == null) {
            return;
        }
        try {
            String ip = resolve(headers, peerAddress);
            if (ip != null) {
                span.setTag(TAG, ip);
            }
        } catch (RuntimeException e) {
            LOG.debug("client-ip", "could not resolve the client IP: %s", e);
        }
    }

    /** The client address from the headers and the peer, or null. */
    String resolve(Function<String, String> lookup, String peerAddress) {
        String firstPrivate = null;
        if (lookup != null) {
            for (String header : headers) {
                String value = lookup.apply(header);
                if (value == null || value.isEmpty()) {
                    continue;
                }
                if (value.length() > MAX_HEADER_CHARS) {
                    value = value.substring(0, MAX_HEADER_CHARS);
                }
                boolean forwarded = header.equals("forwarded");
                for (String part : value.split(",")) {
                    InetAddress address = parse(forwarded ? forwardedFor(part) : part);
                    if (address == null) {
                        continue;
                    }
                    if (isPublic(address)) {
                        return address.getHostAddress();
                    }
                    if (firstPrivate == null) {
                        firstPrivate = address.getHostAddress();
                    }
                }
            }
        }
        if (firstPrivate != null) {
            return firstPrivate;
        }
        InetAddress peer = parse(peerAddress);
        return peer == null ? null : peer.getHostAddress();
    }

    /** The {@code for=} value of one element of a {@code Forwarded} header, or null. */
    private static String forwardedFor(String element) {
        for (String pair : element.split(";")) {
            String trimmed = pair.trim();
            if (trimmed.regionMatches(true, 0, "for=", 0, 4)) {
                return trimmed.substring(4);
            }
        }
        return null;
    }

    /** An IP literal with optional quotes, brackets and port; null when it is anything else. */
    static InetAddress parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1).trim();
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            s = s.substring(1, close);
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':') && s.indexOf('.') > 0) {
            s = s.substring(0, s.indexOf(':'));  // IPv4 with a port
        }
        if (s.isEmpty() || s.length() > 45 || !literalCharacters(s)) {
            return null;
        }
        boolean v6 = s.indexOf(':') >= 0;
        if (!v6 && !dottedQuad(s)) {
            return null;
        }
        try {
            // A literal: InetAddress parses it without any lookup.
            return InetAddress.getByName(s);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static boolean literalCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean dottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                if (!Character.isDigit(part.charAt(i))) {
                    return false;
                }
            }
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return !(first == 100 && second >= 64 && second <= 127); // carrier-grade NAT, 100.64.0.0/10
        }
        return (bytes[0] & 0xfe) != 0xfc; // unique local addresses, fc00::/7
    }
}
