package dev.vigil.simulator.replay;

import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.cards.CardTokens;

/**
 * A sink that hands on every transaction and label with its card id replaced by the card's token
 * ({@link CardTokens}), so that a replay asked to ({@code --card-key}) puts no clear card id on any topic: the
 * transactions, their keys, and the chargebacks (a label names the same token as its transaction). {@link #labels}
 * tokenizes the labels only, for a payment stream that reaches the scorer in clear (the scorer tokenizes it at its
 * door) beside an issuer feed that does not pass the scorer: the demo's case.
 */
public final class TokenizingSink implements ReplaySink {

    private final ReplaySink next;
    private final CardTokens tokens;
    private final boolean transactionsToo;

    public TokenizingSink(ReplaySink next, CardTokens tokens) {
        this(next, tokens, true);
    }

    private TokenizingSink(ReplaySink next, CardTokens tokens, boolean transactionsToo) {
        this.next = next;
        this.tokens = tokens;
        this.transactionsToo = transactionsToo;
    }

    /** Tokenizes the labels, hands on the transactions as they are. */
    public static TokenizingSink labels(ReplaySink next, CardTokens tokens) {
        return new TokenizingSink(next, tokens, false);
    }

    @Override
    public void transaction(Transaction transaction) {
        next.transaction(transactionsToo
                ? Transaction.newBuilder(transaction).setCardId(tokens.token(transaction.getCardId())).build()
                : transaction);
    }

    @Override
    public void label(FraudLabel label) {
        next.label(FraudLabel.newBuilder(label).setCardId(tokens.token(label.getCardId())).build());
    }

    @Override
    public void flush() {
        next.flush();
    }
}
