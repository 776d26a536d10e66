package io.logwarden.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * For bench/run-kafka.sh: starts an in-process Kafka broker (spring-kafka-test's KRaft broker, the one the tests use;
 * it listens on the loopback address), writes every line of a log file to a topic as one record, prints
 * {@code READY <bootstrap servers> <records> <ms>} and keeps the broker up until its standard input closes.
 *
 * <p>Usage: KafkaTopicLog FILE TOPIC PARTITIONS
 */
public final class KafkaTopicLog {

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: KafkaTopicLog FILE TOPIC PARTITIONS");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        String topic = args[1];
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, Integer.parseInt(args[2]), topic);
        broker.afterPropertiesSet();
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.getBrokersAsString());
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        props.put("linger.ms", "20");
        props.put("batch.size", "262144");
        long records = 0;
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props);
             BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                producer.send(new ProducerRecord<>(topic, line));
                records++;
            }
            producer.flush();
        }
        System.out.println("READY " + broker.getBrokersAsString() + " " + records + " "
                + (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
        try (var in = new InputStreamReader(System.in, StandardCharsets.UTF_8)) {
            while (in.read() >= 0) {
                // the script closes it when done
            }
        }
        broker.destroy();
        System.exit(0);
    }
}
