package dev.traced.benchmarks;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the filter benchmarks' server and client response contexts have in common: a 200 response
 * without headers or entity. The two JAX-RS interfaces differ in their header map and entity methods,
 * which each subclass adds.
 */
abstract class EmptyResponse {
    public int getStatus() { return 200; }
    public void setStatus(int code) { throw new UnsupportedOperationException(); }
    public Response.StatusType getStatusInfo() { return Response.Status.OK; }
    public void setStatusInfo(Response.StatusType statusInfo) { throw new UnsupportedOperationException(); }
    public String getHeaderString(String name) { return null; }
    public boolean containsHeaderString(String name, String valueSeparatorRegex,
                                        java.util.function.Predicate<String> valuePredicate) {
        return false;
    }
    public Set<String> getAllowedMethods() { return Set.of(); }
    public Date getDate() { return null; }
    public Locale getLanguage() { return null; }
    public int getLength() { return -1; }
    public MediaType getMediaType() { return null; }
    public Map<String, NewCookie> getCookies() { return Map.of(); }
    public EntityTag getEntityTag() { return null; }
    public Date getLastModified() { return null; }
    public URI getLocation() { return null; }
    public Set<Link> getLinks() { return Set.of(); }
    public boolean hasLink(String relation) { return false; }
    public Link getLink(String relation) { return null; }
    public Link.Builder getLinkBuilder(String relation) { return null; }
    public boolean hasEntity() { return false; }
}
