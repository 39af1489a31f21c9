package dev.vigil.simulator.analysts;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One reviewed transaction: the analyst labels it (the outcome comes from {@link FraudTruth}).
 *
 * @param day          the alert's event-time day, whose budget the review counts against
 * @param rank         the card's place among the day's reviewed cards, 1 = reviewed first (highest priority)
 * @param cardMaxScore the highest score among the card's alerts that day, what it was ranked by
 * @param late         reviewed on arrival after its day had closed (the card was already reviewed, or budget remained)
 */
public record Review(AlertTicket alert, LocalDate day, int rank, double cardMaxScore, String analystId,
        Instant labeledTime, boolean late) {
}
