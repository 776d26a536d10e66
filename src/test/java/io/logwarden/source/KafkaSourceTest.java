package io.logwarden.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logwarden.store.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The Kafka source against the embedded broker of {@link SourcesTestSupport}. */
class KafkaSourceTest extends SourcesTestSupport {

    @Autowired CamelContext camel;

    @Test
    void everyMessageIsStoredOnceAcrossARestartMidStream() throws Exception {
        Instant t0 = Instant.parse("2026-05-01T12:00:00Z");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", KAFKA.getBrokersAsString(),
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", StringSerializer.class.getName()))) {
            for (int i = 0; i < 60; i++) {
                String value = i == 17 ? "this is not json"
                        : "{\"id\":" + i + ",\"ts\":\"" + t0.plusSeconds(i) + "\",\"level\":\"INFO\",\"message\":\"job " + i + " done\"}";
                producer.send(new ProducerRecord<>(KAFKA_TOPIC, String.valueOf(i % 4), value)).get();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> !kafkaJobs().isEmpty());
            camel.getRouteController().stopRoute("source-kafka-app-events");
            long stored = total(kafkaJobs());
            assertThat(stored).isLessThanOrEqualTo(60);
            for (int i = 60; i < 90; i++) {
                String value = "{\"id\":" + i + ",\"ts\":\"" + t0.plusSeconds(i) + "\",\"message\":\"job " + i + " done\"}";
                producer.send(new ProducerRecord<>(KAFKA_TOPIC, String.valueOf(i % 4), value)).get();
            }
            camel.getRouteController().startRoute("source-kafka-app-events");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> total(kafkaJobs()) >= 90);
        Thread.sleep(3000); // anything delivered twice would show up now
        List<Job> jobs = kafkaJobs();
        assertThat(jobs).allSatisfy(j -> assertThat(j.status()).as(j.error()).isEqualTo(Job.SUCCEEDED));
        assertThat(total(jobs)).isEqualTo(90);
        assertThat(jobs.stream().mapToLong(Job::eventsQuarantined).sum()).isEqualTo(1);
        assertThat(jobs.size()).isGreaterThan(1);
    }

    @Test
    void aBatchDeliveredAgainAfterItsJobWasStoredIsNotStoredTwice() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", KAFKA.getBrokersAsString(),
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", StringSerializer.class.getName()))) {
            for (int i = 0; i < 8; i++) {
                producer.send(new ProducerRecord<>("replayed-events", i % 2, null,
                        "2026-05-02 10:00:0" + i + ",000 INFO [main] com.acme.Jobs - job " + i + " done")).get();
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> total(jobsOf("replayed")) == 8);
        // As if the service had died after storing the jobs but before committing to Kafka: rewind the group.
        camel.getRouteController().stopRoute("source-kafka-replayed");
        try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", KAFKA.getBrokersAsString()))) {
            admin.alterConsumerGroupOffsets("logwarden-replay", Map.of(
                    new TopicPartition("replayed-events", 0), new OffsetAndMetadata(0),
                    new TopicPartition("replayed-events", 1), new OffsetAndMetadata(0))).all().get();
        }
        int before = jobsOf("replayed").size();
        camel.getRouteController().startRoute("source-kafka-replayed");
        await().atMost(Duration.ofSeconds(60)).until(() -> jobsOf("replayed").size() > before);
        Thread.sleep(2000);
        List<Job> jobs = jobsOf("replayed");
        // The redelivered batch is all skipped: an empty job, without report files.
        assertThat(jobs.subList(0, jobs.size() - before)).allSatisfy(j -> assertThat(j.status()).as(j.error()).isEqualTo(Job.EMPTY));
        assertThat(jobs.subList(jobs.size() - before, jobs.size())).allSatisfy(j -> assertThat(j.status()).as(j.error()).isEqualTo(Job.SUCCEEDED));
        assertThat(total(jobs)).isEqualTo(8);
        assertThat(jobs.stream().mapToLong(Job::eventsQuarantined).sum()).isZero(); // the app format read every line
    }

    private List<Job> kafkaJobs() {
        return jobsOf("app-events");
    }

    private List<Job> jobsOf(String source) {
        return jobs.recent(1000).stream().filter(j -> j.source().equals(source) && !j.status().equals(Job.RUNNING)).toList();
    }

    private static long total(List<Job> jobs) {
        return jobs.stream().mapToLong(j -> j.eventsParsed() + j.eventsQuarantined()).sum();
    }
}
