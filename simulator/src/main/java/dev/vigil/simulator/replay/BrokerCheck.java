package dev.vigil.simulator.replay;

import dev.vigil.schemas.KafkaClients;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Start-up check of the Kafka side of a command: the brokers answer and the topics exist, within a bounded time. A
 * producer left to find out by itself would block in {@code send} for {@code max.block.ms} and then fail with a
 * message about metadata; this fails first, naming the address and the missing topic.
 */
public final class BrokerCheck {

    private BrokerCheck() {
    }

    /**
     * @return the partition count of each topic
     * @throws IllegalStateException naming the bootstrap servers when the cluster does not answer within the timeout,
     *                               or the topic when one does not exist
     */
    public static Map<String, Integer> requireTopics(String bootstrapServers, Duration timeout, List<String> topics) {
        Properties config = new Properties();
        config.putAll(KafkaClients.config(bootstrapServers));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-simulator-check");
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot use Kafka bootstrap servers '" + bootstrapServers + "': "
                    + rootMessage(e), e);
        }
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            if (nodes == 0) {
                throw new IllegalStateException("Kafka at " + bootstrapServers + " answered with no brokers");
            }
            Map<String, KafkaFuture<TopicDescription>> described = admin
                    .describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .topicNameValues();
            Map<String, Integer> partitions = new LinkedHashMap<>();
            for (String topic : topics) {
                try {
                    partitions.put(topic, described.get(topic).get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .partitions().size());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        throw new IllegalStateException("topic " + topic + " does not exist on Kafka at "
                                + bootstrapServers + "; create it first (./vigil up creates Vigil's topics)",
                                e.getCause());
                    }
                    throw e;
                }
            }
            return partitions;
        } catch (TimeoutException e) {
            throw unreachable(bootstrapServers, timeout, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(bootstrapServers, timeout, cause);
            }
            throw new IllegalStateException("Kafka at " + bootstrapServers + " failed: " + rootMessage(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka at " + bootstrapServers, e);
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static IllegalStateException unreachable(String bootstrapServers, Duration timeout, Throwable cause) {
        return new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within "
                + timeout.toSeconds() + " s; check --bootstrap-servers and that the broker is running (./vigil up)",
                cause);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
