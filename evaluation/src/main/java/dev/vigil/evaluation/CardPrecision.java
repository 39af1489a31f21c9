package dev.vigil.evaluation;

import java.time.LocalDate;
import java.util.List;

/**
 * Card precision@k over a test window: the value of each test day and their mean (NaN when there is no test day).
 */
public record CardPrecision(int k, List<Day> days, double mean) {

    public CardPrecision {
        days = List.copyOf(days);
    }

    /**
     * One test day.
     *
     * @param knownCompromisedCardsExcluded cards dropped because their fraud was already known (label delay)
     * @param cardsRemovedAsFoundEarlier    cards dropped because an earlier day of the window found them
     * @param cardsRanked                   cards left to rank, by their highest score that day
     * @param fraudulentCards               of those, cards with a fraud that day: the most the top k can hold
     * @param fraudulentCardsInTopK         fraudulent cards in the top k; an expected value, so possibly fractional,
     *                                      when a tie straddles place k
     * @param precision                     fraudulentCardsInTopK / k
     * @param cardsFound                    fraudulent cards counted as found and removed from later days: every
     *                                      fraudulent card ranked above place k, plus every fraudulent card of a tie
     *                                      that straddles place k
     * @param boundaryTie                   the tie straddling place k, or null when place k is not inside a tie
     */
    public record Day(LocalDate day, int knownCompromisedCardsExcluded, int cardsRemovedAsFoundEarlier,
                      int cardsRanked, int fraudulentCards, double fraudulentCardsInTopK, double precision,
                      int cardsFound, BoundaryTie boundaryTie) {

        /** The precision a perfect ranking would reach that day: min(fraudulent cards, k) / k. */
        public double bestPossible(int k) {
            return (double) Math.min(fraudulentCards, k) / k;
        }
    }

    /**
     * A group of cards with the same highest score that straddles place k: {@code placesLeft} of its
     * {@code tiedCards} places fall inside the top k.
     */
    public record BoundaryTie(double score, int tiedCards, int tiedFraudulentCards, int placesLeft) {
    }
}
