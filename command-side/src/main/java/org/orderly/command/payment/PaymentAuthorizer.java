package org.orderly.command.payment;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.orderly.api.payment.PaymentId;
import org.orderly.api.payment.RecordAuthorizationResultCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Asks the provider to authorize a payment once the command that requested it has committed, and
 * records the answer with a command of its own. Nothing waits for the provider meanwhile: not the
 * payment's lock, not a transaction, not the thread that handled the command.
 * <p>
 * Between the commit and the provider call the request lives only in memory: a crash in that gap, or an
 * answer whose command fails, leaves the payment pending. The order saga covers it: when its payment
 * deadline passes it sends {@code AuthorizePaymentCommand} again, which, for a payment still pending, asks
 * the provider again (the provider call is idempotent by payment id). Only a provider that stays silent
 * through every ask cancels the order.
 */
@Component
class PaymentAuthorizer implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PaymentAuthorizer.class);

    private final PaymentProvider provider;
    private final CommandGateway commands;
    private final Executor executor;
    private final ExecutorService ownExecutor;

    @Autowired
    PaymentAuthorizer(PaymentProvider provider, CommandGateway commands) {
        this(provider, commands, Executors.newFixedThreadPool(2, daemonThreads()), true);
    }

    /** With the executor that calls the provider and sends the answer, which tests choose. */
    PaymentAuthorizer(PaymentProvider provider, CommandGateway commands, Executor executor) {
        this(provider, commands, executor, false);
    }

    private PaymentAuthorizer(PaymentProvider provider, CommandGateway commands, Executor executor, boolean owned) {
        this.provider = provider;
        this.commands = commands;
        this.executor = executor;
        this.ownExecutor = owned ? (ExecutorService) executor : null;
    }

    /**
     * From a command handler: asks the provider after the handler's unit of work commits, and never if it
     * rolls back, so a refused or failed command reaches no provider.
     */
    void authorizeAfterCommit(PaymentId paymentId, OrderId orderId, Money amount) {
        CurrentUnitOfWork.get().afterCommit(unitOfWork -> {
            try {
                authorize(paymentId, orderId, amount);
            } catch (RuntimeException e) {
                // The command is stored: its sender must not see a failure. The saga's deadline takes over.
                log.warn("Payment {} stays pending: its provider could not be asked", paymentId, e);
            }
        });
    }

    /**
     * Calls the provider and records its answer. Both happen on the executor: after-commit callbacks still
     * run inside the committed unit of work, with the payment locked, and a command sent from there would
     * join that finished unit of work instead of starting its own.
     *
     * @return completes when the answer is recorded, or with the failure (already logged)
     */
    CompletableFuture<Object> authorize(PaymentId paymentId, OrderId orderId, Money amount) {
        return CompletableFuture.supplyAsync(() -> provider.authorize(paymentId, orderId, amount), executor)
                .thenCompose(Function.identity())
                .thenComposeAsync(result -> commands.send(
                        new RecordAuthorizationResultCommand(paymentId, result.approved(), result.reason())), executor)
                .whenComplete((recorded, failure) -> {
                    if (failure != null) {
                        log.warn("Payment {} stays pending: its authorization answer was not recorded", paymentId,
                                failure);
                    }
                });
    }

    @Override
    public void destroy() {
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "payment-provider-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
