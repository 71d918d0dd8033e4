package org.orderly.config.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code orderly.web.*}: how much the HTTP API takes from one client before it refuses.
 *
 * @param maxBodySize     the largest request body accepted; a larger one is a 413, refused by its Content-Length
 *                        before it is read, or (chunked) as soon as that many bytes have been read
 * @param maxWaitingReads how many reads may wait at once for the read models to pass the {@code Orderly-Position}
 *                        they sent; beyond it a read answers at once, as the read model stands, with
 *                        {@code Orderly-Position-Reached: false}, so waiting reads can never hold every request thread
 * @param rateLimit       requests per second per caller
 * @param consistency     reads that wait for a command's {@code Orderly-Position}
 */
@ConfigurationProperties("orderly.web")
public record WebProperties(@DefaultValue("1MB") DataSize maxBodySize,
                            @DefaultValue("32") int maxWaitingReads,
                            @DefaultValue RateLimit rateLimit,
                            @DefaultValue Consistency consistency) {

    /**
     * {@code orderly.web.consistency.*}: a GET that sends back a command's {@code Orderly-Position} waits until the
     * read models it reads have passed it, on whichever node answers.
     *
     * @param maxWait the longest a GET that sent an {@code Orderly-Position} waits for the read models it reads to
     *                pass it; then it is answered as the read model stands, with
     *                {@code Orderly-Position-Reached: false}. A read model that keeps up passes a position within
     *                tens of milliseconds; one that does not within seconds is rebuilding or failing, and the client
     *                is better told so than held
     */
    public record Consistency(@DefaultValue("3s") Duration maxWait) {
    }

    /**
     * {@code orderly.web.rate-limit.*}: a token bucket per caller; beyond it a 429 with {@code Retry-After}.
     * Authenticated callers are counted by user name, anonymous ones by remote address. Both defaults are above
     * what one node serves (about 750 registrations/s on 2 cores, each followed by a read: some 1,500 requests/s
     * from the benchmark's single address), so that sign-ups, which are anonymous, are not throttled when they
     * come from one address (the benchmark, a NAT, a proxy). What they stop is one caller taking the whole
     * node from the others; lower the anonymous one where every client has an address of its own.
     *
     * @param enabled                whether requests are limited at all
     * @param authenticatedPerSecond requests per second one user may sustain
     * @param authenticatedBurst     requests one user may send at once after being idle
     * @param anonymousPerSecond     requests per second one remote address may sustain without logging in
     * @param anonymousBurst         requests one remote address may send at once after being idle
     * @param maxTrackedCallers      callers whose buckets are kept; the least recently seen is forgotten first,
     *                               so that requests from many addresses cannot grow memory
     */
    public record RateLimit(@DefaultValue("true") boolean enabled,
                            @DefaultValue("2000") long authenticatedPerSecond,
                            @DefaultValue("4000") long authenticatedBurst,
                            @DefaultValue("2000") long anonymousPerSecond,
                            @DefaultValue("4000") long anonymousBurst,
                            @DefaultValue("100000") int maxTrackedCallers) {
    }
}
