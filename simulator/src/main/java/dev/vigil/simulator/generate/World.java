package dev.vigil.simulator.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The cards, merchants and places of a run, drawn once from the seed and never changed: everything that changes over
 * the run lives in {@link DayGenerator}.
 */
final class World {

    /** Share of merchants that sell only online. */
    static final double ONLINE_MERCHANT_SHARE = 0.3;
    /** Share of online merchants registered outside the region. */
    static final double FOREIGN_ONLINE_MERCHANT_SHARE = 0.25;
    static final double SHOP_SCATTER_KM = 4.0;
    static final double HOME_SCATTER_KM = 6.0;
    /** How far around a city centre a connection from elsewhere (a fraudster, a VPN exit) appears to be. */
    static final double FOREIGN_SCATTER_KM = 8.0;
    static final double VPN_USER_SHARE = 0.03;
    static final double DISPUTER_SHARE = 0.015;

    final List<City> cities;
    final List<Card> cards;
    final List<Merchant> merchants;
    private final double[] cityCumulative;
    private final MerchantPool[][] cardPresentPools;
    private final MerchantPool[] onlinePools;
    private final int[][] cardsByCity;
    private final int[] neighbourCity;

    private World(List<City> cities, List<Card> cards, List<Merchant> merchants) {
        this.cities = cities;
        this.cards = cards;
        this.merchants = merchants;
        this.cityCumulative = cumulativeWeights(cities);
        this.cardPresentPools = cardPresentPools(cities, merchants);
        this.onlinePools = onlinePools(merchants);
        this.cardsByCity = cardsByCity(cities.size(), cards);
        this.neighbourCity = neighbourCities(cities);
    }

    static World build(SimulationConfig config) {
        SplittableRandom rng = Draw.stream(config.seed(), 0, DayGenerator.PART_WORLD);
        List<City> cities = Geography.regionFor(config.merchants());
        double[] cityCumulative = cumulativeWeights(cities);
        List<Merchant> merchants = merchants(config.merchants(), cities, cityCumulative, rng);
        List<Card> cards = cards(config.cards(), cities, cityCumulative, rng);
        return new World(cities, cards, merchants);
    }

    private static List<Merchant> merchants(int count, List<City> cities, double[] cityCumulative,
                                            SplittableRandom rng) {
        // At least one merchant of every category in each channel it sells in, then draws by share.
        List<Category> categories = new ArrayList<>(count);
        List<Channel> channels = new ArrayList<>(count);
        for (Channel channel : Channel.values()) {
            for (Category category : Category.values()) {
                if (category.sells(channel)) {
                    categories.add(category);
                    channels.add(channel);
                }
            }
        }
        double[][] weights = new double[Channel.values().length][Category.values().length];
        for (Channel channel : Channel.values()) {
            for (Category category : Category.values()) {
                weights[channel.ordinal()][category.ordinal()] = category.weight(channel);
            }
        }
        while (categories.size() < count) {
            Channel channel = rng.nextDouble() < ONLINE_MERCHANT_SHARE ? Channel.ONLINE : Channel.CARD_PRESENT;
            categories.add(Category.values()[Draw.weighted(weights[channel.ordinal()], rng)]);
            channels.add(channel);
        }
        // Shuffle so that a merchant's id says nothing about what it is.
        int[] order = new int[categories.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Merchant> merchants = new ArrayList<>(count);
        for (int i = 0; i < order.length; i++) {
            Category category = categories.get(order[i]);
            Channel channel = channels.get(order[i]);
            City city;
            double lat;
            double lon;
            if (channel == Channel.CARD_PRESENT) {
                city = cities.get(Draw.index(cityCumulative, rng.nextDouble() * last(cityCumulative)));
                lat = scatterLat(city.lat(), SHOP_SCATTER_KM, rng);
                lon = scatterLon(city.lat(), city.lon(), SHOP_SCATTER_KM, rng);
            } else {
                city = rng.nextDouble() < FOREIGN_ONLINE_MERCHANT_SHARE
                        ? Geography.FAR_AWAY.get(rng.nextInt(Geography.FAR_AWAY.size()))
                        : cities.get(Draw.index(cityCumulative, rng.nextDouble() * last(cityCumulative)));
                lat = city.lat();
                lon = city.lon();
            }
            double popularity = Draw.logNormal(rng, 1.0, 0.9);
            merchants.add(new Merchant(i, "m" + i, category, channel, city, lat, lon, popularity));
        }
        return Collections.unmodifiableList(merchants);
    }

    private static List<Card> cards(int count, List<City> cities, double[] cityCumulative, SplittableRandom rng) {
        List<Card> cards = new ArrayList<>(count);
        Category[] categories = Category.values();
        for (int i = 0; i < count; i++) {
            int homeCity = Draw.index(cityCumulative, rng.nextDouble() * last(cityCumulative));
            City city = cities.get(homeCity);
            double lat = scatterLat(city.lat(), HOME_SCATTER_KM, rng);
            double lon = scatterLon(city.lat(), city.lon(), HOME_SCATTER_KM, rng);
            double perDay = clamp(Draw.logNormal(rng, 1.9, 0.5), 0.2, 8.0);
            double spend = clamp(Draw.logNormal(rng, 1.0, 0.45), 0.25, 5.0);
            double online = clamp(0.28 + 0.14 * Draw.gaussian(rng), 0.02, 0.85);
            double[] preference = new double[categories.length];
            for (int c = 0; c < categories.length; c++) {
                preference[c] = Draw.logNormal(rng, 1.0, 0.7);
            }
            boolean vpn = rng.nextDouble() < VPN_USER_SHARE;
            boolean disputer = rng.nextDouble() < DISPUTER_SHARE;
            cards.add(new Card(i, "c" + i, homeCity, lat, lon, perDay, spend, online, preference, vpn, disputer));
        }
        return Collections.unmodifiableList(cards);
    }

    private static MerchantPool[][] cardPresentPools(List<City> cities, List<Merchant> merchants) {
        Category[] categories = Category.values();
        MerchantPool[][] own = new MerchantPool[cities.size()][categories.length];
        for (int city = 0; city < cities.size(); city++) {
            for (Category category : categories) {
                List<Merchant> local = new ArrayList<>();
                for (Merchant m : merchants) {
                    if (m.channel() == Channel.CARD_PRESENT && m.category() == category
                            && m.city() == cities.get(city)) {
                        local.add(m);
                    }
                }
                own[city][category.ordinal()] = local.isEmpty() ? null : pool(local);
            }
        }
        // A city without a shop of some kind sends its people to the nearest city that has one.
        MerchantPool[][] pools = new MerchantPool[cities.size()][categories.length];
        for (int city = 0; city < cities.size(); city++) {
            for (Category category : categories) {
                double best = Double.MAX_VALUE;
                for (int other = 0; other < cities.size(); other++) {
                    MerchantPool candidate = own[other][category.ordinal()];
                    double d = cities.get(city).distanceKm(cities.get(other));
                    if (candidate != null && d < best) {
                        best = d;
                        pools[city][category.ordinal()] = candidate;
                    }
                }
            }
        }
        return pools;
    }

    private static MerchantPool[] onlinePools(List<Merchant> merchants) {
        MerchantPool[] pools = new MerchantPool[Category.values().length];
        for (Category category : Category.values()) {
            List<Merchant> sellers = new ArrayList<>();
            for (Merchant m : merchants) {
                if (m.channel() == Channel.ONLINE && m.category() == category) {
                    sellers.add(m);
                }
            }
            pools[category.ordinal()] = sellers.isEmpty() ? null : pool(sellers);
        }
        return pools;
    }

    private static MerchantPool pool(List<Merchant> members) {
        int[] ids = new int[members.size()];
        double[] popularity = new double[members.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = members.get(i).index();
            popularity[i] = members.get(i).popularity();
        }
        return new MerchantPool(ids, popularity);
    }

    private static int[][] cardsByCity(int cityCount, List<Card> cards) {
        int[] counts = new int[cityCount];
        for (Card card : cards) {
            counts[card.homeCity()]++;
        }
        int[][] byCity = new int[cityCount][];
        for (int c = 0; c < cityCount; c++) {
            byCity[c] = new int[counts[c]];
            counts[c] = 0;
        }
        for (Card card : cards) {
            byCity[card.homeCity()][counts[card.homeCity()]++] = card.index();
        }
        return byCity;
    }

    /** The nearest other city of the same country, or else the nearest other city. */
    private static int[] neighbourCities(List<City> cities) {
        int[] neighbour = new int[cities.size()];
        for (int c = 0; c < cities.size(); c++) {
            int sameCountry = -1;
            int any = -1;
            double bestSame = Double.MAX_VALUE;
            double bestAny = Double.MAX_VALUE;
            for (int o = 0; o < cities.size(); o++) {
                if (o == c) {
                    continue;
                }
                double d = cities.get(c).distanceKm(cities.get(o));
                if (d < bestAny) {
                    bestAny = d;
                    any = o;
                }
                if (cities.get(o).country().equals(cities.get(c).country()) && d < bestSame) {
                    bestSame = d;
                    sameCountry = o;
                }
            }
            neighbour[c] = sameCountry >= 0 ? sameCountry : any;
        }
        return neighbour;
    }

    /** The card-present merchants of a category that people of a city use; null if the category is online-only. */
    MerchantPool cardPresentPool(int city, Category category) {
        return cardPresentPools[city][category.ordinal()];
    }

    /** The online merchants of a category; null if none sells it online. */
    MerchantPool onlinePool(Category category) {
        return onlinePools[category.ordinal()];
    }

    MerchantPool pool(Channel channel, int city, Category category) {
        return channel == Channel.ONLINE ? onlinePool(category) : cardPresentPool(city, category);
    }

    int randomCity(SplittableRandom rng) {
        return Draw.index(cityCumulative, rng.nextDouble() * last(cityCumulative));
    }

    int[] cardsOf(int city) {
        return cardsByCity[city];
    }

    int neighbourCity(int city) {
        return neighbourCity[city];
    }

    static double scatterLat(double lat, double km, SplittableRandom rng) {
        return lat + Draw.gaussian(rng) * km / 111.0;
    }

    static double scatterLon(double lat, double lon, double km, SplittableRandom rng) {
        return lon + Draw.gaussian(rng) * km / (111.0 * StrictMath.cos(StrictMath.toRadians(lat)));
    }

    private static double[] cumulativeWeights(List<City> cities) {
        double[] cumulative = new double[cities.size()];
        double sum = 0;
        for (int i = 0; i < cities.size(); i++) {
            sum += cities.get(i).weight();
            cumulative[i] = sum;
        }
        return cumulative;
    }

    private static double last(double[] a) {
        return a[a.length - 1];
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
