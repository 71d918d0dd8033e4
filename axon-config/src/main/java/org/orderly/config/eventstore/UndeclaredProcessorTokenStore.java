package org.orderly.config.eventstore;

import javax.annotation.Nonnull;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;

/** The token store of processors that no domain store declares: using it is a configuration error. */
final class UndeclaredProcessorTokenStore implements TokenStore {

    @Override
    public void storeToken(TrackingToken token, @Nonnull String processorName, int segment) {
        throw unassigned(processorName);
    }

    @Override
    public TrackingToken fetchToken(@Nonnull String processorName, int segment) {
        throw unassigned(processorName);
    }

    @Override
    public void releaseClaim(@Nonnull String processorName, int segment) {
        throw unassigned(processorName);
    }

    @Override
    public int[] fetchSegments(@Nonnull String processorName) {
        throw unassigned(processorName);
    }

    private static IllegalStateException unassigned(String processorName) {
        return new IllegalStateException("Processor '" + processorName + "' belongs to no domain store. "
                + "Declare it in a DomainStoreDefinition so that its tokens live in its domain's schema.");
    }
}
