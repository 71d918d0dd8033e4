package org.orderly.command.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.orderly.api.payment.PaymentId;
import org.orderly.api.payment.RecordAuthorizationResultCommand;
import org.orderly.command.payment.PaymentProvider.AuthorizationResult;

class PaymentAuthorizerTest {

    private final PaymentId id = PaymentId.newId();
    private final OrderId orderId = OrderId.newId();
    private final Money amount = Money.of("25.00", "EUR");
    private final List<Object> recorded = new CopyOnWriteArrayList<>();
    private final List<String> providerThreads = new CopyOnWriteArrayList<>();
    private CommandGateway commands;

    @BeforeEach
    void setUp() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(RecordAuthorizationResultCommand.class.getName(), message -> {
            recorded.add(message.getPayload());
            return null;
        });
        commands = DefaultCommandGateway.builder().commandBus(bus).build();
    }

    @Test
    void anApprovalIsRecordedAsAnApprovedResult() throws Exception {
        authorizer(answering(CompletableFuture.completedFuture(AuthorizationResult.approval())))
                .authorize(id, orderId, amount).get(5, TimeUnit.SECONDS);

        assertThat(recorded).containsExactly(new RecordAuthorizationResultCommand(id, true, null));
    }

    @Test
    void aDeclineIsRecordedWithTheProvidersReason() throws Exception {
        authorizer(answering(CompletableFuture.completedFuture(AuthorizationResult.decline("Card expired"))))
                .authorize(id, orderId, amount).get(5, TimeUnit.SECONDS);

        assertThat(recorded).containsExactly(new RecordAuthorizationResultCommand(id, false, "Card expired"));
    }

    @Test
    void anAnswerThatComesLaterIsRecordedWhenItComes() throws Exception {
        CompletableFuture<AuthorizationResult> answer = new CompletableFuture<>();
        CompletableFuture<Object> done = authorizer(answering(answer)).authorize(id, orderId, amount);
        assertThat(recorded).isEmpty();

        answer.complete(AuthorizationResult.approval());
        done.get(5, TimeUnit.SECONDS);

        assertThat(recorded).containsExactly(new RecordAuthorizationResultCommand(id, true, null));
    }

    @Test
    void aProviderThatNeverAnswersRecordsNothing() {
        CompletableFuture<Object> done = authorizer(answering(new CompletableFuture<>())).authorize(id, orderId, amount);

        assertThat(done).isNotDone();
        assertThat(recorded).isEmpty();
    }

    @Test
    void aFailingProviderRecordsNothingAndLeavesThePaymentPending() {
        PaymentProvider failing = (p, o, a) -> CompletableFuture.failedFuture(new IllegalStateException("provider down"));
        PaymentProvider throwing = (p, o, a) -> {
            throw new IllegalStateException("provider down");
        };

        assertThatThrownBy(() -> authorizer(failing).authorize(id, orderId, amount).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseMessage("provider down");
        assertThatThrownBy(() -> authorizer(throwing).authorize(id, orderId, amount).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseMessage("provider down");
        assertThat(recorded).isEmpty();
    }

    @Test
    void theProviderIsAskedOnlyAfterTheUnitOfWorkCommits() throws Exception {
        // A thread of its own, as in production: the answer's command must start a unit of work of its own.
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            PaymentAuthorizer authorizer = new PaymentAuthorizer(
                    answering(CompletableFuture.completedFuture(AuthorizationResult.approval())), commands, executor);
            UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("authorize"));

            authorizer.authorizeAfterCommit(id, orderId, amount);
            assertThat(providerThreads).as("not asked before the commit").isEmpty();

            unitOfWork.commit();
            assertThat(recordedWithin(Duration.ofSeconds(5))).containsExactly(
                    new RecordAuthorizationResultCommand(id, true, null));
            assertThat(providerThreads).hasSize(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aRolledBackUnitOfWorkNeverReachesTheProvider() {
        PaymentAuthorizer authorizer = authorizer(answering(CompletableFuture.completedFuture(AuthorizationResult.approval())));
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("authorize"));

        authorizer.authorizeAfterCommit(id, orderId, amount);
        unitOfWork.rollback();

        assertThat(providerThreads).isEmpty();
        assertThat(recorded).isEmpty();
    }

    @Test
    void theProviderIsCalledOnAThreadOfItsOwnNeverOnTheCommandsThread() throws Exception {
        PaymentAuthorizer authorizer = new PaymentAuthorizer(
                answering(CompletableFuture.completedFuture(AuthorizationResult.approval())), commands);
        try {
            authorizer.authorize(id, orderId, amount).get(5, TimeUnit.SECONDS);
        } finally {
            authorizer.destroy();
        }

        assertThat(providerThreads).singleElement().asString().startsWith("payment-provider-")
                .isNotEqualTo(Thread.currentThread().getName());
        assertThat(recorded).hasSize(1);
    }

    @Test
    void theDelayOfASlowProviderHoldsNoThread() throws Exception {
        // Two threads in the pool, twenty answers 300 ms away: waiting on them in the pool would take 3 s.
        PaymentAuthorizer authorizer = new PaymentAuthorizer((p, o, a) -> CompletableFuture.supplyAsync(
                AuthorizationResult::approval, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)), commands);
        try {
            long started = System.nanoTime();
            List<CompletableFuture<Object>> all = IntStream.range(0, 20)
                    .mapToObj(i -> authorizer.authorize(PaymentId.newId(), orderId, amount)).toList();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2000));
        } finally {
            authorizer.destroy();
        }
        assertThat(recorded).hasSize(20);
    }

    private List<Object> recordedWithin(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (recorded.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return recorded;
    }

    private PaymentAuthorizer authorizer(PaymentProvider provider) {
        return new PaymentAuthorizer(provider, commands, Runnable::run);
    }

    private PaymentProvider answering(CompletableFuture<AuthorizationResult> answer) {
        return (paymentId, order, money) -> {
            providerThreads.add(Thread.currentThread().getName());
            return answer;
        };
    }
}
