package dev.vigil.feedback.update;

import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.schemas.cli.Setting;

/**
 * The reward of the alert policy. Alerting a transaction costs a review ({@code reviewCost}) and, if it is fraud,
 * catches it ({@code value}); passing it earns nothing:
 *
 * <pre>
 *   r(alert, y) = value(x) * y - reviewCost        r(pass, y) = 0
 *   value(x)    = fraudValue + fraudValuePerAmount * amount(x)      (amount in major units)
 * </pre>
 *
 * Once the label y is known both rewards are known, so what a labeled decision teaches is the advantage of alerting,
 * {@link #advantage} = r(alert, y) - r(pass, y): positive for a fraud worth more than a review, -reviewCost for a
 * genuine transaction. The best policy alerts exactly when P(fraud | x) * value(x) > reviewCost.
 *
 * @param fraudValue          value of one fraud caught (default 1)
 * @param fraudValuePerAmount value per major unit of the fraud's amount (default 0: every fraud is worth the same)
 * @param reviewCost          cost of one analyst review, in the same unit (default 0.1)
 */
public record RewardModel(double fraudValue, double fraudValuePerAmount, double reviewCost) {

    public static final Setting<Double> FRAUD_VALUE = Setting.finiteFrom("fraud-value", 1.0, 0, false,
            "Reward of a fraud caught.");
    public static final Setting<Double> FRAUD_VALUE_PER_AMOUNT = Setting.finiteFrom("fraud-value-per-amount", 0.0, 0,
            false, "Plus this much per major unit of its amount.");
    public static final Setting<Double> REVIEW_COST = Setting.finiteFrom("review-cost", 0.1, 0, true,
            "Cost of one analyst review.");

    public RewardModel {
        FRAUD_VALUE.check(fraudValue);
        FRAUD_VALUE_PER_AMOUNT.check(fraudValuePerAmount);
        REVIEW_COST.check(reviewCost);
        if (fraudValue == 0 && fraudValuePerAmount == 0) {
            throw new IllegalArgumentException("a fraud caught must be worth something: " + FRAUD_VALUE.flag()
                    + " or " + FRAUD_VALUE_PER_AMOUNT.flag() + " must be > 0");
        }
    }

    public static RewardModel defaults() {
        return new RewardModel(FRAUD_VALUE.defaultValue(), FRAUD_VALUE_PER_AMOUNT.defaultValue(),
                REVIEW_COST.defaultValue());
    }

    /** value(x): what catching this transaction is worth if it is fraud. */
    public double fraudValue(LoggedDecision decision) {
        return fraudValue + fraudValuePerAmount * decision.amountMajor();
    }

    /** r(alert, y) - r(pass, y). */
    public double advantage(LoggedDecision decision, boolean fraud) {
        return (fraud ? fraudValue(decision) : 0.0) - reviewCost;
    }
}
