package dev.vigil.feedback.update;

import dev.vigil.feedback.decisions.LoggedDecision;

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

    public RewardModel {
        if (!(fraudValue >= 0) || Double.isInfinite(fraudValue)) {
            throw new IllegalArgumentException("feedback.reward.fraud-value must be >= 0 and finite: " + fraudValue);
        }
        if (!(fraudValuePerAmount >= 0) || Double.isInfinite(fraudValuePerAmount)) {
            throw new IllegalArgumentException("feedback.reward.fraud-value-per-amount must be >= 0 and finite: "
                    + fraudValuePerAmount);
        }
        if (!(reviewCost > 0) || Double.isInfinite(reviewCost)) {
            throw new IllegalArgumentException("feedback.reward.review-cost must be > 0 and finite: " + reviewCost);
        }
        if (fraudValue == 0 && fraudValuePerAmount == 0) {
            throw new IllegalArgumentException("feedback.reward: a fraud caught must be worth something "
                    + "(fraud-value or fraud-value-per-amount > 0)");
        }
    }

    public static RewardModel defaults() {
        return new RewardModel(1.0, 0.0, 0.1);
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
