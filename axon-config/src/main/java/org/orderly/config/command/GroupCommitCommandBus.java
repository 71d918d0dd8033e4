package org.orderly.config.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.annotation.Nonnull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.Registration;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfiguration;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.orderly.config.eventstore.AppendedPositions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's local command bus, with group commit: commands sent at about the same time are handled one after the other
 * by one committer thread, in one database transaction, and committed once, so that they share a single commit and
 * a single write-ahead-log flush.
 * <p>
 * <b>Batches.</b> A sender's thread queues its command and waits. The committer takes the first queued command,
 * waits up to {@code max-wait} for others to join it, up to {@code max-batch}, and opens a root unit of work with
 * the transaction; each command runs in a unit of work nested in it, through the bus's handler interceptors, as Axon
 * runs a command sent from within a handler. A nested unit appends its events when the root commits, and its
 * aggregates stay locked (and cached in the root) until the root ends: a second command for an aggregate of the
 * batch finds it as the first command left it, exactly as if it had been sent after the first one committed.
 * <p>
 * <b>Answers only after the commit.</b> A sender gets its answer from the committer once the root unit of work has
 * committed the transaction and run its after-commit work: publication of the events to the processors, the
 * event store's wake-up of its readers, and the sender's {@code Orderly-Position} ({@link AppendedPositions}). Axon
 * appends the events of all nested units at once, as the root commits, so each sender's position is that of the
 * batch's last event: at or after its own, and committed with it, which is what a reader waiting for the sender's
 * change needs. A crash before the commit loses only commands whose senders got no answer.
 * <p>
 * <b>A failing command fails alone.</b> When a command of the batch fails (refused, in conflict, a constraint
 * violated, any exception: an SQL error has aborted the whole PostgreSQL transaction), the batch is rolled back as
 * a whole; that command is handed back to its sender's thread, which runs it on its own exactly as the plain bus
 * would, and the others go back to the head of the queue, to form the next batch in the same order. Each round
 * takes one command out, so a batch's failures cost it one re-run each, not a transaction per command. When the
 * batch fails before its commit with no command to blame (an append refused at prepare-commit, say), every command
 * of it runs alone. Either way each sender gets its own outcome, a conflict is retried by the gateway as always, and
 * nothing of a rolled-back batch was ever answered. A failure of the commit itself is the one exception: the
 * database may have committed or not, so every sender of that batch gets that failure, as a lone command's sender
 * would, and no command of it runs again.
 * <p>
 * <b>A lone command pays nothing.</b> A command sent while no other is in flight runs at once, on its sender's
 * thread, exactly as without group commit: there is nothing it could share a commit with, and waiting for company
 * that is not coming would only add to its latency. Only a command that arrives while others are in flight is queued
 * for the committer. A batch of a single command is handed back to its sender at once: it runs exactly as without
 * group commit. So does a command sent from within a unit of work (a handler's, or a processor's), which belongs
 * to that unit.
 * <p>
 * One committer runs one batch at a time: two batches holding each other's aggregate locks or row locks cannot
 * wait on each other. Commands run alone (a failed batch's, a lone command) run on their senders' threads,
 * alongside the next batch, as every command does without group commit.
 * <p>
 * <b>Works around Axon</b> (listed with the others in {@code docs/axon-workarounds.md}). Axon 4.13's
 * {@link SimpleCommandBus} gives every command a transaction of its own and keeps its handler interceptors private,
 * so this subclass keeps its own copy of them; it can go when Axon's bus commits commands arriving together as one,
 * each with its own outcome.
 */
public class GroupCommitCommandBus extends SimpleCommandBus {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitCommandBus.class);
    static final String METER = "orderly.commands.group-commit";

    private final TransactionManager transactionManager;
    private final List<MessageHandlerInterceptor<? super CommandMessage<?>>> handlerInterceptors =
            new CopyOnWriteArrayList<>();
    private volatile RollbackConfiguration rollbackConfiguration = RollbackConfigurationType.UNCHECKED_EXCEPTIONS;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    private final Thread committer;
    private volatile boolean stopped;
    /** Commands sent through the bus (not from within a unit of work) and not yet answered. */
    private final AtomicInteger inFlight = new AtomicInteger();

    private final DistributionSummary batchSizes;
    private final Counter committed;
    private final Counter rolledBack;
    private final Counter commitFailed;
    private final Counter queued;

    public GroupCommitCommandBus(Builder builder, TransactionManager transactionManager, int maxBatch,
                                 Duration maxWait, MeterRegistry meters) {
        super(builder.transactionManager(transactionManager));
        this.transactionManager = transactionManager;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.batchSizes = DistributionSummary.builder(METER + ".batch.size")
                .description("Commands per shared transaction (a batch of one runs alone)")
                .register(meters);
        this.committed = batches(meters, "committed", "Batches committed, every command of them answered with its result");
        this.rolledBack = batches(meters, "rolled_back",
                "Batches rolled back before their commit, every command of them then run alone");
        this.commitFailed = batches(meters, "commit_failed",
                "Batches whose commit failed, every command of them answered with that failure");
        this.queued = Counter.builder(METER + ".queued")
                .description("Commands that arrived while others were in flight and were queued to share a commit")
                .register(meters);
        this.committer = new Thread(this::commitBatches, "orderly-group-commit");
        this.committer.setDaemon(true);
        this.committer.start();
        log.info("Group commit on: up to {} commands per transaction, the first waiting up to {} for others",
                maxBatch, maxWait);
    }

    private static Counter batches(MeterRegistry meters, String outcome, String description) {
        return Counter.builder(METER + ".batches").tag("outcome", outcome).description(description).register(meters);
    }

    @Override
    public Registration registerHandlerInterceptor(
            @Nonnull MessageHandlerInterceptor<? super CommandMessage<?>> handlerInterceptor) {
        Registration registration = super.registerHandlerInterceptor(handlerInterceptor);
        handlerInterceptors.add(handlerInterceptor);
        return () -> handlerInterceptors.remove(handlerInterceptor) & registration.cancel();
    }

    @Override
    public void setRollbackConfiguration(@Nonnull RollbackConfiguration rollbackConfiguration) {
        super.setRollbackConfiguration(rollbackConfiguration);
        this.rollbackConfiguration = rollbackConfiguration;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <C, R> void handle(@Nonnull CommandMessage<C> command,
                                 @Nonnull MessageHandler<? super CommandMessage<?>> handler,
                                 @Nonnull CommandCallback<? super C, ? super R> callback) {
        if (stopped || CurrentUnitOfWork.isStarted() || Thread.currentThread() == committer) {
            super.handle(command, handler, callback);
            return;
        }
        if (inFlight.compareAndSet(0, 1)) {
            // No other command is in flight, so none could share a commit with this one: it runs at once.
            try {
                batchSizes.record(1);
                super.handle(command, handler, callback);
            } finally {
                inFlight.decrementAndGet();
            }
            return;
        }
        inFlight.incrementAndGet();
        try {
            Pending pending = new Pending(command, handler, AppendedPositions.open());
            queued.increment();
            queue.add(pending);
            if (stopped && queue.remove(pending)) {
                super.handle(command, handler, callback);
                return;
            }
            CommandResultMessage<?> result = pending.await();
            if (result == null) {
                super.handle(command, handler, callback); // on its own, on this thread, as the plain bus runs it
            } else {
                callback.onResult(command, (CommandResultMessage<R>) result);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Commands sent through the bus and not answered yet. */
    int inFlight() {
        return inFlight.get();
    }

    /** Stops batching; queued commands and commands sent from now on run alone. */
    public void shutdown() {
        stopped = true;
        committer.interrupt();
        for (Pending pending; (pending = queue.poll()) != null; ) {
            pending.runAlone();
        }
    }

    private void commitBatches() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!stopped) {
            try {
                batch.add(queue.take());
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                batchSizes.record(batch.size());
                if (batch.size() == 1) {
                    batch.get(0).runAlone();
                } else {
                    commit(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.forEach(Pending::runAlone);
                return;
            } catch (RuntimeException | Error e) {
                // A batch answers every sender whatever happens; this only guards the committer's own life.
                log.error("Group commit failed to finish a batch of {} commands; running them alone", batch.size(), e);
                batch.forEach(Pending::runAlone);
            } finally {
                batch.clear();
            }
        }
    }

    /** Runs {@code batch} in one transaction; answers every command of it, or hands it back to run alone. */
    void commit(List<Pending> batch) {
        DefaultUnitOfWork<CommandMessage<?>> root = DefaultUnitOfWork.startAndGet(batch.get(0).command);
        List<CommandResultMessage<?>> results = new ArrayList<>(batch.size());
        AtomicBoolean committing = new AtomicBoolean();
        try {
            root.attachTransaction(transactionManager);
            // Commit handlers run in reverse order: this one runs last but one, just before the transaction's commit.
            root.onCommit(u -> committing.set(true));
            // prepare-commit handlers run in order: this one before the appends of every command's events
            AppendedPositions.Capture shared = AppendedPositions.sharedBy(batch.stream().map(p -> p.capture).toList());
            root.onPrepareCommit(u -> AppendedPositions.reportTo(shared));
            for (Pending pending : batch) {
                CommandResultMessage<?> result = handleNested(pending);
                if (result.isExceptional()) {
                    root.rollback(result.exceptionResult());
                    rolledBack.increment();
                    pending.runAlone();
                    requeue(batch.stream().filter(other -> other != pending).toList());
                    return;
                }
                results.add(result);
            }
            root.commit();
        } catch (RuntimeException | Error e) {
            if (root.isActive()) {
                root.rollback(e);
            }
            if (committing.get()) {
                commitFailed.increment();
                log.warn("The shared commit of {} commands failed; each is answered with the failure", batch.size(), e);
                CommandResultMessage<?> failure = GenericCommandResultMessage.asCommandResultMessage(e);
                batch.forEach(pending -> pending.answer(failure));
            } else {
                rolledBack.increment();
                batch.forEach(Pending::runAlone);
            }
            return;
        } finally {
            AppendedPositions.reportTo(null);
        }
        committed.increment();
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer(results.get(i));
        }
    }

    /** Puts {@code pending} back at the head of the queue, in order; once stopped, each runs alone instead. */
    private void requeue(List<Pending> pending) {
        for (int i = pending.size() - 1; i >= 0; i--) {
            queue.addFirst(pending.get(i));
        }
        if (stopped) {
            for (Pending left; (left = queue.poll()) != null; ) {
                left.runAlone();
            }
        }
    }

    /** Handles one command in a unit of work nested in the batch's; anything it appends at once is its sender's. */
    private CommandResultMessage<?> handleNested(Pending pending) {
        AppendedPositions.Capture replaced = AppendedPositions.reportTo(pending.capture);
        try {
            UnitOfWork<CommandMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(pending.command);
            InterceptorChain chain = new DefaultInterceptorChain<>(unitOfWork, handlerInterceptors, pending.handler);
            ResultMessage<?> result = unitOfWork.executeWithResult(chain::proceed, rollbackConfiguration);
            return GenericCommandResultMessage.asCommandResultMessage(result);
        } finally {
            AppendedPositions.reportTo(replaced);
        }
    }

    /** A command waiting for its batch: answered with its result, or (with {@code null}) handed back to run alone. */
    static final class Pending {

        private final CommandMessage<?> command;
        private final MessageHandler<? super CommandMessage<?>> handler;
        private final AppendedPositions.Capture capture;
        private final CompletableFuture<CommandResultMessage<?>> outcome = new CompletableFuture<>();

        Pending(CommandMessage<?> command, MessageHandler<? super CommandMessage<?>> handler,
                AppendedPositions.Capture capture) {
            this.command = command;
            this.handler = handler;
            this.capture = capture;
        }

        void answer(CommandResultMessage<?> result) {
            outcome.complete(result);
        }

        void runAlone() {
            outcome.complete(null);
        }

        /**
         * The command's outcome, or {@code null} to run it alone. The sender waits even when interrupted: its command
         * may be in a transaction being committed, and leaving before the outcome is known would leave it unanswered.
         */
        CommandResultMessage<?> await() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return outcome.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(e.getCause());
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
